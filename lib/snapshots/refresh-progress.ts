import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";

export type EnvironmentReadOutcome = "read" | "skipped" | "failed";

export interface EnvironmentTiming {
  environment: string;
  ms: number;
  outcome: EnvironmentReadOutcome;
}

/** Progress is written at most this often while a refresh runs: enough for a progress bar, cheap for the database. */
const WRITE_EVERY_MS = 500;

/**
 * A refresh run's progress in its RefreshRun row, so any instance can show it: how many environments are done, which
 * are being read now and since when, and each one's time once done. Writes are coalesced; a failed write is logged
 * and never fails the refresh.
 */
export class RefreshProgress {
  private readonly reading = new Map<string, number>();
  private readonly timings: EnvironmentTiming[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: PrismaClient,
    private readonly runId: number,
  ) {}

  begin(environment: string): void {
    this.reading.set(environment, Date.now());
    this.schedule();
  }

  end(environment: string, ms: number, outcome: EnvironmentReadOutcome): void {
    this.reading.delete(environment);
    this.timings.push({ environment, ms, outcome });
    this.schedule();
  }

  /** The run's final figures, with every timing; waits for any progress write under way so it lands last. */
  async finish(data: Omit<Prisma.RefreshRunUpdateInput, "done" | "reading" | "timings">): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    await this.db.refreshRun.update({
      where: { id: this.runId },
      data: { ...data, done: this.timings.length, reading: [], timings: this.timings as unknown as Prisma.InputJsonArray },
    });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, WRITE_EVERY_MS);
    this.timer.unref();
  }

  private async write(): Promise<void> {
    const reading = [...this.reading].map(([environment, since]) => ({ environment, since: new Date(since).toISOString() }));
    try {
      await this.db.refreshRun.update({
        where: { id: this.runId },
        data: { done: this.timings.length, reading, timings: this.timings as unknown as Prisma.InputJsonArray },
      });
    } catch (error) {
      logger.warn({ err: error, run: this.runId }, "refresh progress not written");
    }
  }
}
