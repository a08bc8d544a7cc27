import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type DemoReleases, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";
import {
  type Vendors,
  createTwoInstanceDatabase,
  followThroughRunner,
  startVendors,
  stubSecrets,
  testClock,
  withIntegrations,
} from "./follow-through-harness";
import { runScenario } from "./follow-through-scenario";

/**
 * The fault test of issue 10: Jira, Slack and Grafana fail their first calls — 500s, timeouts, 429s with Retry-After,
 * and answers dropped after the effect was made — while release requests are raised, merged, rolled back and closed.
 * Nothing blocks the requests; once the vendors answer again every effect has happened exactly once, counted on the
 * servers. Then the same with two app instances (two PrismaClients, two runners draining at once) on PostgreSQL.
 */

function injectFaults(vendors: Vendors): void {
  const { jira, slack, grafana } = vendors;
  // Jira: the first calls, whatever they are, then one lost answer on each kind of write.
  jira.inject({ status: 500, times: 2 });
  jira.inject({ kind: "timeout", times: 1 });
  jira.inject({ kind: "rate-limit", retryAfterSeconds: 1, times: 2 });
  jira.inject({ status: 503, times: 1 });
  for (const route of [
    "POST /version",
    "PUT /issue/{issueIdOrKey}",
    "POST /issue/{issueIdOrKey}/remotelink",
    "POST /issue/{issueIdOrKey}/comment",
    "POST /issue/{issueIdOrKey}/transitions",
    "PUT /version/{id}",
  ]) {
    jira.inject({ kind: "drop-response", route, times: 1 });
  }
  // Slack: errors from its edge and from Slack itself, a rate limit, a hang, then posts and replies whose answer is lost.
  slack.inject({ status: 500, times: 2 });
  slack.inject({ kind: "ratelimited", retryAfterSeconds: 1, times: 1 });
  slack.inject({ kind: "timeout", times: 1 });
  slack.inject({ kind: "error", error: "internal_error", times: 1 });
  slack.inject({ kind: "drop-response", method: "chat.postMessage", times: 3 });
  // Grafana: a 500, a hang, a 429, then a lost answer to a create.
  grafana.inject({ status: 500, times: 1 });
  grafana.inject({ kind: "timeout", times: 1 });
  grafana.inject({ kind: "rate-limit", retryAfterSeconds: 1, times: 1 });
  grafana.inject({ kind: "drop-response", method: "POST", path: /^\/api\/annotations$/, times: 2 });
}

describe.each(databaseFactories())("follow-through with failing vendors on $name", ({ create }) => {
  let demo: DemoReleases | undefined;
  let vendors: Vendors | undefined;

  beforeEach(async () => {
    stubSecrets();
    vendors = await startVendors();
    demo = await openDemoReleases(create, "slipway-follow-through-faults-");
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await vendors?.close();
    await closeDemoReleases(demo ?? {});
  });

  it("delivers every pending effect exactly once after the vendors recover", async () => {
    injectFaults(vendors!);
    const config = withIntegrations(demo!.workspace.config, vendors!);
    const deps = { ...demo!.deps, config };
    const clock = testClock();
    await runScenario({
      instances: [deps],
      runners: [followThroughRunner(deps.db, config, clock, "app")],
      clock,
      vendors: vendors!,
      baseDir: demo!.workspace.baseDir,
      drainEachStep: false,
    });
    // The faults were met, not skipped.
    expect(vendors!.jira.requests.some((request) => request.faulted)).toBe(true);
    expect(vendors!.slack.calls.filter((call) => call.faulted).length).toBeGreaterThanOrEqual(8);
    expect(vendors!.grafana.requests.filter((request) => request.faulted).length).toBe(5);
    const retried = await demo!.database.db.job.count({ where: { attempts: { gt: 1 } } });
    expect(retried).toBeGreaterThan(0);
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)("follow-through on two instances sharing PostgreSQL", () => {
  let demo: DemoReleases | undefined;
  let vendors: Vendors | undefined;
  let second: Awaited<ReturnType<typeof createTwoInstanceDatabase>>["second"] | undefined;

  beforeEach(async () => {
    stubSecrets();
    vendors = await startVendors();
    demo = await openDemoReleases(async (): Promise<TestDatabase> => {
      const pair = await createTwoInstanceDatabase(url!);
      second = pair.second;
      return pair.first;
    }, "slipway-follow-through-two-");
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await vendors?.close();
    await closeDemoReleases(demo ?? {});
  });

  it("runs each job once however the two runners race, with the vendors failing first", async () => {
    injectFaults(vendors!);
    const config = withIntegrations(demo!.workspace.config, vendors!);
    const one = { ...demo!.deps, config };
    const two = { ...demo!.deps, config, db: second! };
    const clock = testClock();
    const done = new Map<string, number>();
    const runners = [followThroughRunner(one.db, config, clock, "instance-1", done), followThroughRunner(two.db, config, clock, "instance-2", done)];
    await runScenario({ instances: [one, two], runners, clock, vendors: vendors!, baseDir: demo!.workspace.baseDir, drainEachStep: false });
    // Both instances did some of the work, and between them each job once.
    expect(done.get("instance-1")).toBeGreaterThan(0);
    expect(done.get("instance-2")).toBeGreaterThan(0);
    expect(done.get("instance-1")! + done.get("instance-2")!).toBe(await demo!.database.db.job.count());
  });
});
