import type { EnvironmentConfig } from "@/lib/config/schema";
import type { GitProvider } from "@/lib/git/git-provider";
import type { HistoryEntry } from "./history-types";
import { readHistoryBatch } from "./read-history-batch";

export interface RecentHistory {
  /** The branch head read from. */
  headSha: string;
  /** At most `limit` entries, newest first. */
  entries: HistoryEntry[];
  /** Commits touching the stack folder that were read. */
  commitsRead: number;
  /** The branch was read back to its first commit: there are no older entries. */
  complete: boolean;
}

/** However few entries it finds, it stops after reading this many commits of the stack folder. */
export const MAX_RECENT_COMMITS = 5000;

/**
 * The newest `limit` entries of an environment's history, read straight from git with the same extraction the
 * refresher stores (for the CLI, which needs no database). Reads in batches until it has enough entries, the history
 * ends, or it has read MAX_RECENT_COMMITS commits.
 */
export async function readRecentHistory(git: GitProvider, env: EnvironmentConfig, limit: number): Promise<RecentHistory> {
  const { sha: headSha } = await git.branchHead(env.repo, env.branch);
  const entries: HistoryEntry[] = [];
  let commitsRead = 0;
  let next: string | undefined = headSha;
  while (next && entries.length < limit && commitsRead < MAX_RECENT_COMMITS) {
    // Most stack commits change a version, so a batch a little larger than what is missing usually finishes it.
    const size = Math.min(250, Math.max(20, limit - entries.length + 5), MAX_RECENT_COMMITS - commitsRead);
    const batch = await readHistoryBatch(git, env, next, size);
    entries.push(...batch.entries);
    commitsRead += batch.commits.length;
    next = batch.next;
  }
  return { headSha, entries: entries.slice(0, limit), commitsRead, complete: next === undefined && entries.length <= limit };
}
