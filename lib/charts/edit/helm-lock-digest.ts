import { createHash } from "node:crypto";
import { parseYamlFile } from "../parse-yaml-file";
import { isYamlMapping, readYamlField } from "../yaml-value";
import { goJsonString, goJsonStruct, type GoJsonValue } from "./go-json";

/**
 * The `digest:` of Chart.lock / requirements.lock, computed as Helm computes it, so that `helm dependency build`
 * (which Argo CD and most pipelines run) accepts a lock Slipway edited instead of failing with "the lock file is out
 * of sync with the dependencies file".
 *
 * Helm 3 (internal/resolver/resolver.go `HashReq`): "sha256:" + hex sha256 of Go's json.Marshal of
 * `[2][]*chart.Dependency{requested, locked}`, where `requested` are Chart.yaml's dependencies after
 * `resolveRepoNames` replaced "@name" / "alias:name" repositories with the URL of that repository, and `locked` are the
 * lock file's entries. Helm 2 (and Helm 3's `HashV2Req`, which it still accepts for requirements.lock): the sha256 of
 * `{"dependencies": requested}`, before repository names are resolved, without the lock.
 *
 * The files are read as Helm reads them (parseYamlFile's helmStrings: YAML 1.1, numbers in string fields as Go formats
 * them). Known gap: a number *inside* import-values stays a JSON number to Go but is text here; import-values hold
 * value paths, so no real chart has one.
 */

/** One dependency as Helm's chart.Dependency struct holds it. */
export interface HelmDependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[];
  enabled: boolean;
  importValues: GoJsonValue[];
  alias: string;
}

/**
 * The `dependencies:` list of a parsed (plain JavaScript, YAML 1.2 types) Chart.yaml, requirements.yaml or lock file,
 * as Go would decode it into []*chart.Dependency. Fields Go does not know are dropped, as Go drops them.
 */
export function readHelmDependencies(list: unknown): HelmDependency[] {
  if (!Array.isArray(list)) return [];
  return list.map((item: unknown) => {
    const entry = isYamlMapping(item) ? item : {};
    const tags = readYamlField(entry, "tags");
    return {
      name: goString(readYamlField(entry, "name")),
      version: goString(readYamlField(entry, "version")),
      repository: goString(readYamlField(entry, "repository")),
      condition: goString(readYamlField(entry, "condition")),
      tags: Array.isArray(tags) ? tags.map(goString) : [],
      enabled: readYamlField(entry, "enabled") === true,
      importValues: goList(readYamlField(entry, "import-values")),
      alias: goString(readYamlField(entry, "alias")),
    };
  });
}

/**
 * Helm 3 hashes the requested dependencies after swapping a repository name for its URL. The lock records that URL
 * in the entry at the same position (Helm's resolver writes locked[i] for requested[i]), so the lock tells us what
 * the user's `helm repo add` configuration said without needing it.
 */
export function resolveRepositoryNames(
  requested: readonly HelmDependency[],
  locked: readonly HelmDependency[],
): HelmDependency[] {
  return requested.map((dependency, index) => {
    const isName = dependency.repository.startsWith("@") || dependency.repository.startsWith("alias:");
    const entry = locked[index];
    if (!isName || !entry || entry.name !== dependency.name) return dependency;
    return { ...dependency, repository: entry.repository };
  });
}

/** Helm 3's `HashReq(requested, locked)`; pass `requested` through resolveRepositoryNames first. */
export function helmLockDigest(requested: readonly HelmDependency[], locked: readonly HelmDependency[]): string {
  return sha256Digest(`[${dependencyListJson(requested)},${dependencyListJson(locked)}]`);
}

/** Helm 2's `HashReq(requirements)` (Helm 3's `HashV2Req`): only the requirements, repository names unresolved. */
export function helmV2RequirementsDigest(requested: readonly HelmDependency[]): string {
  return sha256Digest(`{${goJsonString("dependencies")}:${dependencyListJson(requested)}}`);
}

export interface LockDigests {
  /** Helm 3's HashReq, with repository names resolved through the lock. */
  helm3: string;
  /** Helm 2's hash of the requirements alone; Helm 3 accepts it only in an apiVersion v1 chart's requirements.lock. */
  helm2: string;
}

/**
 * Both digests Helm may accept for a dependency file and its lock, from the files' text. The files are read as
 * Helm reads them; a file that is not YAML hashes as an empty list (the caller reports the file itself).
 */
export function computeLockDigests(dependencyText: string, dependencyFile: string, lockText: string, lockFile: string): LockDigests {
  const requested = readHelmDependencies(dependencyListOf(dependencyText, dependencyFile));
  const locked = readHelmDependencies(dependencyListOf(lockText, lockFile));
  return {
    helm3: helmLockDigest(resolveRepositoryNames(requested, locked), locked),
    helm2: helmV2RequirementsDigest(requested),
  };
}

function dependencyListOf(text: string, fileName: string): unknown {
  const parsed = parseYamlFile(text, fileName, { helmStrings: true });
  return parsed.ok && isYamlMapping(parsed.value) ? readYamlField(parsed.value, "dependencies") : undefined;
}

function sha256Digest(json: string): string {
  return `sha256:${createHash("sha256").update(json, "utf8").digest("hex")}`;
}

function dependencyListJson(dependencies: readonly HelmDependency[]): string {
  return `[${dependencies.map(dependencyJson).join(",")}]`;
}

/**
 * Field order and omitempty as in helm.sh/helm/v3/pkg/chart.Dependency (v3.21.4: name, version, repository,
 * condition, tags, enabled, import-values, alias; there is no export-values field in Helm 3, so Go drops it). `Validate()` runs when Helm loads the chart
 * and rewrites whitespace to spaces and drops unprintable characters in these string fields, before the hash.
 */
function dependencyJson(dependency: HelmDependency): string {
  const fields: [string, GoJsonValue][] = [["name", sanitize(dependency.name)]];
  const version = sanitize(dependency.version);
  if (version !== "") fields.push(["version", version]);
  fields.push(["repository", sanitize(dependency.repository)]);
  const condition = sanitize(dependency.condition);
  if (condition !== "") fields.push(["condition", condition]);
  if (dependency.tags.length > 0) fields.push(["tags", dependency.tags.map(sanitize)]);
  if (dependency.enabled) fields.push(["enabled", true]);
  if (dependency.importValues.length > 0) fields.push(["import-values", dependency.importValues]);
  if (dependency.alias !== "") fields.push(["alias", dependency.alias]);
  return goJsonStruct(fields);
}

/** Helm's sanitizeString: unicode.IsSpace → " ", then drop what unicode.IsPrint rejects. */
function sanitize(text: string): string {
  return text
    .replace(/[\t\n\v\f\r\u0085\u00a0\u2028\u2029\p{Zs}]/gu, " ")
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}]/gu, "");
}

/** Go decodes any YAML scalar into a string field as its text. */
function goString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return "";
}

function goList(value: unknown): GoJsonValue[] {
  return Array.isArray(value) ? value.map(toGoJsonValue) : [];
}

function toGoJsonValue(value: unknown): GoJsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toGoJsonValue);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), toGoJsonValue(item)]));
  }
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toGoJsonValue(item)]));
  }
  return null;
}
