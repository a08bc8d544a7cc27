import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { errorMessage } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { GitProvider } from "@/lib/git/git-provider";
import { logger } from "@/lib/logger";
import type { Workspace } from "./load-workspace-config";
import { type ReleaseConfigEntry, readReleaseConfig } from "./read-release-config";
import { type DiscoverConfig, type EnvironmentConfig, type WorkspaceConfig, discoverySource, environmentConfigSchema } from "./schema";
import { getWorkspace } from "./workspace";

/**
 * Environments listed by stack repositories themselves (slipway.yaml `discover:`, a release-config.yaml per entry).
 *
 * Config loading stays synchronous, so discovered environments are added to the loaded workspace afterwards: its
 * `config.environments` array is replaced by slipway.yaml's environments followed by the discovered ones (marked with
 * `discovered`), on the same workspace object, so the server's clients built around it stay as they are. The refresher
 * reads every release file before each refresh and stores what it found; the server restores the stored list when it
 * starts, so discovered environments exist from the first page on and survive a moment their repository is unreadable.
 */

export interface DiscoveryDeps {
  workspace: Workspace;
  db: PrismaClient;
  git: GitProvider;
}

/** What the file said about one environment, as stored in DiscoveredEnvironment.attributes. */
const attributesSchema = z.object({
  release: z.string(),
  cluster: z.string().optional(),
  values: z.string().optional(),
  namespace: z.string().optional(),
});

/** One environment a release file lists: its name (the release) and branch, and the rest of its entry. */
export interface DiscoveredRow {
  source: string;
  name: string;
  branch: string;
  /** Where the file lists it. */
  position: number;
  attributes: unknown;
}

/**
 * Reads every discover entry's release file, stores what each lists, and puts the environments in the workspace.
 * A file that cannot be read keeps its environments from the last good read and records why; entries that fail are
 * skipped and recorded. Never throws: discovery failing must not stop the refresh of everything else.
 */
export async function discoverEnvironments(deps: DiscoveryDeps): Promise<void> {
  const entries = deps.workspace.config.discover;
  try {
    const reads = await Promise.all(entries.map((entry) => readSource(deps.git, entry)));
    const stored = await deps.db.discoveredEnvironment.findMany({ orderBy: { position: "asc" } });
    const now = new Date();
    const rows = entries.flatMap((entry, i): DiscoveredRow[] => {
      const read = reads[i]!;
      const source = discoverySource(entry);
      if (!read.ok) return stored.filter((row) => row.source === source);
      return toRows(source, read.entries);
    });
    const built = toDiscoveredEnvironments(deps.workspace.config, rows);
    const sources = entries.map(discoverySource);
    const firstSeen = (row: DiscoveredRow) => stored.find((s) => s.source === row.source && s.name === row.name)?.discoveredAt;
    await deps.db.$transaction([
      // Entries removed from slipway.yaml take their environments with them.
      deps.db.discoveredEnvironment.deleteMany({ where: { source: { notIn: sources } } }),
      deps.db.discoverySource.deleteMany({ where: { source: { notIn: sources } } }),
      ...entries.flatMap((entry, i) => {
        const read = reads[i]!;
        const source = sources[i]!;
        if (!read.ok) {
          const failed = { readAt: now, error: read.error };
          return [deps.db.discoverySource.upsert({ where: { source }, create: { source, ...failed, problems: [] }, update: failed })];
        }
        const state = { readAt: now, lastSuccessAt: now, commitSha: read.sha, error: null, problems: [...read.problems, ...(built.problems.get(source) ?? [])] };
        return [
          deps.db.discoveredEnvironment.deleteMany({ where: { source } }),
          deps.db.discoveredEnvironment.createMany({
            data: rows
              .filter((row) => row.source === source)
              .map((row) => ({ ...row, attributes: row.attributes as object, discoveredAt: firstSeen(row) ?? now })),
          }),
          deps.db.discoverySource.upsert({ where: { source }, create: { source, ...state }, update: state }),
        ];
      }),
    ]);
    applyDiscoveredEnvironments(deps.workspace, built.environments);
    reads.forEach((read, i) => {
      if (!read.ok) logger.warn({ source: sources[i], error: read.error }, "release file not read; keeping the environments found before");
      else if (read.problems.length > 0) logger.warn({ source: sources[i], problems: read.problems }, "release file entries skipped");
    });
    for (const [source, problems] of built.problems) logger.warn({ source, problems }, "discovered environments skipped");
  } catch (error) {
    logger.error({ err: error }, "discovering environments failed; keeping the environments found before");
  }
}

