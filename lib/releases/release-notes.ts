import { buildChangelog } from "@/lib/changelog/build-changelog";
import type { EnvironmentConfig, WorkspaceConfig } from "@/lib/config/schema";
import { ValidationError, errorMessage } from "@/lib/errors";
import type { GitCommit, GitProvider } from "@/lib/git/git-provider";
import type { HistoryEntry } from "@/lib/history/history-types";
import { readHistoryBatch } from "@/lib/history/read-history-batch";
import { findBranchCommit } from "./plan-rollback";

/** At most this many commits of the stack folder are read between the two ends. */
const NOTES_COMMIT_LIMIT = 2000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What went out in one environment between two points of its history, per service, tickets deduplicated. */
export interface ReleaseNotes {
  environment: string;
  from: { sha: string; date: string; subject: string };
  to: { sha: string; date: string; subject: string };
  services: {
    service: string;
    /** Every version it ran, oldest first: where it started, each change in between, where it ended. */
    versions: string[];
    /** "added" when the changelog adds commits (an upgrade), "removed" when it takes them out (a net downgrade). */
    effect: "added" | "removed" | "none";
    tickets: { key: string; subjects: string[] }[];
    notes: string[];
  }[];
  /** Every ticket once, with the services it came with. */
  tickets: { key: string; services: string[] }[];
  /** The entries of the range, newest first (for "which merges were these"). */
  entries: { sha: string; date: string; subject: string }[];
}

/**
 * Release notes for a delivery manager: between `from` (a commit or tag of the environment branch, or a day
 * `YYYY-MM-DD`, meaning the state at the start of that day) and `to` (default: the branch head), per service the
 * versions it went through and the Jira tickets of its commits between where it started and where it ended, and every
 * ticket once. Read from git, like `slipway history`.
 */
export async function buildReleaseNotes(
  deps: { config: WorkspaceConfig; git: GitProvider },
  env: EnvironmentConfig,
  range: { from: string; to?: string },
): Promise<ReleaseNotes> {
  const head = await deps.git.branchHead(env.repo, env.branch);
  const to = range.to ? await findBranchCommit(deps, env, range.to.trim(), head.sha) : (await deps.git.listHistory(env.repo, head.sha, { limit: 1 }))[0]!;
  const from = DAY.test(range.from.trim()) ? await lastCommitBefore(deps.git, env, to.sha, range.from.trim()) : await findBranchCommit(deps, env, range.from.trim(), head.sha);
  if (from.sha === to.sha) throw new ValidationError("The range is empty: --from and --to name the same commit.");

  const entries = await entriesBetween(deps.git, env, from, to.sha);
  const chronological = [...entries].reverse();
  const versions = new Map<string, string[]>();
  for (const entry of chronological) {
    for (const change of entry.changes) {
      const list = versions.get(change.service) ?? (change.from ? [change.from] : []);
      if (change.to) list.push(change.to);
      versions.set(change.service, list);
    }
  }

  const services: ReleaseNotes["services"] = [];
  for (const [service, went] of versions) {
    const first = went[0]!;
    const last = went.at(-1)!;
    const config = deps.config.services[service] ?? Object.values(deps.config.services).find((s) => s.chart === service);
    const entry = { service, versions: dedupeRuns(went), effect: "none" as ReleaseNotes["services"][number]["effect"], tickets: [] as { key: string; subjects: string[] }[], notes: [] as string[] };
    if (first === last && entry.versions.length > 1) {
      entry.notes.push(`Back where it started: ${entry.versions.slice(1, -1).join(", ")} went out and was rolled back.`);
    } else if (!config?.repo) {
      entry.notes.push(`No source repository is configured for ${service}, so its tickets cannot be listed.`);
    } else if (first !== last) {
      try {
        const changelog = await buildChangelog({ git: deps.git, repo: config.repo, tagPattern: config.tagPattern, from: first, to: last, jiraProject: config.jiraProject });
        entry.effect = changelog.effect;
        const subjects = new Map(changelog.commits.map((c) => [c.sha, c.subject]));
        entry.tickets = changelog.tickets.map((t) => ({ key: t.key, subjects: t.commits.map((sha) => subjects.get(sha) ?? "") }));
        if (changelog.fallback) entry.notes.push(changelog.fallback);
        if (changelog.truncated) entry.notes.push("More commits than could be listed; the tickets of the oldest are missing.");
      } catch (error) {
        entry.notes.push(`The commits of ${service} could not be read: ${errorMessage(error)}`);
      }
    }
    services.push(entry);
  }
  services.sort((a, b) => a.service.localeCompare(b.service));

  const tickets = new Map<string, string[]>();
  for (const s of services) for (const t of s.tickets) tickets.set(t.key, [...(tickets.get(t.key) ?? []), s.service]);
  const point = (c: GitCommit) => ({ sha: c.sha, date: c.date.toISOString(), subject: c.subject });
  return {
    environment: env.name,
    from: point(from),
    to: point(to),
    services,
    tickets: [...tickets].map(([key, withServices]) => ({ key, services: withServices })),
    entries: entries.map((e) => ({ sha: e.sha, date: e.date.toISOString(), subject: e.subject })),
  };
}

