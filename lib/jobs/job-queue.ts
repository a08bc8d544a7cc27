import { isUniqueViolation } from "@/lib/db-errors";
import { ValidationError } from "@/lib/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The job table's operations: enqueue once per idempotency key, claim due jobs so that no two workers hold the same
 * one (FOR UPDATE SKIP LOCKED, on PostgreSQL and PGlite alike), and finish a job only while still holding its lease.
 */

export type JobState = "pending" | "running" | "done" | "failed";

export interface NewJob {
  kind: string;
  /** One effect, one key (e.g. `jira.fix-version:PAY:orders/shop-dev/2026.12.02/1.4.2`). */
  key: string;
  payload: Prisma.InputJsonValue;
  releaseRequestId?: number;
  runAfter?: Date;
  maxAttempts?: number;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  idempotencyKey: string;
  releaseRequestId: number | null;
  payload: unknown;
  /** Including the one about to run. */
  attempts: number;
  maxAttempts: number;
}

const MAX_KEY_LENGTH = 500;

/**
 * Stores a job unless one with its key exists: enqueueing the same effect twice (a retried merge, a webhook and a
 * poll seeing one merge) finds the first job. Returns it, and whether it was new.
 */
export async function enqueueJob(db: PrismaClient, job: NewJob): Promise<{ id: number; created: boolean }> {
  if (job.key.length === 0 || job.key.length > MAX_KEY_LENGTH) throw new ValidationError(`a job key must be 1 to ${MAX_KEY_LENGTH} characters`);
  try {
    const created = await db.job.create({
      data: {
        kind: job.kind,
        idempotencyKey: job.key,
        payload: job.payload,
        ...(job.releaseRequestId !== undefined ? { releaseRequestId: job.releaseRequestId } : {}),
        ...(job.runAfter ? { runAfter: job.runAfter } : {}),
        ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
      },
      select: { id: true },
    });
    return { id: created.id, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await db.job.findUniqueOrThrow({ where: { idempotencyKey: job.key }, select: { id: true } });
    return { id: existing.id, created: false };
  }
}

/**
 * Leases up to `limit` due jobs to `worker` until `leaseUntil`: pending ones whose time has come, and running ones
 * whose lease ran out (their worker died mid-job). Rows another worker is claiming at this instant are skipped, not
 * waited for, so two instances never take the same job and never block each other.
 */
export async function claimDueJobs(
  db: PrismaClient,
  worker: string,
  options: { now: Date; leaseUntil: Date; limit: number },
): Promise<ClaimedJob[]> {
  const rows = await db.$queryRaw<ClaimedJob[]>`
    UPDATE "Job"
       SET "state" = 'running', "lockedBy" = ${worker}, "lockedUntil" = ${options.leaseUntil},
           "attempts" = "attempts" + 1, "updatedAt" = ${options.now}
     WHERE "id" IN (
           SELECT "id" FROM "Job"
            WHERE ("state" = 'pending' AND "runAfter" <= ${options.now})
               OR ("state" = 'running' AND "lockedUntil" < ${options.now})
            ORDER BY "runAfter", "id"
            LIMIT ${options.limit}
              FOR UPDATE SKIP LOCKED)
 RETURNING "id", "kind", "idempotencyKey", "releaseRequestId", "payload", "attempts", "maxAttempts"`;
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Records a job's outcome, only while `worker` still holds it: a worker whose lease ran out (and whose job another
 * worker took over) cannot overwrite the newer attempt. Returns whether the outcome was recorded.
 */
export async function settleJob(
  db: PrismaClient,
  worker: string,
  id: number,
  outcome:
    | { state: "done"; result?: Prisma.InputJsonValue; at: Date }
    | { state: "pending"; error: string; runAfter: Date }
    | { state: "failed"; error: string; at: Date },
): Promise<boolean> {
  const data: Prisma.JobUpdateManyMutationInput =
    outcome.state === "done"
      ? { state: "done", result: outcome.result ?? {}, lastError: null, finishedAt: outcome.at }
      : outcome.state === "pending"
        ? { state: "pending", lastError: outcome.error, runAfter: outcome.runAfter }
        : { state: "failed", lastError: outcome.error, finishedAt: outcome.at };
  const { count } = await db.job.updateMany({
    where: { id, lockedBy: worker, state: "running" },
    data: { ...data, lockedBy: null, lockedUntil: null },
  });
  return count === 1;
}

/**
 * An admin's "run again" for a job that gave up (or finished, to repeat an effect deliberately is never wanted: only
 * failed jobs are re-run). Its attempts start over; the key stays, so it is still the one job for that effect.
 */
export async function rerunFailedJob(db: PrismaClient, id: number, now: Date = new Date()): Promise<void> {
  const { count } = await db.job.updateMany({ where: { id, state: "failed" }, data: { state: "pending", attempts: 0, runAfter: now, finishedAt: null } });
  if (count === 0) {
    const job = await db.job.findUnique({ where: { id }, select: { state: true } });
    throw new ValidationError(job ? `Job #${id} is ${job.state}: only a failed job can be run again.` : `There is no job #${id}.`);
  }
}

/** The jobs of one release request, oldest first, for its page. */
export function listReleaseJobs(db: PrismaClient, releaseRequestId: number) {
  return db.job.findMany({
    where: { releaseRequestId },
    orderBy: { id: "asc" },
    select: { id: true, kind: true, state: true, attempts: true, maxAttempts: true, runAfter: true, lastError: true, finishedAt: true, updatedAt: true },
  });
}
