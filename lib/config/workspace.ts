import "server-only";
import { type Workspace, loadWorkspaceConfig, workspaceConfigPath } from "./load-workspace-config";

let cached: { path: string; workspace: Workspace } | undefined;

/** The validated workspace for this process: parsed once, the same object for every page and refresh. */
export function getWorkspace(): Workspace {
  const configPath = workspaceConfigPath();
  if (cached?.path !== configPath) cached = { path: configPath, workspace: loadWorkspaceConfig(configPath) };
  return cached.workspace;
}