/** The notes as Markdown, for pasting into a release announcement. */
export function formatReleaseNotes(notes: ReleaseNotes): string {
  const day = (iso: string) => iso.slice(0, 10);
  const lines = [
    `# ${notes.environment}: release notes`,
    "",
    `From ${notes.from.sha.slice(0, 8)} (${day(notes.from.date)}) to ${notes.to.sha.slice(0, 8)} (${day(notes.to.date)}): ` +
      `${notes.entries.length === 1 ? "1 release" : `${notes.entries.length} releases`}, ` +
      `${notes.services.length === 1 ? "1 service" : `${notes.services.length} services`}, ` +
      `${notes.tickets.length === 1 ? "1 ticket" : `${notes.tickets.length} tickets`}.`,
  ];
  for (const s of notes.services) {
    lines.push("", `## ${s.service}: ${s.versions.join(" → ")}${s.effect === "removed" ? " (rolled back)" : ""}`);
    if (s.tickets.length === 0 && s.notes.length === 0) lines.push("No tickets named in its commits.");
    for (const t of s.tickets) lines.push(`- ${s.effect === "removed" ? "taken out: " : ""}${t.key}: ${t.subjects[0] ?? ""}`);
    for (const note of s.notes) lines.push(`> ${note}`);
  }
  if (notes.tickets.length > 0) {
    lines.push("", "## Tickets", "");
    for (const t of notes.tickets) lines.push(`- ${t.key} (${t.services.join(", ")})`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The entries after `from` up to and including `to`, newest first. `from` may not touch the stack folder (then it is
 * not among the stack's commits): the first-parent line is in time order, so reading stops at the first commit not
 * newer than it.
 */
async function entriesBetween(git: GitProvider, env: EnvironmentConfig, from: GitCommit, to: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  let next: string | undefined = to;
  let read = 0;
  while (next && read < NOTES_COMMIT_LIMIT) {
    const batch = await readHistoryBatch(git, env, next, 250);
    read += batch.commits.length;
    const stop = batch.commits.findIndex((c) => c.sha === from.sha || c.date <= from.date);
    const kept = new Set((stop >= 0 ? batch.commits.slice(0, stop) : batch.commits).map((c) => c.sha));
    entries.push(...batch.entries.filter((e) => kept.has(e.sha)));
    if (stop >= 0) return entries;
    next = batch.next;
  }
  if (next) throw new ValidationError(`The range holds more than ${NOTES_COMMIT_LIMIT} commits of the stack: choose a shorter one.`);
  return entries;
}

/** The newest first-parent commit before the start of `day` (UTC): the state the environment was in then. */
async function lastCommitBefore(git: GitProvider, env: EnvironmentConfig, head: string, day: string): Promise<GitCommit> {
  const start = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(start.getTime())) throw new ValidationError(`"${day}" is not a day (YYYY-MM-DD).`);
  const history = await git.listHistory(env.repo, head, { firstParent: true, limit: 5000 });
  const before = history.find((c) => c.date < start);
  if (!before) throw new ValidationError(`${env.branch} has no commit before ${day}.`);
  return before;
}

/** 1.2.0, 1.2.0, 1.3.0 → 1.2.0, 1.3.0 (a merge that moved something else lists the same version twice). */
function dedupeRuns(versions: string[]): string[] {
  return versions.filter((v, i) => i === 0 || v !== versions[i - 1]);
}
