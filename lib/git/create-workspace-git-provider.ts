import { type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";
import type { Workspace } from "@/lib/config/load-workspace-config";
import { type GitProviderRouter, chooseGitProvider } from "./choose-git-provider";
import { createLocalGitProvider } from "./local/local-git-provider";

/**
 * The git access a workspace needs, built the same way for the app and the CLI: plain git for paths and git URLs
 * (remote ones mirrored under SLIPWAY_CACHE_DIR), GitHub for owner/name repositories when slipway.yaml has github:.
 */
export function createWorkspaceGitProvider(workspace: Workspace, env: SlipwayEnvironment = readEnvironment()): GitProviderRouter {
  return chooseGitProvider({
    local: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: env.cacheDir }),
    github: workspace.config.github,
    secret: env.secret,
  });
}
