import { createHash } from "node:crypto";
import { buildChangelog } from "@/lib/changelog/build-changelog";
import { formatUnifiedDiff } from "@/lib/charts/edit/format-unified-diff";
import { planChartEdits } from "@/lib/charts/edit/plan-chart-edits";
import type { DependencyRestoration } from "@/lib/charts/edit/plan-dependency-edits";
import { readUmbrellaChart } from "@/lib/charts/read-umbrella-chart";
import type { UmbrellaChart } from "@/lib/charts/types";
import { resolveRunningVersion } from "@/lib/charts/resolve-running-version";
import type { EnvironmentConfig, WorkspaceConfig } from "@/lib/config/schema";
import { ValidationError, errorMessage } from "@/lib/errors";
import type { FileChange, GitProvider } from "@/lib/git/git-provider";
import { commitWebUrl } from "@/lib/git/repository-web-url";
import { locateChartRegistry } from "@/lib/registry/locate-chart-registry";
import type { RegistryClient } from "@/lib/registry/registry-client";
import type { ChartVersion, FetchStats, RegistryEndpoint } from "@/lib/registry/types";
import { compareChartVersions, isChartVersion } from "@/lib/versions/chart-version";
import { computeVersionStatus } from "@/lib/versions/compute-version-status";
import type { PlannedChangelog, PlannedItem, UpgradePlan } from "./release-types";
import { planSnapshotMerge } from "./plan-snapshot-merge";
import { readStackFiles, stackFilePath } from "./read-stack-files";
import { previewUrlFor } from "./preview-url";
import { pinnedVersions } from "./read-versions-at";

export interface UpgradeTarget {
  service: string;
  /** Omitted: the latest the registry publishes for this environment. */
  version?: string;
}

/** Why the versions change: an upgrade (the default), or a rollback to the state of an earlier commit. */
export type ReleasePurpose =
  | { kind: "upgrade" }
  | {
      kind: "rollback";
      to: { sha: string; subject: string };
      /** Services added since `to` that the rollback takes out of the chart (chosen one by one, never implied). */
      remove?: string[];
      /** Services removed since `to` that it brings back, with their entry (and lock entry) as they were at `to`. */
      restore?: string[];
    }
  /** The versions another environment runs at `sha`: its branch head, or one of its snapshots (`snapshot`, a tag). */
  | {
      kind: "promotion";
      from: { environment: string; sha: string; snapshot?: string };
      /** Raise it as a merge of the snapshot's tag into the target branch (plan-snapshot-merge.ts), not a version edit. */
      merge?: boolean;
    };

export interface ReleaseDeps {
  config: WorkspaceConfig;
  git: GitProvider;
  registries: RegistryClient;
  endpoints: RegistryEndpoint[];
  now?: () => Date;
}

export interface PreparedUpgrade {
  plan: UpgradePlan;
  /** The files to commit, full contents. */
  changes: FileChange[];
  /** A rollback's services taken out of the chart and brought back (empty for every other plan). */
  membership: PlannedMembership;
}

/** Services a rollback removes (`version`: what runs now) or brings back (`version`: what it ran then). */
export interface PlannedMembership {
  removed: { service: string; chart: string; version: string }[];
  restored: { service: string; chart: string; version: string }[];
}

// A version goes into YAML and a branch name: version characters only, nothing that could break either.
const VERSION_TEXT = /^v?[0-9A-Za-z.+-]{1,64}$/;

/**
 * Plans an upgrade of some services in one environment, from the environment branch's current head: validates every
 * target against the chart and the registry, edits the chart files in place, and gathers each service's changelog.
 * Pure planning: it writes nothing.
 */
