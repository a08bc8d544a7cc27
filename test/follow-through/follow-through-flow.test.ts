import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type DemoReleases, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { databaseFactories } from "../support/test-database";
import { type Vendors, followThroughRunner, startVendors, stubSecrets, testClock, withIntegrations } from "./follow-through-harness";
import { runScenario } from "./follow-through-scenario";

/**
 * Release requests followed through to Jira, Slack and Grafana on plain git: raise, merge, roll back, close, with the
 * jobs run by the real runner against strict local servers, each effect counted exactly once.
 */
describe.each(databaseFactories())("follow-through of release requests on $name", ({ create }) => {
  let demo: DemoReleases | undefined;
  let vendors: Vendors | undefined;

  beforeAll(async () => {
    vendors = await startVendors();
    demo = await openDemoReleases(create, "slipway-follow-through-");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await vendors?.close();
    await closeDemoReleases(demo ?? {});
  });
  beforeEach(() => stubSecrets());

  it("raises, merges, rolls back and closes, each Jira, Slack and Grafana effect once", async () => {
    const config = withIntegrations(demo!.workspace.config, vendors!);
    const deps = { ...demo!.deps, config };
    const clock = testClock();
    const outcome = await runScenario({
      instances: [deps],
      runners: [followThroughRunner(deps.db, config, clock, "app")],
      clock,
      vendors: vendors!,
      baseDir: demo!.workspace.baseDir,
      drainEachStep: true,
    });
    expect(outcome.known.length).toBeGreaterThan(0);
  });
});
