import type { GitHubConfig } from "@/lib/config/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { HistoryEntry, VersionChange } from "@/lib/history/history-types";
import { pullRequestUrl } from "@/lib/history/pull-request-url";
import { readRecentHistory } from "@/lib/history/read-recent-history";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 1000;

export interface HistoryCommandOptions {
  env: string;
  json?: boolean;
  /** As typed: commander hands options over as strings. */
  limit?: string | number;
  config?: string;
}

/** `slipway history --json`: one document, stable field names (README, "slipway history"). */
export interface HistoryDocument {
  schemaVersion: 1;
  generatedAt: string;
  config: string;
  environment: string;
  repo: string;
  branch: string;
  path: string;
  headSha: string;
  /** The history was read back to the branch's first commit: there are no older entries than these. */
  complete: boolean;
  entries: HistoryJsonEntry[];
}

export interface HistoryJsonEntry {
  sha: string;
  date: string;
  author: { name: string; email: string };
  subject: string;
  merge: boolean;
  pullRequest: number | null;
  pullRequestUrl: string | null;
  changeRequest: number | null;
  kind: HistoryEntry["kind"];
  changes: { service: string; chart: string; kind: VersionChange["kind"]; from: string | null; to: string | null }[];
  error: string | null;
}

/**
 * `slipway history --env NAME [--json] [--limit N]`: the environment's release history, newest first, read from git
 * with the same extraction the refresher stores, so it needs no running server or database (and so it cannot name
 * Slipway's release requests beyond what commit subjects say).
 */
export async function runHistoryCommand(options: HistoryCommandOptions): Promise<string> {
  const limit = parseLimit(options.limit);
  const name = options.env.trim();
  if (!name || name.length > 100) throw new ValidationError("--env needs an environment name (at most 100 characters)");
  const { workspace, config, git } = await createCliDepsWithDiscovery(options.config);
  const env = config.environments.find((e) => e.name === name);
  if (!env) throw new NotFoundError(`unknown environment "${name}"; known: ${config.environments.map((e) => e.name).join(", ")}`);
  authorizeCli(cliPrincipal(), "environment.view", { type: "environment", name: env.name, environment: env }, config.access);

  const history = await readRecentHistory(git, env, limit);
  const entries = history.entries.map((entry) => toJson(entry, config.github, env.repo));
  if (options.json) {
    const document: HistoryDocument = {
      schemaVersion: 1,
      generatedAt: new Date().toISOString(),
      config: workspace.configPath,
      environment: env.name,
      repo: env.repo,
      branch: env.branch,
      path: env.path,
      headSha: history.headSha,
      complete: history.complete,
      entries,
    };
    return JSON.stringify(document, null, 2);
  }
  return formatHistory(`${env.name} (${env.branch} at ${history.headSha.slice(0, 12)})`, entries, history.complete);
}

function parseLimit(raw: string | number | undefined): number {
  if (raw === undefined) return DEFAULT_HISTORY_LIMIT;
  const limit = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw new ValidationError(`--limit must be a whole number from 1 to ${MAX_HISTORY_LIMIT}, got "${raw}"`);
  }
  return limit;
}

function toJson(entry: HistoryEntry, github: GitHubConfig | undefined, repo: string): HistoryJsonEntry {
  return {
    sha: entry.sha,
    date: entry.date.toISOString(),
    author: { name: entry.authorName, email: entry.authorEmail },
    subject: entry.subject,
    merge: entry.merge,
    pullRequest: entry.pullRequest ?? null,
    pullRequestUrl: (entry.pullRequest !== undefined ? pullRequestUrl(github, repo, entry.pullRequest) : undefined) ?? null,
    changeRequest: entry.changeRequest ?? null,
    kind: entry.kind,
    changes: entry.changes.map((c) => ({ service: c.service, chart: c.chart, kind: c.kind, from: c.from, to: c.to })),
    error: entry.error ?? null,
  };
}

export function formatHistory(title: string, entries: HistoryJsonEntry[], complete: boolean): string {
  const out = [title, ""];
  if (entries.length === 0) out.push("No commit on this branch changed a pinned version.");
  for (const entry of entries) {
    const reference = entry.pullRequest ? `  PR #${entry.pullRequest}` : entry.changeRequest ? `  change request #${entry.changeRequest}` : "";
    out.push(`${entry.date.slice(0, 16).replace("T", " ")} UTC  ${entry.sha.slice(0, 12)}  ${entry.author.name}${reference}`);
    out.push(`  ${entry.subject}`);
    if (entry.kind === "unreadable") out.push(`  ! chart unreadable: ${entry.error}`);
    if (entry.kind === "readable") out.push("  chart readable again");
    for (const change of entry.changes) {
      if (change.kind === "added") out.push(`  + ${change.service} ${change.to}`);
      else if (change.kind === "removed") out.push(`  - ${change.service} ${change.from}`);
      else out.push(`  ${change.service} ${change.from} → ${change.to}`);
    }
    out.push("");
  }
  if (!complete) out.push(`(older entries not shown; --limit up to ${MAX_HISTORY_LIMIT})`);
  return out.join("\n").trimEnd();
}
