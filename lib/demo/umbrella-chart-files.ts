import { parse } from "yaml";
import { helmLockDigest, helmV2RequirementsDigest, readHelmDependencies } from "../charts/edit/helm-lock-digest";

import { toGoYaml, goYamlScalar } from "./go-yaml-writer";
import { goTimestamp } from "./helm-repository-files";

/**
 * Renders an umbrella chart's files the way people and Helm write them: Chart.yaml / requirements.yaml by hand
 * (comments, indented sequences, an anchor for the shared repository), Chart.lock / requirements.lock as
 * `helm dependency update` does (yaml.v2 layout).
 */

export interface UmbrellaDependency {
  name: string;
  alias?: string;
  /** `version:` as written. */
  version: string;
  /** Written verbatim; `null` means "use the stack's registry reference" (see RepositoryStyle). */
  repository: string | null;
  /** Lock entry; absent = this dependency is not in the lock file. */
  locked?: string;
  condition?: string;
  tags?: string[];
  comment?: string;
}

/** How dependencies refer to the configured registry: a YAML anchor on "@name", "@name" each time, or "alias:name". */
export type RegistryReferenceStyle = "anchor" | "at" | "alias";

export interface UmbrellaChart {
  format: "helm3" | "helm2";
  name: string;
  description: string;
  version: string;
  /** Comment lines at the top of Chart.yaml (without "# "). */
  header?: string[];
  registryName: string;
  style: RegistryReferenceStyle;
  dependencies: UmbrellaDependency[];
  /** values.yaml content. */
  values: string;
}

function dependencyBlock(chart: UmbrellaChart): string[] {
  const lines: string[] = [];
  let anchored = false;
  for (const dep of chart.dependencies) {
    if (dep.comment) lines.push(`  # ${dep.comment}`);
    lines.push(`  - name: ${dep.name}`);
    if (dep.alias) lines.push(`    alias: ${dep.alias}`);
    lines.push(`    version: ${goYamlScalar(dep.version)}`);
    let repository: string;
    if (dep.repository !== null) {
      repository = goYamlScalar(dep.repository);
    } else if (chart.style === "alias") {
      repository = `alias:${chart.registryName}`;
    } else if (chart.style === "anchor" && anchored) {
      repository = `*${chart.registryName}`;
    } else if (chart.style === "anchor") {
      repository = `&${chart.registryName} "@${chart.registryName}"`;
      anchored = true;
    } else {
      repository = `"@${chart.registryName}"`;
    }
    lines.push(`    repository: ${repository}`);
    if (dep.condition) lines.push(`    condition: ${dep.condition}`);
    if (dep.tags && dep.tags.length > 0) {
      lines.push("    tags:");
      for (const tag of dep.tags) lines.push(`      - ${tag}`);
    }
  }
  return lines;
}

function lockRepository(chart: UmbrellaChart, dep: UmbrellaDependency): string {
  if (dep.repository !== null) return dep.repository;
  return chart.style === "alias" ? `alias:${chart.registryName}` : `@${chart.registryName}`;
}

/** Chart.lock / requirements.lock content, or undefined when no dependency is locked. */
export function renderLock(chart: UmbrellaChart, generated: Date): string | undefined {
  const locked = chart.dependencies.filter((d) => d.locked !== undefined);
  if (locked.length === 0) return undefined;
  const dependencies = locked.map((d) => ({ name: d.name, repository: lockRepository(chart, d), version: d.locked as string }));
  // The digest is filled in by withHelmDigest once the dependency file it hashes is rendered too.
  return toGoYaml({ dependencies, digest: "sha256:pending", generated: goTimestamp(generated, chart.name) });
}

/** Files of the chart, relative to the chart folder. */
export function renderUmbrellaChart(chart: UmbrellaChart, lockGenerated: Date): Record<string, string> {
  const header = (chart.header ?? []).map((l) => (l ? `# ${l}` : "#"));
  const lock = renderLock(chart, lockGenerated);
  const files: Record<string, string> = { "values.yaml": chart.values };
  if (chart.format === "helm3") {
    files["Chart.yaml"] = [
      ...header,
      "apiVersion: v2",
      `name: ${chart.name}`,
      `description: ${goYamlScalar(chart.description)}`,
      "type: application",
      `version: ${chart.version}`,
      'kubeVersion: ">=1.27.0-0"',
      "",
      "dependencies:",
      ...dependencyBlock(chart),
      "",
    ].join("\n");
    if (lock) files["Chart.lock"] = lock;
  } else {
    files["Chart.yaml"] = [
      ...header,
      "apiVersion: v1",
      `name: ${chart.name}`,
      `description: ${goYamlScalar(chart.description)}`,
      `version: ${chart.version}`,
      `appVersion: ${goYamlScalar(chart.version.split(".").slice(0, 2).join("."))}`,
      "",
    ].join("\n");
    files["requirements.yaml"] = [
      "# Helm 2 keeps dependencies out of Chart.yaml. Run `helm dependency update` after changing a version.",
      "dependencies:",
      ...dependencyBlock(chart),
      "",
    ].join("\n");
    if (lock) files["requirements.lock"] = lock;
  }
  return withHelmDigest(chart, files);
}

/**
 * Puts the digest Helm itself would write into the lock (Helm 3: requested and locked dependencies; Helm 2: the
 * requirements only), so the demo's locks look like real ones and an upgrade's recomputed digest agrees with them.
 */
function withHelmDigest(chart: UmbrellaChart, files: Record<string, string>): Record<string, string> {
  const lockName = chart.format === "helm3" ? "Chart.lock" : "requirements.lock";
  const lock = files[lockName];
  if (!lock) return files;
  const requestedFile = chart.format === "helm3" ? files["Chart.yaml"]! : files["requirements.yaml"]!;
  const requested = readHelmDependencies((parse(requestedFile) as { dependencies?: unknown }).dependencies);
  const locked = readHelmDependencies((parse(lock) as { dependencies?: unknown }).dependencies);
  const digest = chart.format === "helm3" ? helmLockDigest(requested, locked) : helmV2RequirementsDigest(requested);
  return { ...files, [lockName]: lock.replace(/^digest: .*$/m, `digest: ${digest}`) };
}