export async function planUpgrade(
  deps: ReleaseDeps,
  env: EnvironmentConfig,
  targets: UpgradeTarget[],
  purpose: ReleasePurpose = { kind: "upgrade" },
): Promise<PreparedUpgrade> {
  const moving = purpose.kind === "rollback" ? [...(purpose.remove ?? []), ...(purpose.restore ?? [])] : [];
  if (targets.length === 0 && moving.length === 0) throw new ValidationError("Choose at least one service to upgrade.");
  const duplicates = [...targets.map((t) => t.service), ...moving].filter((s, i, all) => all.indexOf(s) !== i);
  if (duplicates.length > 0) throw new ValidationError(`${duplicates[0]} is listed twice.`);
  for (const target of targets) {
    if (target.version !== undefined && (!VERSION_TEXT.test(target.version) || !isChartVersion(target.version))) {
      throw new ValidationError(`"${target.version.slice(0, 100)}" is not a version Helm reads (for ${target.service}).`);
    }
  }

  const now = deps.now?.() ?? new Date();
  const head = await deps.git.branchHead(env.repo, env.branch);
  const files = await readStackFiles(deps.git, env, head.sha, { values: false });
  const chart = readUmbrellaChart(files);
  const stats: FetchStats = { requests: 0, notModified: 0, bytes: 0 };

  const items: PlannedItem[] = [];
  const releases = new Map<string, { from?: ChartVersion; to?: ChartVersion }>();
  for (const target of targets) {
    const dep = chart.dependencies.find((d) => d.service === target.service);
    if (!dep) {
      const known = chart.dependencies.map((d) => d.service).join(", ");
      throw new ValidationError(`${env.name} has no service "${target.service}"; it has ${known}.`);
    }
    const source = locateChartRegistry(dep.repository, deps.endpoints, deps.config.registryPolicy);
    if (source.kind !== "registry") throw new ValidationError(`${dep.service} cannot be upgraded here: ${source.reason}.`);
    const published = await deps.registries.listChartVersions(source.endpoint, dep.chart, stats);
    if (!published?.length) throw new ValidationError(`The registry ${source.endpoint.name} does not publish ${dep.chart}.`);
    const resolved = resolveRunningVersion(dep, published.map((v) => v.version));
    if (!resolved.ok) throw new ValidationError(`${dep.service}: ${resolved.message}`);
    const status = computeVersionStatus({
      running: resolved.version,
      published,
      includePrereleases: env.includePrereleases,
      farBehindReleases: deps.config.farBehindReleases,
      now,
    });
    // The registry's spelling ("v2021.08.23", "1.6"), not the request's, is what gets written to the chart.
    const to = target.version
      ? (published.find((v) => v.version === target.version) ?? published.find((v) => compareChartVersions(v.version, target.version!) === 0))?.version
      : status.latest;
    if (!to) {
      throw new ValidationError(
        target.version
          ? `The registry has no ${dep.chart} ${target.version}; the latest is ${status.latest ?? "unknown"}.`
          : `The registry has no eligible version of ${dep.chart}.`,
      );
    }
    const order = compareChartVersions(to, resolved.version);
    if (order === 0) throw new ValidationError(`${dep.service} already runs ${to} in ${env.name}.`);
    const entry = (version: string) => published.find((v) => v.version === version);
    releases.set(dep.service, { from: entry(resolved.version), to: entry(to) });
    items.push({
      service: dep.service,
      chart: dep.chart,
      from: resolved.version,
      to,
      direction: order === undefined || order > 0 ? "upgrade" : "downgrade",
      changelog: { fromTag: "", toTag: "", effect: "none", commits: [], tickets: [], truncated: false, notes: [] },
    });
  }

  const membership = purpose.kind === "rollback" ? await planMembership(deps, env, chart, purpose, stats) : { removed: [], restored: [], restorations: [] };
  const edit = planChartEdits(files, items.map((i) => ({ service: i.service, to: i.to })), {
    now,
    remove: membership.removed.map((r) => r.service),
    restore: membership.restorations,
  });
  const { removed, restored } = membership;
  // A snapshot promoted by merging its tag commits nothing of its own: the review shows what the merge gives.
  const merge = purpose.kind === "promotion" && purpose.merge ? await planSnapshotMerge(deps.git, env, head.sha, purpose.from) : undefined;
  const changes = merge ? [] : edit.files.map((f) => ({ path: stackFilePath(env, f.name), content: f.after }));
  const diffs =
    merge?.files ?? edit.files.map((f) => ({ path: stackFilePath(env, f.name), diff: formatUnifiedDiff(stackFilePath(env, f.name), f.before, f.after) }));
  const notes = merge ? merge.notes : edit.notes;

  await Promise.all(items.map(async (item) => (item.changelog = await changelogFor(deps, item, releases.get(item.service)))));

  const branch = branchName(env.name, purpose.kind, items, { removed, restored });
  const previewUrl = env.previewUrl ? previewUrlFor(env.previewUrl, { repo: env.repo, branch, environment: env.name }) : undefined;
  const plan: UpgradePlan = {
    kind: purpose.kind,
    environment: env.name,
    baseSha: head.sha,
    branch,
    title: titleOf(env, items, purpose, { removed, restored }),
    body: describeUpgrade(env, items, notes, purpose, { removed, restored }, previewUrl),
    items,
    files: diffs,
    notes: [...describeMembership({ removed, restored }), ...notes],
    ...(merge && purpose.kind === "promotion" ? { mergeOf: purpose.from.sha } : {}),
  };
  return { plan, changes, membership: { removed, restored } };
}

