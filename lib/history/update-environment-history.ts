import type { EnvironmentConfig } from "@/lib/config/schema";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { GitProvider } from "@/lib/git/git-provider";
import { extractHistoryEntries } from "./extract-history-entries";
import type { HistoryEntry } from "./history-types";
import { listStackCommits, readCommitStates, readHistoryBatch, readStateAt } from "./read-history-batch";

/**
 * Bumped whenever the reading rules change what an entry holds (extraction, version resolution): every stored
 * history is then read again from the start, so old and new entries never mix.
 */
export const HISTORY_FORMAT = 1;

export interface HistoryUpdateOptions {
  /**
   * Most commits (touching the stack folder) one update reads; each costs one read of the stack. The rest waits for the
   * next refresh, so a long history is read over several refreshes instead of holding one up for minutes.
   */
  maxCommits?: number;
  /** Commits per listing when reading back. */
  batchSize?: number;
  /**
   * Epoch milliseconds after which no further batch is read back (what is new at the head is still read): a refresh
   * shares one time budget among its environments (lib/history/update-histories.ts).
   */
  deadline?: number;
}

export const DEFAULT_HISTORY_MAX_COMMITS = 1000;
const DEFAULT_BATCH_SIZE = 250;

/** Why the stored history was thrown away and read again from the branch head. */
export type HistoryRestartReason =
  | "first read"
  | "source changed"
  | "format changed"
  | "no stack commits yet"
  | "history rewritten"
  | "too far behind";

export interface HistoryUpdateResult {
  /** Commits touching the stack folder read by this update (the work it did). */
  commitsRead: number;
  entriesAdded: number;
  restarted?: HistoryRestartReason;
  /** The whole history, back to the first commit, is stored. */
  complete: boolean;
}

export interface HistoryDeps {
  db: PrismaClient;
  git: GitProvider;
}

/**
 * Brings an environment's stored history up to `headSha` (the branch head the refresh just read), reading only what
 * is new since the last update, then continues reading further back where the last update stopped.
 *
 * The cursor keeps the branch head read up to (`headSha`), the newest commit touching the stack folder that was read
 * (`newestSha`), and where reading back continues (`nextSha`, null once the root is reached). A new head is read by
 * listing the stack's first-parent commits from it down to `newestSha`: only those are read. When `newestSha` is not
 * on the branch's first-parent chain any more (a force push rewrote history), or further back than `maxCommits`, the
 * stored history is dropped and read again from the head, over as many refreshes as it takes.
 *
 * Two app instances refreshing at once cannot both advance a cursor: the write checks the generation it read and the
 * loser's transaction is rolled back (it throws; the next refresh finds the work done).
 */
export async function updateEnvironmentHistory(
  deps: HistoryDeps,
  env: EnvironmentConfig,
  headSha: string,
  options: HistoryUpdateOptions = {},
): Promise<HistoryUpdateResult> {
  const { db, git } = deps;
  const maxCommits = options.maxCommits ?? DEFAULT_HISTORY_MAX_COMMITS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const cursor = await db.historyCursor.findUnique({ where: { environment: env.name } });
  let restarted: HistoryRestartReason | undefined = !cursor
    ? "first read"
    : cursor.format !== HISTORY_FORMAT
      ? "format changed"
      : cursor.repo !== env.repo || cursor.branch !== env.branch || cursor.path !== env.path
        ? "source changed"
        : undefined;
  if (cursor && !restarted && cursor.headSha === headSha && cursor.nextSha === null) {
    return { commitsRead: 0, entriesAdded: 0, complete: true };
  }

  let budget = maxCommits;
  let commitsRead = 0;
  let newer: HistoryEntry[] = [];
  let newestSha = restarted ? null : cursor!.newestSha;

  if (cursor && !restarted && cursor.headSha !== headSha) {
    const stopAt = cursor.newestSha;
    if (!stopAt) {
      restarted = "no stack commits yet";
    } else {
      // Listing may end at the commit read last time: what is new is usually a page, however long the history.
      const listed = await listStackCommits(git, env, headSha, budget + 1, stopAt);
      const at = listed.findIndex((commit) => commit.sha === stopAt);
      if (at < 0) {
        restarted = listed.length > budget ? "too far behind" : "history rewritten";
      } else if (at > 0) {
        const fresh = listed.slice(0, at);
        // The stop commit is read again rather than stored: the state the first new change is measured against.
        const [states, before] = await Promise.all([readCommitStates(git, env, fresh), readStateAt(git, env, stopAt)]);
        newer = extractHistoryEntries(states, before);
        newestSha = fresh[0]!.sha;
        commitsRead += fresh.length;
        budget -= fresh.length;
      }
    }
  }
  if (restarted) {
    newer = [];
    newestSha = null;
  }

  const older: HistoryEntry[] = [];
  let next: string | null = restarted ? headSha : cursor!.nextSha;
  while (next && budget > 0 && (options.deadline === undefined || Date.now() < options.deadline)) {
    const batch = await readHistoryBatch(git, env, next, Math.min(batchSize, budget));
    newestSha ??= batch.commits[0]?.sha ?? null;
    older.push(...batch.entries);
    commitsRead += batch.commits.length;
    budget -= batch.commits.length;
    next = batch.next ?? null;
  }

  const topSeq = restarted ? 0 : cursor!.topSeq;
  const bottomSeq = restarted ? 0 : cursor!.bottomSeq;
  const rows = [
    ...newer.map((entry, i) => toRow(env.name, entry, topSeq + newer.length - i)),
    ...older.map((entry, i) => toRow(env.name, entry, bottomSeq - 1 - i)),
  ];
  const now = new Date();
  const state = {
    repo: env.repo,
    branch: env.branch,
    path: env.path,
    format: HISTORY_FORMAT,
    headSha,
    newestSha,
    nextSha: next,
    topSeq: topSeq + newer.length,
    bottomSeq: bottomSeq - older.length,
    commitsRead: (restarted ? 0 : cursor!.commitsRead) + commitsRead,
    updatedAt: now,
  };
  await db.$transaction([
    ...(restarted ? [db.historyEntry.deleteMany({ where: { environment: env.name } })] : []),
    cursor
      ? db.historyCursor.update({
          // P2025 when another refresher moved the cursor since it was read: the whole transaction rolls back.
          where: { environment: env.name, generation: cursor.generation },
          data: { ...state, generation: cursor.generation + 1, ...(restarted && { startedAt: now }) },
        })
      : db.historyCursor.create({ data: { environment: env.name, ...state, startedAt: now } }),
    db.historyEntry.createMany({ data: rows }),
  ]);
  return { commitsRead, entriesAdded: rows.length, ...(restarted && { restarted }), complete: next === null };
}

function toRow(environment: string, entry: HistoryEntry, seq: number): Prisma.HistoryEntryCreateManyInput {
  return {
    environment,
    sha: entry.sha,
    seq,
    committedAt: entry.date,
    authorName: clip(entry.authorName, MAX_NAME),
    authorEmail: clip(entry.authorEmail, MAX_NAME),
    subject: clip(entry.subject, MAX_SUBJECT),
    merge: entry.merge,
    pullRequest: entry.pullRequest ?? null,
    changeRequest: entry.changeRequest ?? null,
    kind: entry.kind,
    changes: entry.changes as unknown as Prisma.InputJsonValue,
    error: entry.error === undefined ? null : clip(entry.error, MAX_SUBJECT),
  };
}

/** Commit metadata is anyone's text: stored bounded, so one odd commit cannot bloat every history page. */
const MAX_SUBJECT = 500;
const MAX_NAME = 200;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
