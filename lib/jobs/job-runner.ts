import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { errorMessage } from "@/lib/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { type ClaimedJob, claimDueJobs, settleJob } from "./job-queue";
import { nextAttemptAt, retryHint } from "./retry-schedule";

/** What a handler gets besides its payload: which job it runs, and a signal that fires when its lease is running out. */
export interface JobContext {
  job: Pick<ClaimedJob, "id" | "kind" | "idempotencyKey" | "releaseRequestId" | "attempts">;
  signal: AbortSignal;
}

/**
 * Does one job's work. It must be idempotent at the vendor (find-or-create, an upsert by a stable id, a marker looked
 * for before posting): a job runs at least once, and again if its worker dies after the effect but before recording
 * it. Throw to fail the attempt; errors with `retryable: false` give up at once, `retryAfter` is honoured.
 */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<Prisma.InputJsonValue | void>;

export interface JobRunnerOptions {
  db: PrismaClient;
  handlers: Readonly<Record<string, JobHandler>>;
  /** Names this process in lockedBy (default: host, pid and a random suffix). */
  worker?: string;
  /** How long a claimed job is this worker's; past it another worker may take the job over. */
  leaseMs?: number;
  /** Jobs claimed (and run concurrently) per pass. */
  batchSize?: number;
  now?: () => Date;
  random?: () => number;
  onSettled?: (job: ClaimedJob, outcome: "done" | "retry" | "failed", error?: string) => void;
}

export interface PassResult {
  done: number;
  retried: number;
  failed: number;
}

export interface JobRunner {
  readonly worker: string;
  /** Claims and runs the jobs due now, once. */
  runDue(): Promise<PassResult>;
  /** Runs passes every `intervalMs` (and at once when woken) until stopped. */
  start(intervalMs: number): void;
  /** Runs a pass soon: a job was just enqueued. */
  wake(): void;
  /** Stops the loop and waits for the pass under way. */
  stop(): Promise<void>;
}

const DEFAULT_LEASE_MS = 60_000;

/**
 * Runs stored jobs: claims a batch (never a job another worker holds), runs each with its handler under a lease-bound
 * abort signal, and records done, a retry at the backoff's time, or failure after the last attempt. A worker that dies
 * mid-job loses nothing: its lease runs out and another pass takes the job again.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = options.batchSize ?? 10;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PassResult> | undefined;
  let again = false;

  async function runOne(job: ClaimedJob, result: PassResult): Promise<void> {
    const handler = options.handlers[job.kind];
    const controller = new AbortController();
    // Abort a little before the lease ends, so the attempt is over before anyone else may take the job.
    const deadline = setTimeout(() => controller.abort(new Error(`job ${job.kind} ran past its ${leaseMs} ms lease`)), Math.max(1, leaseMs - 1_000));
    deadline.unref?.();
    try {
      if (!handler) throw Object.assign(new Error(`no handler for job kind "${job.kind}"`), { retryable: false });
      const value = await handler(job.payload, { job, signal: controller.signal });
      await settleJob(options.db, worker, job.id, { state: "done", at: now(), ...(value !== undefined ? { result: value } : {}) });
      result.done++;
      options.onSettled?.(job, "done");
    } catch (error) {
      const message = errorMessage(error).slice(0, 2000);
      const hint = retryHint(error);
      if (!hint.retryable || job.attempts >= job.maxAttempts) {
        await settleJob(options.db, worker, job.id, { state: "failed", error: message, at: now() });
        result.failed++;
        options.onSettled?.(job, "failed", message);
      } else {
        const runAfter = nextAttemptAt(job.attempts, now(), hint.retryAfter, options.random);
        await settleJob(options.db, worker, job.id, { state: "pending", error: message, runAfter });
        result.retried++;
        options.onSettled?.(job, "retry", message);
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  async function pass(): Promise<PassResult> {
    const result: PassResult = { done: 0, retried: 0, failed: 0 };
    const at = now();
    const jobs = await claimDueJobs(options.db, worker, { now: at, leaseUntil: new Date(at.getTime() + leaseMs), limit: batchSize });
    await Promise.all(jobs.map((job) => runOne(job, result)));
    return result;
  }

  const runner: JobRunner = {
    worker,
    runDue() {
      // One pass at a time per runner; a call during a pass waits for it and then runs another.
      const next = (running ?? Promise.resolve()).then(pass, pass);
      running = next.finally(() => {
        if (running === next) running = undefined;
      }) as Promise<PassResult>;
      return next;
    },
    start(intervalMs) {
      if (timer) return;
      const tick = async () => {
        do {
          again = false;
          try {
            const result = await runner.runDue();
            // A full batch: more may be due right now.
            if (result.done + result.retried + result.failed >= batchSize) again = true;
          } catch {
            // The database is unreachable for a moment: the next tick tries again; nothing is lost.
          }
        } while (again && timer);
      };
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref?.();
      void tick();
    },
    wake() {
      if (timer) {
        again = true;
        void runner.runDue().catch(() => undefined);
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return runner;
}
