import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { RefreshResult } from "./refresh-snapshots";

/**
 * Refreshes asked for through the database (RefreshRequest rows), for instances sharing one PostgreSQL database: any
 * instance stores the request, the one leading the refresh (lib/snapshots/refresh-leader.ts) claims and does it, and
 * the asker reads the answer from the row. A leader that dies leaves its claimed rows unfinished, and the next leader
 * takes them again, so a click or a webhook's refresh is never lost.
 */

/** The NOTIFY channel that wakes the leader when a request is stored. */
export const REFRESH_REQUESTED_CHANNEL = "slipway_refresh_requested";

/** What a RefreshRun left without finishedAt is closed with, once the instance that ran it is known to be gone. */
export const INTERRUPTED_RUN_ERROR = "interrupted: the instance running this refresh stopped before it finished";

/** Finished requests are kept this long, for whoever waits on one to read its answer. */
const KEEP_FINISHED_MS = 24 * 3600_000;

export interface StoredRefreshRequest {
  id: number;
  trigger: string;
  full: boolean;
  environments: string[];
}

/**
 * Stores a request and wakes the leader; returns the id to wait on. A full refresh joins one already asked for and not
 * finished (waiting, or under way), as a double click or a tick during a slow refresh joins it in one process.
 */
export async function enqueueRefreshRequest(db: PrismaClient, request: { trigger: string; environments?: string[] }): Promise<number> {
  if (!request.environments) {
    const open = await db.refreshRequest.findFirst({ where: { full: true, finishedAt: null }, orderBy: { id: "asc" }, select: { id: true } });
    if (open) return open.id;
  }
  const row = await db.refreshRequest.create({
    data: { trigger: request.trigger, full: !request.environments, environments: request.environments ?? [] },
    select: { id: true },
  });
  await db.$executeRaw`SELECT pg_notify(${REFRESH_REQUESTED_CHANNEL}, ${String(row.id)})`;
  return row.id;
}

/** The waiting requests, now claimed by `term`: the leader does them in one go. */
export async function claimRefreshRequests(db: PrismaClient, term: string, now = new Date()): Promise<StoredRefreshRequest[]> {
  const waiting = await db.refreshRequest.findMany({ where: { claimedBy: null, finishedAt: null }, orderBy: { id: "asc" }, select: { id: true } });
  if (waiting.length === 0) return [];
  const ids = waiting.map((row) => row.id);
  await db.refreshRequest.updateMany({ where: { id: { in: ids }, claimedBy: null }, data: { claimedBy: term, claimedAt: now } });
  return db.refreshRequest.findMany({
    where: { id: { in: ids }, claimedBy: term, finishedAt: null },
    orderBy: { id: "asc" },
    select: { id: true, trigger: true, full: true, environments: true },
  });
}

/** Records the answer, unless the rows were taken back from `term` (it lost the lead, and the next leader redoes them). */
export async function settleRefreshRequests(
  db: PrismaClient,
  term: string,
  ids: number[],
  answer: { runId: number } | { error: string },
  now = new Date(),
): Promise<number> {
  const { count } = await db.refreshRequest.updateMany({
    where: { id: { in: ids }, claimedBy: term, finishedAt: null },
    data: { finishedAt: now, ...("runId" in answer ? { runId: answer.runId } : { error: answer.error.slice(0, 2000) }) },
  });
  return count;
}

/**
 * What a new leader finds of the one before it: its claimed requests go back to waiting (this leader does them again),
 * and its RefreshRuns without finishedAt are closed as interrupted, so no page shows a refresh in progress forever.
 * Only a leader calls this: every refresh on a shared database runs under the lead, so an unfinished run is a dead one's.
 */
export async function takeOverFromPreviousLeader(db: PrismaClient, now = new Date()): Promise<{ requests: number; runs: number }> {
  const requests = await db.refreshRequest.updateMany({ where: { finishedAt: null, claimedBy: { not: null } }, data: { claimedBy: null, claimedAt: null } });
  const runs = await closeInterruptedRuns(db, now);
  await db.refreshRequest.deleteMany({ where: { finishedAt: { lt: new Date(now.getTime() - KEEP_FINISHED_MS) } } });
  return { requests: requests.count, runs };
}

/** Closes every RefreshRun without finishedAt as interrupted; returns how many. */
export async function closeInterruptedRuns(db: PrismaClient, now = new Date()): Promise<number> {
  // Nothing is being read any more: the progress shown for the run must not say otherwise.
  const { count } = await db.refreshRun.updateMany({
    where: { finishedAt: null },
    data: { finishedAt: now, error: INTERRUPTED_RUN_ERROR, reading: [] },
  });
  return count;
}

export type RefreshRequestOutcome = { done: false } | { done: true; result: RefreshResult } | { done: true; error: string };

/** Whether the request has been answered, and with which refresh (its figures read back from the RefreshRun). */
export async function readRefreshRequestOutcome(db: PrismaClient, id: number): Promise<RefreshRequestOutcome> {
  const row = await db.refreshRequest.findUnique({ where: { id }, select: { finishedAt: true, runId: true, error: true } });
  if (!row) return { done: true, error: `refresh request ${id} is no longer stored` };
  if (!row.finishedAt) return { done: false };
  if (row.runId === null) return { done: true, error: row.error ?? "the refresh failed" };
  const run = await db.refreshRun.findUnique({ where: { id: row.runId } });
  if (!run) return { done: true, error: `refresh run ${row.runId} is no longer stored` };
  const finishedAt = run.finishedAt ?? row.finishedAt;
  return {
    done: true,
    result: {
      runId: run.id,
      environments: run.environments,
      failed: run.failed,
      skipped: run.skipped,
      stats: { requests: run.requests, notModified: run.notModified, bytes: Number(run.bytes) },
      durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    },
  };
}