/** The stored discovered environments, put in the workspace: what a server or command has before any refresh. */
export async function loadDiscoveredEnvironments(deps: Pick<DiscoveryDeps, "workspace" | "db">): Promise<void> {
  const entries = deps.workspace.config.discover;
  if (entries.length === 0) return;
  const rows = await deps.db.discoveredEnvironment.findMany({ where: { source: { in: entries.map(discoverySource) } }, orderBy: { position: "asc" } });
  const built = toDiscoveredEnvironments(deps.workspace.config, rows);
  applyDiscoveredEnvironments(deps.workspace, built.environments);
  for (const [source, problems] of built.problems) logger.warn({ source, problems }, "discovered environments skipped");
}

/** At server start: the server's workspace gets the stored discovered environments. Failures are logged only. */
export async function restoreDiscoveredEnvironments(): Promise<void> {
  try {
    const workspace = getWorkspace();
    if (workspace.config.discover.length > 0) await loadDiscoveredEnvironments({ workspace, db: getDb() });
  } catch (error) {
    logger.error({ error: errorMessage(error) }, "discovered environments not restored");
  }
}

/**
 * The release files read now, nothing stored: for CLI commands, which read stacks live and may not open the embedded
 * database while the app holds it. Returns what could not be read or was skipped, for the command to print.
 */
export async function discoverEnvironmentsLive(deps: Pick<DiscoveryDeps, "workspace" | "git">): Promise<string[]> {
  const entries = deps.workspace.config.discover;
  const reads = await Promise.all(entries.map((entry) => readSource(deps.git, entry)));
  const rows = entries.flatMap((entry, i): DiscoveredRow[] => {
    const read = reads[i]!;
    return read.ok ? toRows(discoverySource(entry), read.entries) : [];
  });
  const built = toDiscoveredEnvironments(deps.workspace.config, rows);
  applyDiscoveredEnvironments(deps.workspace, built.environments);
  return [
    ...reads.flatMap((read, i) => (read.ok ? read.problems : [`${discoverySource(entries[i]!)}: ${read.error}`])),
    ...[...built.problems.values()].flat(),
  ];
}

/** slipway.yaml's environments, then `discovered`; the workspace object stays the same one. */
export function applyDiscoveredEnvironments(workspace: Workspace, discovered: EnvironmentConfig[]): void {
  workspace.config.environments = [...workspace.config.environments.filter((env) => !env.discovered), ...discovered];
}

/**
 * Stored rows → environments, with each discover entry's settings. A name slipway.yaml already uses stays slipway.yaml's,
 * and a name two files list goes to the first entry in slipway.yaml; both are reported, keyed by the source that lost.
 */
export function toDiscoveredEnvironments(
  config: Pick<WorkspaceConfig, "environments" | "discover">,
  rows: DiscoveredRow[],
): { environments: EnvironmentConfig[]; problems: Map<string, string[]> } {
  const taken = new Map(config.environments.filter((env) => !env.discovered).map((env) => [env.name, "slipway.yaml"]));
  const environments: EnvironmentConfig[] = [];
  const problems = new Map<string, string[]>();
  const report = (source: string, problem: string) => problems.set(source, [...(problems.get(source) ?? []), problem]);
  for (const entry of config.discover) {
    const source = discoverySource(entry);
    for (const row of rows.filter((r) => r.source === source)) {
      const owner = taken.get(row.name);
      if (owner) {
        report(source, `${entry.file}: "${row.name}" is already an environment in ${owner}; that one is kept`);
        continue;
      }
      const environment = toEnvironment(entry, row);
      if (typeof environment === "string") {
        report(source, `${entry.file}: "${row.name}": ${environment}`);
        continue;
      }
      taken.set(row.name, `${entry.file} of ${entry.repo}`);
      environments.push(environment);
    }
  }
  return { environments, problems };
}

