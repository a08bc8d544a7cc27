import { mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { RegistryError } from "@/lib/registry/types";
import { type RefreshDeps, refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { type TestDatabase, databaseFactories } from "../support/test-database";

let root: string;
let workspace: Workspace;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-refresh-"));
  workspace = loadWorkspaceConfig((await createDemoWorkspace(root)).configPath);
});
afterAll(() => rm(root, { recursive: true, force: true }));

function depsFor(db: TestDatabase["db"]): RefreshDeps {
  const client = createRegistryClient({ baseDir: workspace.baseDir, timeoutMs: 2_000 });
  return {
    workspace,
    db,
    git: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") }),
    // The demo's OCI registry (registry.demo.invalid) never resolves; fail it here rather than wait on DNS.
    registries: {
      loadIndex: client.loadIndex,
      listChartVersions: (endpoint, chart, stats) =>
        endpoint.url.startsWith("oci://")
          ? Promise.reject(new RegistryError(`cannot reach registry ${endpoint.url}`, endpoint.name))
          : client.listChartVersions(endpoint, chart, stats),
    },
  };
}

describe.each(databaseFactories())("refreshSnapshots on $name", ({ create }) => {
  let database: TestDatabase;
  let deps: RefreshDeps;
  beforeAll(async () => {
    database = await create();
    deps = depsFor(database.db);
  });
  afterAll(async () => database?.close());

  it("stores every environment; the broken one fails alone", async () => {
    const result = await refreshSnapshots(deps, { trigger: "test" });
    expect(result.environments).toBe(7);
    expect(result.failed).toBe(1);
    const { db } = database;
    const sandbox = await db.environmentSnapshot.findUniqueOrThrow({ where: { environment: "sandbox" } });
    expect(sandbox.error).toMatch(/Chart\.yaml is not valid YAML/);
    const orders = await db.serviceSnapshot.findUniqueOrThrow({
      where: { environment_service: { environment: "shop-production", service: "orders" } },
    });
    expect(orders).toMatchObject({ running: "1.2.0", latest: "1.4.2", status: "far-behind", releasesBehind: 6, resolvedFrom: "lock" });
    const riskEngine = await db.serviceSnapshot.findUniqueOrThrow({
      where: { environment_service: { environment: "payments-us", service: "risk-engine" } },
    });
    expect(riskEngine.status).toBe("unknown");
    expect(riskEngine.error).toMatch(/cannot reach registry/);
    const run = await db.refreshRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.finishedAt).not.toBeNull();
    expect(run.failed).toBe(1);
    expect(await db.registrySnapshot.findUniqueOrThrow({ where: { registry: "demo" } })).toMatchObject({ error: null, chartCount: 12 });
  });

  it("skips environments nothing changed for, and re-reads one whose branch moved, alone", async () => {
    const { db } = database;
    const warm = await refreshSnapshots(deps, { trigger: "test" });
    // payments-us looks a chart up in an OCI registry (no validator to compare) and sandbox failed: both read again.
    expect(warm).toMatchObject({ environments: 7, skipped: 5, failed: 1 });
    const warmRun = await db.refreshRun.findUniqueOrThrow({ where: { id: warm.runId } });
    expect(warmRun).toMatchObject({ total: 7, done: 7, skipped: 5 });
    const outcomes = Object.fromEntries((warmRun.timings as { environment: string; outcome: string }[]).map((t) => [t.environment, t.outcome]));
    expect(outcomes).toMatchObject({ "shop-dev": "skipped", "payments-us": "read", sandbox: "failed" });
    // A skipped environment's snapshot says when it was last confirmed, and keeps its services.
    const shopDev = await db.environmentSnapshot.findUniqueOrThrow({ where: { environment: "shop-dev" } });
    expect(shopDev.refreshedAt.getTime()).toBeGreaterThanOrEqual(warmRun.startedAt.getTime());
    expect(await db.serviceSnapshot.count({ where: { environment: "shop-dev" } })).toBeGreaterThan(5);

    // shop-dev is the shop repository's main branch: move it, and only it is read again.
    const env = workspace.config.environments.find((e) => e.name === "shop-dev")!;
    const head = await deps.git.branchHead(env.repo, env.branch);
    const moved = await deps.git.createBranchWithCommit(env.repo, {
      baseSha: head.sha,
      branch: `move-main-${Date.now()}`,
      message: "Touch the stack",
      author: { name: "Test", email: "test@example.com" },
      files: [{ path: "stack/NOTES.md", content: "moved\n" }],
    });
    await deps.git.advanceBranch(env.repo, env.branch, moved.sha);
    const afterMove = await refreshSnapshots(deps, { trigger: "test" });
    const moveRun = await db.refreshRun.findUniqueOrThrow({ where: { id: afterMove.runId } });
    const read = (moveRun.timings as { environment: string; outcome: string }[]).filter((t) => t.outcome !== "skipped").map((t) => t.environment);
    expect(read.sort()).toEqual(["payments-us", "sandbox", "shop-dev"]);
    expect((await db.environmentSnapshot.findUniqueOrThrow({ where: { environment: "shop-dev" } })).commitSha).toBe(moved.sha);
  });

  it("reads the registry index once per refresh, and not at all when it is unchanged", async () => {
    const warm = await refreshSnapshots(deps, { trigger: "test" });
    expect(warm.stats).toMatchObject({ requests: 1, notModified: 1, bytes: 0 });

    const index = path.join(workspace.baseDir, "registry", "index.yaml");
    const later = new Date(Date.now() + 5_000);
    await utimes(index, later, later);
    const changed = await refreshSnapshots(deps, { trigger: "test" });
    expect(changed.stats.requests).toBe(1);
    expect(changed.stats.notModified).toBe(0);
    expect(changed.stats.bytes).toBeGreaterThan(10_000);
    // A changed index changes what every environment is compared with: none is skipped.
    expect(changed.skipped).toBe(0);
  });

  // A web server refreshing beside its pages reads fewer environments at once (refresher.ts).
  it("reads at most `concurrency` environments at once", async () => {
    const inFlightPeaks: number[] = [];
    for (const concurrency of [2, undefined]) {
      let inFlight = 0;
      let peak = 0;
      const git = {
        ...deps.git,
        branchHead: async (...args: Parameters<RefreshDeps["git"]["branchHead"]>) => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 50));
          try {
            return await deps.git.branchHead(...args);
          } finally {
            inFlight--;
          }
        },
      };
      const result = await refreshSnapshots({ ...deps, git }, { trigger: "test", ...(concurrency ? { concurrency } : {}) });
      expect(result.environments).toBe(7);
      inFlightPeaks.push(peak);
    }
    // The default (8) reads all seven at once.
    expect(inFlightPeaks).toEqual([2, 7]);
  });
});