/**
 * A rollback's removals and restorations, checked against the chart now and the chart at the target commit: a
 * service to remove must be in the chart, one to bring back must have been pinned exactly at the target and its
 * version must still be published (helm dependency build could not install it otherwise).
 */
async function planMembership(
  deps: ReleaseDeps,
  env: EnvironmentConfig,
  chart: UmbrellaChart,
  purpose: Extract<ReleasePurpose, { kind: "rollback" }>,
  stats: FetchStats,
): Promise<PlannedMembership & { restorations: DependencyRestoration[] }> {
  const removed = (purpose.remove ?? []).map((service) => {
    const dep = chart.dependencies.find((d) => d.service === service);
    if (!dep) throw new ValidationError(`${env.name} has no service "${service}" to remove.`);
    const running = resolveRunningVersion(dep);
    return { service, chart: dep.chart, version: running.ok ? running.version : dep.constraint.trim() || "*" };
  });
  const restored: PlannedMembership["restored"] = [];
  const restorations: DependencyRestoration[] = [];
  if ((purpose.restore ?? []).length === 0) return { removed, restored, restorations };
  if (!purpose.to.sha) throw new ValidationError("Bringing services back needs the commit they come back from.");
  const label = purpose.to.sha.slice(0, 8);
  const source = await readStackFiles(deps.git, env, purpose.to.sha, { values: false });
  const then = pinnedVersions(source);
  for (const service of purpose.restore ?? []) {
    const pinned = then.get(service);
    if (!pinned) throw new ValidationError(`${service} is not a service of ${env.name} at ${label}: there is nothing to bring back.`);
    if (chart.dependencies.some((d) => d.service === service)) throw new ValidationError(`${service} is a service of ${env.name} already: there is nothing to bring back.`);
    if (pinned.unpinned) {
      throw new ValidationError(`${service} cannot be brought back: at ${label} it pinned "${pinned.version}", not an exact version, and nothing locked it.`);
    }
    const registry = locateChartRegistry(pinned.repository, deps.endpoints, deps.config.registryPolicy);
    if (registry.kind !== "registry") throw new ValidationError(`${service} cannot be brought back here: ${registry.reason}.`);
    const published = await deps.registries.listChartVersions(registry.endpoint, pinned.chart, stats);
    if (!published?.some((v) => compareChartVersions(v.version, pinned.version) === 0)) {
      throw new ValidationError(
        `${service} cannot be brought back: ${pinned.chart} ${pinned.version} is not published in ${registry.endpoint.name} (any more), so the environment could not install it.`,
      );
    }
    restored.push({ service, chart: pinned.chart, version: pinned.version });
    restorations.push({ service, version: pinned.version, source, sourceLabel: label });
  }
  return { removed, restored, restorations };
}

/** Said first in the review: what leaves the environment and what comes back, beyond version changes. */
function describeMembership({ removed, restored }: PlannedMembership): string[] {
  return [
    ...removed.map((r) => `${r.service} (${r.version}) is removed from the environment: its dependency entry and lock entry are taken out.`),
    ...restored.map((r) => `${r.service} ${r.version} is brought back into the environment, with its dependency entry as it was then.`),
  ];
}

/**
 * What the registry knows about the two versions, for when the source repository cannot say (no repository
 * configured, a release tag missing): when each was published and which appVersion it carries.
 */
function describeFromRegistry(item: PlannedItem, releases?: { from?: ChartVersion; to?: ChartVersion }): string | undefined {
  const describe = (version: string, release?: ChartVersion) =>
    release
      ? `${version} ${release.created ? `published ${release.created.toISOString().slice(0, 10)}` : "(publication date unknown)"}${release.appVersion ? `, appVersion ${release.appVersion}` : ""}`
      : undefined;
  const parts = [describe(item.from, releases?.from), describe(item.to, releases?.to)].filter(Boolean);
  return parts.length > 0 ? `From the registry: ${item.chart} ${parts.join("; ")}.` : undefined;
}

