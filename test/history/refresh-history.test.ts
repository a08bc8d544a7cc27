import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readHistoryPage } from "@/lib/history/read-history-page";
import { readRecentHistory } from "@/lib/history/read-recent-history";
import { RegistryError } from "@/lib/registry/types";
import { type RefreshDeps, refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

let root: string;
let workspace: Workspace;
let database: TestDatabase;
let deps: RefreshDeps;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-refresh-history-"));
  workspace = loadWorkspaceConfig((await createDemoWorkspace(root)).configPath);
  database = await createPgliteDatabase();
  deps = {
    workspace,
    db: database.db,
    git: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") }),
    // No registry is needed for history; every chart lookup fails fast instead of waiting on the network.
    registries: {
      loadIndex: () => Promise.reject(new RegistryError("no registry in this test", "demo")),
      listChartVersions: () => Promise.reject(new RegistryError("no registry in this test", "demo")),
    },
    history: { maxCommits: 6, batchSize: 4 },
  };
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});

describe("the refresher reads release history", () => {
  it("a bounded stretch per refresh, until it holds what git says", async () => {
    const env = workspace.config.environments.find((e) => e.name === "shop-staging")!;
    const page = () => readHistoryPage(env, { page: 1, pageSize: 100 }, { db: database.db });

    await refreshSnapshots(deps, { trigger: "test" });
    const first = await page();
    expect(first.reading).toMatchObject({ state: "reading", commitsRead: 6 });
    // Every environment whose branch head could be read has a cursor, the one with a broken chart included.
    expect(await database.db.historyCursor.count()).toBe(workspace.config.environments.length);

    let refreshes = 1;
    while ((await page()).reading.state === "reading" && refreshes < 50) {
      await refreshSnapshots(deps, { trigger: "test" });
      refreshes++;
    }
    const stored = await page();
    expect(stored.reading.state).toBe("complete");
    expect(refreshes).toBeGreaterThan(2);

    const direct = await readRecentHistory(deps.git, env, 1000);
    expect(direct.complete).toBe(true);
    expect(stored.entries.map((e) => [e.sha, e.subject, e.changes])).toEqual(direct.entries.map((e) => [e.sha, e.subject, e.changes]));
    expect(stored.total).toBe(direct.entries.length);
  });

  it("two refreshers at once cannot both write the same stretch", async () => {
    const env = workspace.config.environments.find((e) => e.name === "shop-dev")!;
    await database.db.historyEntry.deleteMany({ where: { environment: env.name } });
    await database.db.historyCursor.delete({ where: { environment: env.name } });
    const outcomes = await Promise.allSettled([
      refreshSnapshots({ ...deps, history: { maxCommits: 1000 } }, { trigger: "a", environments: [env.name] }),
      refreshSnapshots({ ...deps, history: { maxCommits: 1000 } }, { trigger: "b", environments: [env.name] }),
    ]);
    // Both refreshes succeed (history failures are logged, never fail a refresh) and the entries are not doubled.
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
    const direct = await readRecentHistory(deps.git, env, 1000);
    expect(await database.db.historyEntry.count({ where: { environment: env.name } })).toBe(direct.entries.length);
  });

  it("drops the history of an environment slipway.yaml no longer lists, on a full refresh", async () => {
    const removed = workspace.config.environments.find((e) => e.name === "sandbox")!;
    expect(await database.db.historyCursor.count({ where: { environment: removed.name } })).toBe(1);
    const without = { ...workspace, config: { ...workspace.config, environments: workspace.config.environments.filter((e) => e !== removed) } };
    await refreshSnapshots({ ...deps, workspace: without }, { trigger: "test" });
    expect(await database.db.historyCursor.count({ where: { environment: removed.name } })).toBe(0);
    expect(await database.db.historyEntry.count({ where: { environment: removed.name } })).toBe(0);
    expect(await database.db.historyCursor.count()).toBe(without.config.environments.length);
  });
});
