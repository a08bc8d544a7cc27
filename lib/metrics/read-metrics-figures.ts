import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** What /metrics reports from the database, read once per scrape. */
export interface MetricsFigures {
  environments: { name: string; refreshDurationSeconds: number; snapshotAgeSeconds: number; failing: boolean }[];
  lastRefresh?: {
    finishedAt: Date;
    durationSeconds: number;
    environments: number;
    failed: number;
    requests: number;
    notModified: number;
    bytes: number;
  };
  /** Refresh runs that finished after `runsFinishedAfter`, oldest first: what the duration histogram has not seen. */
  newlyFinishedRuns: { finishedAt: Date; durationSeconds: number }[];
  jobs: { state: string; kind: string; count: number; erroredAttempts: number }[];
  /** How long the longest-waiting due job has waited past its time; 0 when none is waiting. */
  oldestDueJobWaitSeconds: number;
}

export interface ReadMetricsFiguresOptions {
  now: Date;
  /** The environments in the workspace: snapshots of others (removed from slipway.yaml) are left out. */
  environments: readonly string[];
  runsFinishedAfter: Date;
}

/** A run longer than this is left out of the histogram: it bounds the scan for new runs to an index range. */
const LONGEST_COUNTED_RUN_MS = 24 * 60 * 60 * 1000;
const MAX_NEW_RUNS = 1_000;

/**
 * Every query is bounded: snapshots by the configured environments, runs by the startedAt index, jobs by the
 * (state, runAfter) index or by grouping into a few rows.
 */
export async function readMetricsFigures(db: PrismaClient, options: ReadMetricsFiguresOptions): Promise<MetricsFigures> {
  const { now } = options;
  const [snapshots, lastRun, newRuns, jobGroups, oldestDue] = await Promise.all([
    db.environmentSnapshot.findMany({
      where: { environment: { in: [...options.environments] } },
      select: { environment: true, refreshedAt: true, durationMs: true, error: true },
      orderBy: { environment: "asc" },
    }),
    db.refreshRun.findFirst({ where: { finishedAt: { not: null } }, orderBy: { id: "desc" } }),
    db.refreshRun.findMany({
      where: {
        startedAt: { gte: new Date(options.runsFinishedAfter.getTime() - LONGEST_COUNTED_RUN_MS) },
        finishedAt: { gt: options.runsFinishedAfter },
      },
      select: { startedAt: true, finishedAt: true },
      orderBy: [{ finishedAt: "asc" }, { id: "asc" }],
      take: MAX_NEW_RUNS,
    }),
    db.job.groupBy({ by: ["state", "kind"], _count: { _all: true }, _sum: { attempts: true }, orderBy: [{ state: "asc" }, { kind: "asc" }] }),
    db.job.findFirst({ where: { state: "pending", runAfter: { lte: now } }, orderBy: { runAfter: "asc" }, select: { runAfter: true } }),
  ]);

  return {
    environments: snapshots.map((snapshot) => ({
      name: snapshot.environment,
      refreshDurationSeconds: snapshot.durationMs / 1000,
      snapshotAgeSeconds: Math.max(0, (now.getTime() - snapshot.refreshedAt.getTime()) / 1000),
      failing: snapshot.error !== null,
    })),
    lastRefresh: lastRun?.finishedAt
      ? {
          finishedAt: lastRun.finishedAt,
          durationSeconds: secondsBetween(lastRun.startedAt, lastRun.finishedAt),
          environments: lastRun.environments,
          failed: lastRun.failed,
          requests: lastRun.requests,
          notModified: lastRun.notModified,
          bytes: Number(lastRun.bytes),
        }
      : undefined,
    newlyFinishedRuns: newRuns.flatMap((run) =>
      run.finishedAt ? [{ finishedAt: run.finishedAt, durationSeconds: secondsBetween(run.startedAt, run.finishedAt) }] : [],
    ),
    jobs: jobGroups.map((group) => {
      const count = group._count._all;
      const attempts = group._sum.attempts ?? 0;
      // A done job's last attempt succeeded and a running job's is under way; every other attempt ended in an error
      // (or a lease that ran out). A failed or pending job's attempts all did.
      const unfinishedOrGood = group.state === "done" || group.state === "running" ? count : 0;
      return { state: group.state, kind: group.kind, count, erroredAttempts: Math.max(0, attempts - unfinishedOrGood) };
    }),
    oldestDueJobWaitSeconds: oldestDue ? Math.max(0, (now.getTime() - oldestDue.runAfter.getTime()) / 1000) : 0,
  };
}

function secondsBetween(start: Date, end: Date): number {
  return Math.max(0, (end.getTime() - start.getTime()) / 1000);
}
