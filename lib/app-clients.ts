import { type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import type { WorkspaceConfig } from "@/lib/config/schema";
import type { GitProviderRouter } from "@/lib/git/choose-git-provider";
import { createWorkspaceGitProvider } from "@/lib/git/create-workspace-git-provider";
import { type RegistryClient, createRegistryClient } from "@/lib/registry/registry-client";
import type { RegistryEndpoint } from "@/lib/registry/types";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";

/**
 * The clients every entry point reads and writes with — the workspace config, git (plain and GitHub), the chart
 * registries and their endpoints — built in this one place, the same way for the server's refresher and actions
 * (lib/server-clients.ts keeps one set per process) and for each CLI command. The database is opened beside them
 * (lib/db.ts), because who may open it, and when, differs between a server and a command.
 */
export interface AppClients {
  workspace: Workspace;
  config: WorkspaceConfig;
  /** owner/name repositories go to GitHub when slipway.yaml has a github section; the rest stay on plain git. */
  git: GitProviderRouter;
  /** Where pull requests are opened: the same router, which knows which repositories have them. */
  pullRequests: GitProviderRouter;
  registries: RegistryClient;
  /** slipway.yaml's registries with their credentials; a registry whose credentials are missing is marked unavailable. */
  endpoints: RegistryEndpoint[];
  /** Those registries and why, for the dashboard. */
  endpointFailures: { registry: string; error: string }[];
  environment: SlipwayEnvironment;
}

export function createAppClients(options: { configPath?: string; workspace?: Workspace; environment?: SlipwayEnvironment } = {}): AppClients {
  const environment = options.environment ?? readEnvironment();
  const workspace = options.workspace ?? loadWorkspaceConfig(options.configPath ?? environment.configPath);
  const git = createWorkspaceGitProvider(workspace, environment);
  const { endpoints, failures } = resolveRegistryEndpoints(workspace.config, environment.secret);
  return {
    workspace,
    config: workspace.config,
    git,
    pullRequests: git,
    registries: createRegistryClient({ baseDir: workspace.baseDir }),
    endpoints,
    endpointFailures: failures,
    environment,
  };
}
