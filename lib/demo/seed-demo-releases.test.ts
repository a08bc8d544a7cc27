import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { type TestDatabase, createPgliteDatabase } from "@/test/support/test-database";
import { createDemoWorkspace } from "./create-demo-workspace";
import { seedDemoReleases } from "./seed-demo-releases";

let root: string;
let workspace: Workspace;
let database: TestDatabase;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-demo-releases-"));
  workspace = loadWorkspaceConfig((await createDemoWorkspace(root)).configPath);
  database = await createPgliteDatabase();
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});

describe("the demo's past release requests", () => {
  it("records merged requests whose merge commits are history entries, once", async () => {
    const git = createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") });
    const seeded = await seedDemoReleases(database.db, workspace.config, git);
    expect(seeded).toBeGreaterThan(workspace.config.environments.length);
    const rows = await database.db.releaseRequest.findMany({ include: { items: true } });
    expect(rows).toHaveLength(seeded);
    for (const row of rows) {
      expect(row).toMatchObject({ state: "merged", provider: "local", approvedBy: "gita" });
      expect(row.items.length).toBeGreaterThan(0);
      const env = workspace.config.environments.find((e) => e.name === row.environment)!;
      const onBranch = execFileSync("git", ["rev-list", "--first-parent", env.branch], { cwd: path.join(workspace.baseDir, env.repo) }).toString();
      expect(onBranch).toContain(row.mergeSha!);
    }
    expect(rows.some((row) => row.kind === "rollback")).toBe(true);
    // Numbered in time order, as a real past would be.
    const byId = [...rows].sort((a, b) => a.id - b.id).map((row) => row.mergedAt!.getTime());
    expect(byId).toEqual([...byId].sort((a, b) => a - b));
    // A second start finds the list filled and records nothing more.
    expect(await seedDemoReleases(database.db, workspace.config, git)).toBe(0);
  });
});