async function changelogFor(
  deps: ReleaseDeps,
  item: PlannedItem,
  releases?: { from?: ChartVersion; to?: ChartVersion },
): Promise<PlannedChangelog> {
  const service = deps.config.services[item.service] ?? Object.values(deps.config.services).find((s) => s.chart === item.chart);
  const empty = { fromTag: "", toTag: "", effect: "none" as const, commits: [], tickets: [], truncated: false };
  const fromRegistry = describeFromRegistry(item, releases);
  if (!service?.repo) {
    const notes = [`No source repository is configured for ${item.service}, so its commits cannot be listed.`];
    return { ...empty, notes: fromRegistry ? [...notes, fromRegistry] : notes };
  }
  try {
    const changelog = await buildChangelog({
      git: deps.git,
      repo: service.repo,
      tagPattern: service.tagPattern,
      from: item.from,
      to: item.to,
      jiraProject: service.jiraProject,
      commitUrl: (sha) => commitWebUrl(deps.config.github, service.repo!, sha),
    });
    const commits = new Map(changelog.commits.map((c) => [c.sha, c]));
    return {
      fromTag: changelog.fromTag,
      toTag: changelog.toTag,
      effect: changelog.effect,
      commits: changelog.commits.map((c) => ({ ...c, date: c.date.toISOString() })),
      tickets: changelog.tickets.map((t) => ({
        key: t.key,
        url: t.url,
        commits: t.commits.map((sha) => {
          const commit = commits.get(sha);
          return { sha, subject: commit?.subject ?? "", ...(commit?.url ? { url: commit.url } : {}) };
        }),
      })),
      truncated: changelog.truncated,
      notes: changelog.fallback ? [changelog.fallback, ...(fromRegistry ? [fromRegistry] : [])] : [],
    };
  } catch (error) {
    const notes = [`The commits of ${item.service} could not be read: ${errorMessage(error)}`];
    return { ...empty, notes: fromRegistry ? [...notes, fromRegistry] : notes };
  }
}

function titleOf(env: EnvironmentConfig, items: PlannedItem[], purpose: ReleasePurpose, membership: PlannedMembership): string {
  const list = items.map((i) => `${i.service} ${i.to}`).join(", ");
  if (purpose.kind === "rollback" && (membership.removed.length > 0 || membership.restored.length > 0)) {
    const parts = [
      ...(items.length === 1 ? [`${items[0]!.service} to ${items[0]!.to}`] : items.length > 1 ? [`${items.length} services (${list})`] : []),
      ...(membership.removed.length > 0 ? [`remove ${membership.removed.map((r) => r.service).join(", ")}`] : []),
      ...(membership.restored.length > 0 ? [`bring back ${membership.restored.map((r) => `${r.service} ${r.version}`).join(", ")}`] : []),
    ];
    return `Roll back ${parts.join(", ")} in ${env.name}, as at ${purpose.to.sha.slice(0, 8)}`;
  }
  if (purpose.kind === "rollback") {
    const one = items.length === 1 ? `${items[0]!.service} to ${items[0]!.to}` : `${items.length} services (${list})`;
    return `Roll back ${one} in ${env.name}, as at ${purpose.to.sha.slice(0, 8)}`;
  }
  if (purpose.kind === "promotion") {
    const one = items.length === 1 ? `${items[0]!.service} ${items[0]!.to}` : `${items.length} services (${list})`;
    const source = purpose.from.snapshot ? `${purpose.from.environment} snapshot ${purpose.from.snapshot}` : purpose.from.environment;
    return `Promote ${one} from ${source} to ${env.name}`;
  }
  return items.length === 1
    ? `${items[0]!.direction === "upgrade" ? "Upgrade" : "Downgrade"} ${items[0]!.service} to ${items[0]!.to} in ${env.name}`
    : `Upgrade ${items.length} services in ${env.name}: ${list}`;
}

