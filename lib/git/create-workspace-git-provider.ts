import path from "node:path";
import type { Workspace } from "@/lib/config/load-workspace-config";
import { type GitProviderRouter, chooseGitProvider } from "./choose-git-provider";
import { createLocalGitProvider } from "./local/local-git-provider";

/**
 * The git access a workspace needs, built the same way for the app and the CLI: plain git for paths and git URLs
 * (remote ones mirrored under SLIPWAY_CACHE_DIR), GitHub for owner/name repositories when slipway.yaml has github:.
 */
export function createWorkspaceGitProvider(workspace: Workspace, env: NodeJS.ProcessEnv = process.env): GitProviderRouter {
  return chooseGitProvider({
    local: createLocalGitProvider({
      baseDir: workspace.baseDir,
      // A run-time path from the environment: turbopackIgnore keeps Next from tracing the whole project for it.
      cacheDir: path.resolve(/*turbopackIgnore: true*/ env.SLIPWAY_CACHE_DIR?.trim() || ".slipway/cache/git"),
    }),
    github: workspace.config.github,
    env,
  });
}
