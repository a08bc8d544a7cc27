import path from "node:path";
import { type Workspace, loadWorkspaceConfig, workspaceConfigPath } from "@/lib/config/load-workspace-config";
import type { PullRequestHosting } from "@/lib/git/choose-git-provider";
import { createWorkspaceGitProvider } from "@/lib/git/create-workspace-git-provider";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { scopeRegistryClient } from "@/lib/registry/scope-registry-client";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";

/** What a CLI command reads with: the workspace, git, and the registries, built the way the app builds them. */
export function createCliDeps(configPath?: string): ReleaseDeps & { workspace: Workspace; pullRequests: PullRequestHosting } {
  const workspace = loadWorkspaceConfig(configPath ? path.resolve(configPath) : workspaceConfigPath());
  const git = createWorkspaceGitProvider(workspace);
  return {
    workspace,
    config: workspace.config,
    git,
    pullRequests: git,
    registries: scopeRegistryClient(createRegistryClient({ baseDir: workspace.baseDir })),
    endpoints: resolveRegistryEndpoints(workspace.config, process.env).endpoints,
  };
}
