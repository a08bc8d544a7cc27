import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { secretsFrom } from "@/lib/config/environment";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { type LocalGitProvider, createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import type { TestDatabase } from "./test-database";

export type DemoReleaseDeps = ReleaseDeps & { db: TestDatabase["db"]; git: LocalGitProvider };

export interface DemoReleases {
  root: string;
  workspace: Workspace;
  database: TestDatabase;
  deps: DemoReleaseDeps;
}

/** A fresh demo workspace under a temporary folder, a test database, and the release dependencies over both. */
export async function openDemoReleases(createDatabase: () => Promise<TestDatabase>, prefix: string): Promise<DemoReleases> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const workspace = loadWorkspaceConfig((await createDemoWorkspace(root)).configPath);
  const database = await createDatabase();
  const deps: DemoReleaseDeps = {
    config: workspace.config,
    db: database.db,
    git: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") }),
    registries: createRegistryClient({ baseDir: workspace.baseDir }),
    endpoints: resolveRegistryEndpoints(workspace.config, secretsFrom(process.env)).endpoints,
  };
  return { root, workspace, database, deps };
}

/** Closes what openDemoReleases opened (whatever of it was opened before a failure). */
export async function closeDemoReleases(demo: { root?: string; database?: TestDatabase }): Promise<void> {
  await demo.database?.close();
  if (demo.root) await rm(demo.root, { recursive: true, force: true });
}
