import "server-only";
import pLimit from "p-limit";
import { MAX_YAML_FILE_BYTES } from "@/lib/charts/parse-yaml-file";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { BranchHead, PrefetchBranch } from "../git-provider";
import type { HistoryWindow } from "./first-parent-history";
import type { GitHubClient } from "./github-client";
import { createImmutableFileCache, type ImmutableFileCache } from "./immutable-file-cache";
import { buildPrefetchQuery, type PrefetchedHistory, readPrefetchedBranch, type PrefetchData, type PrefetchRepository } from "./prefetch-query";

/** GitHub's own advice is to keep queries small; 25 repositories × a few branches × five files stays far from limits. */
export const REPOSITORIES_PER_QUERY = 25;
const BRANCHES_PER_QUERY = 100;
/** Conditional branch reads at once: 304s are cheap, but GitHub asks integrations not to flood it. */
const REST_CONCURRENCY = 8;
/** A head a prefetch read answers branchHead this long at most; a refresh reads its environments well within it. */
const OFFER_TTL_MS = 10 * 60_000;
/** Heads remembered to tell "read before" from "unknown"; past it the oldest is forgotten (read again by GraphQL). */
const MAX_KNOWN_HEADS = 10_000;
/**
 * History windows kept for listHistory (each ≤ 100 commits, what a commit reaches never changes); past it the oldest
 * goes, and REST lists that one.
 */
const MAX_HISTORY_WINDOWS = 256;

const log = logger.child({ component: "github" });

export interface BranchPrefetchOptions {
  /** Bytes of chart files kept per client (default 32 MiB); files at a commit never change. */
  fileCacheBytes?: number;
}

interface Wanted {
  key: string;
  owner: string;
  name: string;
  branch: string;
  paths: string[];
  /** Stack folders whose history is wanted ("" for the whole repository); undefined when none is. */
  history?: string[];
}

export interface BranchPrefetch {
  files: ImmutableFileCache;
  prefetch(branches: PrefetchBranch[]): Promise<void>;
  /** The head a prefetch read for this branch, once; undefined when there is none (then read it through REST). */
  takeHead(owner: string, name: string, branch: string): BranchHead | undefined;
  /**
   * The newest commits from `sha` a prefetch read, with those touching `path` (undefined: no filter); undefined when
   * it read none.
   */
  historyWindow(owner: string, name: string, sha: string, path: string | undefined): HistoryWindow | undefined;
  /** A head read through REST: the branch is "read before" from now on. */
  remember(owner: string, name: string, branch: string, head: BranchHead): void;
  forget(owner: string, name: string, branch: string): void;
}

/** The path as the REST contents API is asked for it (readFiles does the same). */
export function normalizeFilePath(path: string): string {
  return path.replace(/^(\.\/)+|^\/+/, "");
}

/**
 * Reads the heads and chart files of many branches before a refresh reads them one by one. A branch whose head was
 * read before is asked with a conditional REST request (a 304 costs no rate limit, and the client holds the ETag of the
 * last branch read), and when it has not moved its files come from the cache of immutable files. Unknown or moved
 * branches are read by GraphQL, up to 25 repositories a query, head and files together. What could not be read is left
 * to branchHead and readFiles, which report it exactly as they always have.
 */
