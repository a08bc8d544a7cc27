import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimDueJobs, enqueueJob, listReleaseJobs, rerunFailedJob, settleJob } from "@/lib/jobs/job-queue";
import { type JobHandler, createJobRunner } from "@/lib/jobs/job-runner";
import { type TestDatabase, databaseFactories } from "../support/test-database";

/** The runners' clock: a minute ahead of the database's, so a job enqueued now (runAfter defaults to its now) is due. */
let base = 0;
const at = (ms: number) => new Date(base + ms);

describe.each(databaseFactories())("durable jobs on $name", ({ create }) => {
  let database: TestDatabase;
  let clock: Date;
  const effects = new Map<string, number>();
  const count = (key: string) => effects.set(key, (effects.get(key) ?? 0) + 1);

  beforeAll(async () => {
    database = await create();
  });
  afterAll(() => database?.close());
  beforeEach(async () => {
    await database.db.job.deleteMany();
    effects.clear();
    base = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
    clock = at(0);
  });

  const runner = (handlers: Record<string, JobHandler>, worker = "w1", leaseMs = 60_000) =>
    createJobRunner({ db: database.db, handlers, worker, leaseMs, now: () => clock, random: () => 0 });

  it("stores one job per key, however often it is enqueued", async () => {
    const first = await enqueueJob(database.db, { kind: "note", key: "note:1", payload: { text: "a" }, releaseRequestId: 7 });
    const again = await enqueueJob(database.db, { kind: "note", key: "note:1", payload: { text: "b" }, releaseRequestId: 7 });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(await database.db.job.count()).toBe(1);
    expect((await listReleaseJobs(database.db, 7)).map((j) => j.state)).toEqual(["pending"]);
  });

  it("runs a due job once, stores its result, and leaves jobs that are not due yet", async () => {
    await enqueueJob(database.db, { kind: "note", key: "now", payload: { text: "now" } });
    await enqueueJob(database.db, { kind: "note", key: "later", payload: { text: "later" }, runAfter: at(60_000) });
    const handlers = { note: async (payload: unknown) => (count((payload as { text: string }).text), { posted: true }) };
    expect(await runner(handlers).runDue()).toEqual({ done: 1, retried: 0, failed: 0 });
    expect(await runner(handlers).runDue()).toEqual({ done: 0, retried: 0, failed: 0 });
    expect(await database.db.job.findUniqueOrThrow({ where: { idempotencyKey: "now" } })).toMatchObject({ state: "done", attempts: 1, result: { posted: true } });
    expect([...effects]).toEqual([["now", 1]]);
    clock = at(60_000);
    await runner(handlers).runDue();
    expect([...effects]).toEqual([["now", 1], ["later", 1]]);
  });

  it("retries a failing call with backoff, never before the vendor's Retry-After, then succeeds once", async () => {
    await enqueueJob(database.db, { kind: "flaky", key: "flaky:1", payload: {} });
    let calls = 0;
    const handlers = {
      flaky: async () => {
        calls++;
        if (calls === 1) throw Object.assign(new Error("429 ratelimited"), { retryable: true, retryAfter: at(120_000) });
        if (calls === 2) throw new Error("socket hang up");
        count("flaky");
      },
    };
    expect(await runner(handlers).runDue()).toMatchObject({ retried: 1 });
    const waiting = await database.db.job.findUniqueOrThrow({ where: { idempotencyKey: "flaky:1" } });
    expect(waiting).toMatchObject({ state: "pending", attempts: 1, lastError: "429 ratelimited", lockedBy: null });
    expect(waiting.runAfter).toEqual(at(120_000));
    clock = at(119_000);
    expect(await runner(handlers).runDue()).toEqual({ done: 0, retried: 0, failed: 0 });
    clock = at(120_000);
    expect(await runner(handlers).runDue()).toMatchObject({ retried: 1 });
    clock = at(10 * 60_000);
    expect(await runner(handlers).runDue()).toMatchObject({ done: 1 });
    expect(await database.db.job.findUniqueOrThrow({ where: { idempotencyKey: "flaky:1" } })).toMatchObject({ state: "done", attempts: 3, lastError: null });
    expect(effects.get("flaky")).toBe(1);
  });

  it("gives up at once on a permanent error and after the last attempt otherwise; an admin may run it again", async () => {
    await enqueueJob(database.db, { kind: "auth", key: "auth:1", payload: {} });
    await enqueueJob(database.db, { kind: "down", key: "down:1", payload: {}, maxAttempts: 2 });
    await enqueueJob(database.db, { kind: "unknown-kind", key: "unknown:1", payload: {} });
    let healthy = false;
    const handlers = {
      auth: async () => {
        if (!healthy) throw Object.assign(new Error("invalid_auth: set SLACK_TOKEN"), { retryable: false });
        count("auth");
      },
      down: async () => {
        throw new Error("500");
      },
    };
    expect(await runner(handlers).runDue()).toEqual({ done: 0, retried: 1, failed: 2 });
    clock = at(3_600_000);
    expect(await runner(handlers).runDue()).toEqual({ done: 0, retried: 0, failed: 1 });
    const states = Object.fromEntries((await database.db.job.findMany()).map((j) => [j.idempotencyKey, [j.state, j.attempts, j.lastError]]));
    expect(states).toEqual({
      "auth:1": ["failed", 1, "invalid_auth: set SLACK_TOKEN"],
      "down:1": ["failed", 2, "500"],
      "unknown:1": ["failed", 1, 'no handler for job kind "unknown-kind"'],
    });
    healthy = true;
    const auth = await database.db.job.findUniqueOrThrow({ where: { idempotencyKey: "auth:1" } });
    await rerunFailedJob(database.db, auth.id, clock);
    await expect(rerunFailedJob(database.db, auth.id, clock)).rejects.toThrow(/is pending: only a failed job can be run again/);
    expect(await runner(handlers).runDue()).toMatchObject({ done: 1 });
    expect(effects.get("auth")).toBe(1);
  });

  it("takes over a job whose worker died mid-run, and the dead worker's late answer is not recorded", async () => {
    const { id } = await enqueueJob(database.db, { kind: "slow", key: "slow:1", payload: {} });
    const claimed = await claimDueJobs(database.db, "dead-worker", { now: clock, leaseUntil: at(30_000), limit: 5 });
    expect(claimed.map((j) => j.id)).toEqual([id]);
    // Within the lease nobody else takes it.
    expect(await claimDueJobs(database.db, "w2", { now: at(10_000), leaseUntil: at(70_000), limit: 5 })).toEqual([]);
    clock = at(31_000);
    expect(await runner({ slow: async () => void count("slow") }, "w2").runDue()).toMatchObject({ done: 1 });
    expect(await settleJob(database.db, "dead-worker", id, { state: "failed", error: "late", at: clock })).toBe(false);
    expect(await database.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "done", attempts: 2 });
  });

  it("never runs one job twice when two workers run passes at the same time", async () => {
    for (let i = 0; i < 40; i++) await enqueueJob(database.db, { kind: "work", key: `work:${i}`, payload: { i } });
    const handlers = {
      work: async (payload: unknown) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        count(String((payload as { i: number }).i));
      },
    };
    const a = createJobRunner({ db: database.db, handlers, worker: "a", batchSize: 5, now: () => clock });
    const b = createJobRunner({ db: database.db, handlers, worker: "b", batchSize: 5, now: () => clock });
    const drain = async (r: typeof a) => {
      let total = 0;
      for (;;) {
        const { done } = await r.runDue();
        if (done === 0) return total;
        total += done;
      }
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    expect(byA + byB).toBe(40);
    expect(effects.size).toBe(40);
    expect([...effects.values()].every((n) => n === 1)).toBe(true);
    expect(await database.db.job.count({ where: { state: "done" } })).toBe(40);
  });
});
