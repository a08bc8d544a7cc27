import pLimit from "p-limit";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { hasErrorName } from "@/lib/errors";
import type { GitCommit, GitProvider } from "@/lib/git/git-provider";
import { readStackFiles, stackFilePath } from "@/lib/releases/read-stack-files";
import { type CommitWithState, extractHistoryEntries } from "./extract-history-entries";
import type { HistoryEntry, StackState } from "./history-types";
import { readStackState } from "./read-stack-state";

/** Stack reads at once where the adapter reads one commit at a time (GitHub: a few contents requests each). */
const READ_CONCURRENCY = 8;

export interface HistoryBatch {
  /** Entries, newest first. */
  entries: HistoryEntry[];
  /** The commits touching the stack folder that were read, newest first (each cost one read of the stack). */
  commits: GitCommit[];
  /** Where reading further back continues: the first parent of the oldest commit read; undefined when there is no more. */
  next?: string;
}

/**
 * The first-parent commits that touched the environment's stack folder, newest first from `from` (inclusive), as
 * the git port lists them (`git log --first-parent -- <path>`: a commit whose change against its first parent touches
 * the folder; a whole-repository stack lists every commit). With `until`, the listing may end at that commit.
 */
export function listStackCommits(git: GitProvider, env: EnvironmentConfig, from: string, limit: number, until?: string): Promise<GitCommit[]> {
  return git.listHistory(env.repo, from, { firstParent: true, limit, ...(env.path ? { path: env.path } : {}), ...(until ? { until } : {}) });
}

/**
 * Reads back from `from` (inclusive) up to `limit` commits that touched the stack folder, and the history entries
 * among them. Costs one listing and one stack read per commit, plus one for the state before the oldest.
 */
export async function readHistoryBatch(git: GitProvider, env: EnvironmentConfig, from: string, limit: number): Promise<HistoryBatch> {
  const commits = await listStackCommits(git, env, from, limit);
  const oldest = commits.at(-1);
  if (!oldest) return { entries: [], commits };
  const parent = oldest.parents[0];
  // The oldest commit's first parent is read in the same go: the state the first change is measured against.
  const states = await readStatesAt(git, env, [...commits.map((commit) => commit.sha), ...(parent ? [parent] : [])]);
  const before = parent ? states.pop()! : ABSENT;
  // A short listing ran out of history: nothing older touched the folder.
  const next = commits.length < limit ? undefined : parent;
  const entries = extractHistoryEntries(
    commits.map((commit, i) => ({ commit, state: states[i]! })),
    before,
  );
  return { entries, commits, ...(next && { next }) };
}

const ABSENT: StackState = { kind: "absent" };

/**
 * Every file readStackFiles reads when values.yaml is not wanted: fetched in bulk, and the key under which commits
 * with the same files share one parse. readStackFiles still decides what it reads; anything else it asks for is read
 * from git, commit by commit.
 */
const STACK_FILE_NAMES = ["Chart.yaml", "Chart.lock", "requirements.yaml", "requirements.lock"];

/** The stack at each commit, in the same order. */
export async function readCommitStates(git: GitProvider, env: EnvironmentConfig, commits: readonly GitCommit[]): Promise<CommitWithState[]> {
  const states = await readStatesAt(git, env, commits.map((commit) => commit.sha));
  return commits.map((commit, i) => ({ commit, state: states[i]! }));
}

export async function readStateAt(git: GitProvider, env: EnvironmentConfig, sha: string): Promise<StackState> {
  try {
    return readStackState(await readStackFiles(git, env, sha, { values: false }));
  } catch (error) {
    // A chart file over the size limit is an unreadable chart at that commit, not a history that cannot be read.
    if (isOversizedFile(error)) return { kind: "unreadable", error: (error as Error).message };
    throw error;
  }
}

/** The git adapters refuse a stack file over MAX_YAML_FILE_BYTES unread, with describeOversizedYamlFile's message. */
function isOversizedFile(error: unknown): boolean {
  return hasErrorName(error, "GitError") && / MB; Slipway reads chart files up to /.test((error as Error).message);
}

/**
 * The stack at many commits. Where the adapter reads many commits at once (plain git: a few processes for hundreds of
 * commits), the files are fetched in bulk and readStackFiles is served from them; otherwise commit by commit.
 */
async function readStatesAt(git: GitProvider, env: EnvironmentConfig, shas: string[]): Promise<StackState[]> {
  if (!git.readFilesAtCommits) {
    const limit = pLimit(READ_CONCURRENCY);
    return Promise.all(shas.map((sha) => limit(() => readStateAt(git, env, sha))));
  }
  const paths = STACK_FILE_NAMES.map((file) => stackFilePath(env, file));
  // One oversized file fails the bulk read: then these commits are read one by one, and only that one is unreadable.
  const bulk = await git.readFilesAtCommits(env.repo, shas, paths).catch((error: unknown) => (isOversizedFile(error) ? undefined : Promise.reject(error)));
  if (!bulk) {
    const limit = pLimit(READ_CONCURRENCY);
    return Promise.all(shas.map((sha) => limit(() => readStateAt(git, env, sha))));
  }
  // Commits that leave the chart and lock as they were (a values.yaml change) are parsed once.
  const parsed = new Map<string, Promise<StackState>>();
  return Promise.all(
    shas.map((sha) => {
      const read = bulk.get(sha);
      const key = read ? paths.map((p) => read.get(p) ?? "\u0001").join("\u0000") : undefined;
      const known = key === undefined ? undefined : parsed.get(key);
      if (known) return known;
      const serving: GitProvider = {
        ...git,
        readFiles: async (repo, commit, wanted) =>
          read && commit === sha && wanted.every((p) => read.has(p)) ? new Map(wanted.map((p) => [p, read.get(p)])) : git.readFiles(repo, commit, wanted),
      };
      const state = readStateAt(serving, env, sha);
      if (key !== undefined) parsed.set(key, state);
      return state;
    }),
  );
}