/** slipway/<env>/<kind>-<service>-<version>…-<hash>: readable, unique per plan, within git's limits. */
function branchName(environment: string, kind: ReleasePurpose["kind"], items: PlannedItem[], membership: PlannedMembership): string {
  const slug = [
    ...items.map((i) => `${i.service}-${i.to}`),
    ...membership.removed.map((r) => `remove-${r.service}`),
    ...membership.restored.map((r) => `restore-${r.service}-${r.version}`),
  ]
    .join("-")
    .replace(/[^A-Za-z0-9.-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .slice(0, 60)
    .replace(/[.-]+$/, "");
  // Membership joins the hash only when there is some, so every other plan keeps the branch it always had.
  const hashed: string[][] = items.map((i) => [i.service, i.to]);
  for (const r of membership.removed) hashed.push([r.service, "(removed)"]);
  for (const r of membership.restored) hashed.push([r.service, `(restored) ${r.version}`]);
  const hash = createHash("sha256").update(JSON.stringify(hashed)).digest("hex").slice(0, 7);
  return `slipway/${environment}/${kind}-${slug}-${hash}`;
}

function describeUpgrade(
  env: EnvironmentConfig,
  items: PlannedItem[],
  notes: string[],
  purpose: ReleasePurpose,
  membership: PlannedMembership,
  previewUrl?: string,
): string {
  const intro =
    purpose.kind === "promotion"
      ? [
          `**Promotion** to **${env.name}**${env.url ? ` (${env.url})` : ""} of the versions **${purpose.from.environment}** ` +
            (purpose.from.snapshot
              ? `ran in its snapshot ${escapeMarkdown(purpose.from.snapshot)} (${purpose.from.sha.slice(0, 12)}).`
              : `runs (at ${purpose.from.sha.slice(0, 12)}).`),
          "",
        ]
      : purpose.kind === "rollback"
      ? [
          `**Rollback** of **${env.name}**${env.url ? ` (${env.url})` : ""} to the versions it ran at ` +
            `${purpose.to.sha.slice(0, 12)} (${escapeMarkdown(purpose.to.subject)}).`,
          "",
          ...leavingTickets(items),
          "",
        ]
      : [];
  const lines = [...intro, `Version changes for **${env.name}**${env.url ? ` (${env.url})` : ""}:`, "", "| Service | From | To |", "| --- | --- | --- |"];
  for (const item of items) lines.push(`| ${item.service} | ${item.from} | ${item.to}${item.direction === "downgrade" ? " (downgrade)" : ""} |`);
  for (const r of membership.removed) lines.push(`| ${r.service} | ${r.version} | **removed** (added since) |`);
  for (const r of membership.restored) lines.push(`| ${r.service} | not deployed | ${r.version} (**brought back**, removed since) |`);
  if (membership.removed.length > 0) {
    lines.push("", `Services **removed** from ${env.name} by this rollback: ${membership.removed.map((r) => `${r.service} ${r.version}`).join(", ")}.`);
  }
  if (membership.restored.length > 0) {
    lines.push("", `Services **brought back** into ${env.name} by this rollback: ${membership.restored.map((r) => `${r.service} ${r.version}`).join(", ")}.`);
  }
  // Only with an environment's previewUrl, so every other body stays as it was.
  if (previewUrl) lines.push("", `Preview of this branch, like ${env.name}: ${previewUrl}`);
  for (const item of items) {
    lines.push("", `### ${item.service} ${item.from} → ${item.to}`);
    if (item.changelog.tickets.length === 0) lines.push("No Jira tickets named in its commits.");
    for (const ticket of item.changelog.tickets) {
      const subject = ticket.commits[0]?.subject ?? "";
      lines.push(`- ${ticket.url ? `[${ticket.key}](${ticket.url})` : ticket.key}: ${escapeMarkdown(subject)}`);
    }
    for (const note of item.changelog.notes) lines.push(`> ${escapeMarkdown(note)}`);
  }
  // Kept simple: a removed service's commits and tickets are not listed, nor a restored one's (it has no "from").
  for (const r of membership.removed) lines.push("", `### ${r.service} ${r.version} → removed`, "Taken out of the environment with its dependency and lock entries; its commits are not listed.");
  for (const r of membership.restored) lines.push("", `### ${r.service} → ${r.version} (brought back)`, "Not deployed before this change, so there is no changelog to compare against.");
  if (notes.length > 0) lines.push("", ...notes.map((n) => `> ${n}`));
  return lines.join("\n");
}

/** A rollback takes tickets out of the environment: they are listed first, for whoever follows them up. */
function leavingTickets(items: PlannedItem[]): string[] {
  const keys = [...new Set(items.flatMap((item) => (item.changelog.effect === "removed" ? item.changelog.tickets.map((t) => t.key) : [])))];
  return keys.length === 0
    ? ["No Jira tickets leave with this rollback (none are named in the commits it takes out)."]
    : [`Tickets that leave ${keys.length === 1 ? "with this rollback" : `with this rollback (${keys.length})`}: ${keys.join(", ")}.`];
}

/** Commit text goes into a Markdown body: no @mentions that ping people, no links, tables or HTML it did not mean. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/@/g, "@\u200b").replace(/\r?\n/g, " ");
}
