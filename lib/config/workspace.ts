import "server-only";
import { type Workspace, loadWorkspaceConfig, workspaceConfigPath } from "./load-workspace-config";

/**
 * Kept on globalThis: Next bundles the instrumentation hook, pages and route handlers into chunks with their own copy of
 * this module, and they must share one workspace, the one discovered environments are added to
 * (lib/config/discover-environments.ts) and the server's clients are built around (lib/server-clients.ts).
 */
const holder = globalThis as typeof globalThis & { slipwayWorkspace?: { path: string; workspace: Workspace } };

/** The validated workspace for this process: parsed once, the same object for every page and refresh. */
export function getWorkspace(): Workspace {
  const configPath = workspaceConfigPath();
  if (holder.slipwayWorkspace?.path !== configPath) {
    holder.slipwayWorkspace = { path: configPath, workspace: loadWorkspaceConfig(configPath) };
  }
  return holder.slipwayWorkspace.workspace;
}
