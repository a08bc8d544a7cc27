import type { JobRunner } from "@/lib/jobs/job-runner";

/**
 * The process's job runner, once started (start-job-runner.ts), kept on globalThis like the refresher so that Next's
 * module copies and hot reloads share one. Recording an event wakes it; without a runner (the CLI, tests that drive
 * their own) the jobs wait in the database for one.
 */
const holder = globalThis as typeof globalThis & { slipwayJobRunner?: JobRunner };

export function processJobRunner(): JobRunner | undefined {
  return holder.slipwayJobRunner;
}

export function setProcessJobRunner(runner: JobRunner | undefined): void {
  holder.slipwayJobRunner = runner;
}

/** Runs due jobs soon: one was just enqueued. A no-op where no runner runs. */
export function wakeJobRunner(): void {
  holder.slipwayJobRunner?.wake();
}