function toEnvironment(entry: DiscoverConfig, row: DiscoveredRow): EnvironmentConfig | string {
  const attributes = attributesSchema.safeParse(row.attributes);
  if (!attributes.success) return "stored attributes are unreadable; the next refresh reads them again";
  const { release, cluster, values, namespace } = attributes.data;
  if (cluster === undefined && entry.url?.includes("{cluster}")) {
    return "slipway.yaml's url uses {cluster}, and the file names no cluster for it";
  }
  const candidate = {
    name: row.name,
    repo: entry.repo,
    branch: row.branch,
    path: entry.path,
    groups: { ...entry.groups, ...(cluster && { cluster }) },
    ...(entry.url && { url: entry.url.replaceAll("{release}", release).replaceAll("{cluster}", cluster ?? "") }),
    includePrereleases: entry.includePrereleases,
    readImageTags: entry.readImageTags,
    ...(entry.snapshots && { snapshots: { tagPattern: entry.snapshots.tagPattern.replaceAll("{release}", release) } }),
  };
  // The same rules as an environment written in slipway.yaml: name, branch, URL and tag pattern.
  const parsed = environmentConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join(".") || "entry"}: ${issue.message}`;
  }
  return {
    ...parsed.data,
    discovered: {
      repo: entry.repo,
      file: entry.file,
      fileBranch: entry.branch,
      release,
      ...(cluster !== undefined && { cluster }),
      ...(values !== undefined && { values }),
      ...(namespace !== undefined && { namespace }),
    },
  };
}

function toRows(source: string, entries: ReleaseConfigEntry[]): DiscoveredRow[] {
  return entries.map(({ branch, ...attributes }, position) => ({ source, name: attributes.release, branch, position, attributes }));
}

type SourceRead = { ok: true; sha: string; entries: ReleaseConfigEntry[]; problems: string[] } | { ok: false; error: string };

async function readSource(git: GitProvider, entry: DiscoverConfig): Promise<SourceRead> {
  try {
    const head = await git.branchHead(entry.repo, entry.branch);
    const text = (await git.readFiles(entry.repo, head.sha, [entry.file])).get(entry.file);
    if (text === undefined) return { ok: false, error: `${entry.file} is not on ${entry.branch} of ${entry.repo}` };
    const read = readReleaseConfig(text, entry.file);
    return read.ok ? { ok: true, sha: head.sha, entries: read.entries, problems: read.problems } : { ok: false, error: read.error };
  } catch (error) {
    return { ok: false, error: `${entry.file} on ${entry.branch} of ${entry.repo} cannot be read: ${errorMessage(error)}` };
  }
}

export interface DiscoveryStatus {
  source: string;
  repo: string;
  file: string;
  branch: string;
  readAt?: Date;
  lastSuccessAt?: Date;
  /** Why the file could not be read at the last attempt. */
  error?: string;
  /** Entries skipped and names taken elsewhere, at the last good read. */
  problems: string[];
}

/** Each discover entry's last read, for the pages that show what went wrong. */
export async function readDiscoveryStatus(db: PrismaClient, config: Pick<WorkspaceConfig, "discover">): Promise<DiscoveryStatus[]> {
  if (config.discover.length === 0) return [];
  const rows = await db.discoverySource.findMany({ where: { source: { in: config.discover.map(discoverySource) } } });
  return config.discover.map((entry) => {
    const source = discoverySource(entry);
    const row = rows.find((r) => r.source === source);
    return {
      source,
      repo: entry.repo,
      file: entry.file,
      branch: entry.branch,
      readAt: row?.readAt,
      lastSuccessAt: row?.lastSuccessAt ?? undefined,
      error: row?.error ?? undefined,
      problems: row?.problems ?? [],
    };
  });
}
