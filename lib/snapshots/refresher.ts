import "server-only";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { errorMessage } from "@/lib/errors";
import type { GitProviderRouter, PullRequestHosting } from "@/lib/git/choose-git-provider";
import { createWorkspaceGitProvider } from "@/lib/git/create-workspace-git-provider";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { resolveRegistryEndpoints } from "./resolve-registry-endpoints";
import { logger } from "@/lib/logger";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { type RefreshDeps, type RefreshResult, refreshSnapshots } from "./refresh-snapshots";

/**
 * The process's refresher: one set of clients (so registry validators and git mirrors carry over from one refresh
 * to the next and warm refreshes cost no index download), one refresh at a time, and a timer from config.
 */
interface Refresher {
  deps: RefreshDeps & { git: GitProviderRouter };
  running?: Promise<RefreshResult>;
  timer?: NodeJS.Timeout;
}

const holder = globalThis as typeof globalThis & { slipwayRefresher?: Refresher };

function getRefresher(): Refresher {
  if (!holder.slipwayRefresher) {
    const workspace = getWorkspace();
    holder.slipwayRefresher = {
      deps: {
        workspace,
        db: getDb(),
        // owner/name repositories go to GitHub when slipway.yaml has a github section; the rest stay on plain git.
        git: createWorkspaceGitProvider(workspace),
        registries: createRegistryClient({ baseDir: workspace.baseDir }),
      },
    };
  }
  return holder.slipwayRefresher;
}

/**
 * Refreshes now, or joins the refresh already under way: a double click or an interval tick during a slow refresh
 * does not start a second pass over every environment.
 */
export function requestRefresh(trigger: string): Promise<RefreshResult> {
  const refresher = getRefresher();
  if (!refresher.running) {
    refresher.running = refreshSnapshots(refresher.deps, { trigger })
      .then(async (result) => {
        await followPullRequests(refresher.deps);
        return result;
      })
      .finally(() => {
        refresher.running = undefined;
      });
  }
  return refresher.running;
}

/**
 * After each refresh, GitHub pull requests merged or closed on GitHub move their release requests along. Its failures
 * are logged and never fail the refresh: the snapshots are already saved, and the next refresh tries again.
 */
async function followPullRequests(deps: Refresher["deps"]): Promise<void> {
  if (!deps.workspace.config.github) return;
  try {
    const result = await syncPullRequests({ db: deps.db, pullRequests: deps.git });
    for (const failure of result.failures) {
      logger.warn({ releaseRequest: failure.id, error: failure.error }, "pull request state not read");
    }
    if (result.merged + result.closed > 0) logger.info({ merged: result.merged, closed: result.closed }, "pull requests followed");
  } catch (error) {
    logger.error({ err: error }, "following pull requests failed");
  }
}

/**
 * The same clients for release planning and raising: the registry index the refresher keeps warm, the git mirrors and
 * the GitHub client (with its ETag cache) it keeps. `git` merges local change requests; `pullRequests` opens GitHub's.
 */
export function readReleaseDeps(): ReleaseDeps & { db: RefreshDeps["db"]; git: GitProviderRouter; pullRequests: PullRequestHosting } {
  const { deps } = getRefresher();
  const { endpoints } = resolveRegistryEndpoints(deps.workspace.config, process.env);
  return { config: deps.workspace.config, db: deps.db, git: deps.git, pullRequests: deps.git, registries: deps.registries, endpoints };
}

export function isRefreshing(): boolean {
  return Boolean(holder.slipwayRefresher?.running);
}

/** Refresh on start and then every refreshIntervalSeconds (0 turns the interval off). */
export function startRefresher(): void {
  let refresher: Refresher;
  try {
    refresher = getRefresher();
  } catch (error) {
    logger.error({ error: errorMessage(error) }, "refresher not started: the workspace configuration is invalid");
    return;
  }
  if (refresher.timer) return;
  const run = (trigger: string) =>
    requestRefresh(trigger).catch((error) => logger.error({ err: error, trigger }, "refresh failed"));
  void run("start");
  const seconds = refresher.deps.workspace.config.refreshIntervalSeconds;
  if (seconds > 0) {
    refresher.timer = setInterval(() => void run("interval"), seconds * 1000);
    refresher.timer.unref();
  }
}