export function createBranchPrefetch(
  octokit: GitHubClient,
  restHead: (owner: string, name: string, branch: string) => Promise<BranchHead>,
  options: BranchPrefetchOptions = {},
): BranchPrefetch {
  const files = createImmutableFileCache(options.fileCacheBytes ?? 32 * 1024 * 1024);
  const known = new Map<string, string>();
  const offered = new Map<string, { head: BranchHead; until: number }>();
  /** By keyOf(owner, name, head sha): a map of its own, so a branch named like a sha cannot meet one. */
  const histories = new Map<string, PrefetchedHistory>();
  const keyOf = (owner: string, name: string, branch: string) => `${owner}/${name}`.toLowerCase() + `\0${branch}`;

  function remember(key: string, sha: string) {
    known.delete(key);
    known.set(key, sha);
    if (known.size > MAX_KNOWN_HEADS) known.delete(known.keys().next().value!);
  }

  function offer(key: string, head: BranchHead) {
    remember(key, head.sha);
    offered.set(key, { head, until: Date.now() + OFFER_TTL_MS });
  }

  function hasFiles(wanted: Wanted, sha: string): boolean {
    return wanted.paths.every((path) => files.get(`${wanted.owner}/${wanted.name}`, sha, path) !== undefined);
  }

  /** Branches read before: a conditional read each; those that moved, or whose files were dropped, are read again. */
  async function checkKnown(wanted: Wanted[]): Promise<{ unchanged: number; reread: Wanted[]; failed: number }> {
    const limit = pLimit(REST_CONCURRENCY);
    const reread: Wanted[] = [];
    let unchanged = 0;
    let failed = 0;
    await Promise.all(
      wanted.map((branch) =>
        limit(async () => {
          let head: BranchHead;
          try {
            head = await restHead(branch.owner, branch.name, branch.branch);
          } catch (error) {
            // Gone, renamed, forbidden or rate-limited: branchHead reads it again and reports it as it always has.
            known.delete(branch.key);
            failed++;
            log.debug({ repo: `${branch.owner}/${branch.name}`, branch: branch.branch, error: errorMessage(error) }, "prefetch: branch not read");
            return;
          }
          if (known.get(branch.key) === head.sha && hasFiles(branch, head.sha)) {
            unchanged++;
            offer(branch.key, head);
          } else {
            remember(branch.key, head.sha);
            reread.push(branch);
          }
        }),
      ),
    );
    return { unchanged, reread, failed };
  }

  /** Unknown and moved branches, by GraphQL: one query per 25 repositories (fewer when they hold many branches). */
  async function readByGraphql(wanted: Wanted[]): Promise<{ queries: number; read: number; failed: number }> {
    const byRepository = new Map<string, { repo: PrefetchRepository; wanted: Wanted[] }>();
    for (const branch of wanted) {
      const repoKey = `${branch.owner}/${branch.name}`.toLowerCase();
      const entry = byRepository.get(repoKey) ?? { repo: { owner: branch.owner, name: branch.name, branches: [] }, wanted: [] };
      entry.repo.branches.push({
        branch: branch.branch,
        paths: branch.paths,
        ...(branch.history && { history: { paths: branch.history.filter((path) => path !== "") } }),
      });
      entry.wanted.push(branch);
      byRepository.set(repoKey, entry);
    }
    const chunks: { repo: PrefetchRepository; wanted: Wanted[] }[][] = [];
    let current: typeof chunks[number] = [];
    let branches = 0;
    for (const entry of byRepository.values()) {
      if (current.length > 0 && (current.length >= REPOSITORIES_PER_QUERY || branches + entry.wanted.length > BRANCHES_PER_QUERY)) {
        chunks.push(current);
        current = [];
        branches = 0;
      }
      current.push(entry);
      branches += entry.wanted.length;
    }
    if (current.length > 0) chunks.push(current);

    let read = 0;
    let failed = 0;
    for (const chunk of chunks) {
      const { query, variables } = buildPrefetchQuery(chunk.map((entry) => entry.repo));
      let data: PrefetchData | undefined;
      try {
        data = await octokit.graphql<PrefetchData>(query, variables);
      } catch (error) {
        data = partialData(error);
        if (!data) {
          failed += chunk.reduce((sum, entry) => sum + entry.wanted.length, 0);
          log.warn({ err: error, repositories: chunk.length }, "prefetch by GraphQL failed; the refresh reads these branches one by one");
          continue;
        }
      }
      chunk.forEach((entry, r) => {
        entry.wanted.forEach((branch, b) => {
          const asked = entry.repo.branches[b]!;
          const answer = readPrefetchedBranch(data, r, b, { fileCount: branch.paths.length, ...(asked.history && { history: asked.history }) }, MAX_YAML_FILE_BYTES);
          if (!answer.head) {
            known.delete(branch.key);
            return;
          }
          answer.files.forEach((file, f) => {
            if (file.kind === "undecided") return;
            files.set(`${branch.owner}/${branch.name}`, answer.head!.sha, branch.paths[f]!, file.kind === "text" ? file.text : undefined);
          });
          offer(branch.key, answer.head);
          if (answer.history) {
            histories.set(keyOf(branch.owner, branch.name, answer.head.sha), answer.history);
            if (histories.size > MAX_HISTORY_WINDOWS) histories.delete(histories.keys().next().value!);
          }
          read++;
        });
      });
    }
    return { queries: chunks.length, read, failed };
  }

  return {
    files,

    async prefetch(requested) {
      const started = performance.now();
      try {
        const wanted = new Map<string, Wanted>();
        for (const { repo, branch, paths, history } of requested) {
          const match = /^([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(repo.trim());
          if (!match || !branch) continue; // branchHead names what is wrong with it
          const [, owner, name] = match as unknown as [string, string, string];
          const key = keyOf(owner, name, branch);
          const entry = wanted.get(key) ?? { key, owner, name, branch, paths: [] };
          for (const path of paths.map(normalizeFilePath)) if (!entry.paths.includes(path)) entry.paths.push(path);
          if (history) entry.history = [...new Set([...(entry.history ?? []), history.path ?? ""])];
          wanted.set(key, entry);
        }
        const all = [...wanted.values()];
        const unknown = all.filter((branch) => !known.has(branch.key));
        const checked = await checkKnown(all.filter((branch) => known.has(branch.key)));
        const graphql = await readByGraphql([...unknown, ...checked.reread]);
        log.info(
          {
            branches: all.length,
            unchanged: checked.unchanged,
            readByGraphql: graphql.read,
            graphqlQueries: graphql.queries,
            notRead: checked.failed + graphql.failed,
            durationMs: Math.round(performance.now() - started),
          },
          "GitHub prefetch finished",
        );
      } catch (error) {
        log.warn({ err: error }, "GitHub prefetch failed; the refresh reads branches one by one");
      }
    },

    takeHead(owner, name, branch) {
      const key = keyOf(owner, name, branch);
      const entry = offered.get(key);
      if (!entry) return undefined;
      offered.delete(key);
      return entry.until > Date.now() ? entry.head : undefined;
    },

    historyWindow(owner, name, sha, path) {
      const window = histories.get(keyOf(owner, name, sha));
      if (!window) return undefined;
      if (path === undefined) return { commits: window.commits, complete: window.complete };
      const touching = window.touching.get(path);
      return touching && { commits: window.commits, complete: window.complete, touching };
    },

    remember(owner, name, branch, head) {
      remember(keyOf(owner, name, branch), head.sha);
    },

    forget(owner, name, branch) {
      const key = keyOf(owner, name, branch);
      known.delete(key);
      offered.delete(key);
    },
  };
}

/**
 * GitHub answers a repository it cannot resolve with `null` data for its alias and a NOT_FOUND error; the rest of the
 * query is good. Any other error (a rejected query, a rate limit) fails the whole query.
 */
function partialData(error: unknown): PrefetchData | undefined {
  const failure = error as { name?: string; data?: unknown; errors?: { type?: string }[] };
  if (failure?.name !== "GraphqlResponseError" || !failure.data || !Array.isArray(failure.errors)) return undefined;
  return failure.errors.every((e) => e.type === "NOT_FOUND") ? (failure.data as PrefetchData) : undefined;
}
