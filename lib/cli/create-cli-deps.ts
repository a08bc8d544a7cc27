import path from "node:path";
import { type Workspace, loadWorkspaceConfig, workspaceConfigPath } from "@/lib/config/load-workspace-config";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { scopeRegistryClient } from "@/lib/registry/scope-registry-client";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";

/** What a CLI command reads with: the workspace, git, and the registries, built the way the app builds them. */
export function createCliDeps(configPath?: string): ReleaseDeps & { workspace: Workspace } {
  const workspace = loadWorkspaceConfig(configPath ? path.resolve(configPath) : workspaceConfigPath());
  return {
    workspace,
    config: workspace.config,
    git: createLocalGitProvider({
      baseDir: workspace.baseDir,
      cacheDir: path.resolve(process.env.SLIPWAY_CACHE_DIR?.trim() || ".slipway/cache/git"),
    }),
    registries: scopeRegistryClient(createRegistryClient({ baseDir: workspace.baseDir })),
    endpoints: resolveRegistryEndpoints(workspace.config, process.env).endpoints,
  };
}
