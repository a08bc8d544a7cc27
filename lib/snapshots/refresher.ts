import "server-only";
import { discoverEnvironments } from "@/lib/config/discover-environments";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { runAutoUpgrades } from "@/lib/releases/auto-upgrade";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { type ServerClients, getServerClients } from "@/lib/server-clients";
import { type RefreshResult, refreshSnapshots } from "./refresh-snapshots";

/**
 * The process's refresher: the server's one set of clients (lib/server-clients.ts, so registry validators and git
 * mirrors carry over from one refresh to the next and warm refreshes cost no index download), one refresh at a time,
 * and a timer from config.
 */
interface Refresher {
  running?: Promise<RefreshResult>;
  timer?: NodeJS.Timeout;
}

const holder = globalThis as typeof globalThis & { slipwayRefresher?: Refresher };

function getRefresher(): Refresher {
  holder.slipwayRefresher ??= {};
  return holder.slipwayRefresher;
}

/**
 * Refreshes now, or joins the refresh already under way: a double click or an interval tick during a slow refresh
 * does not start a second pass over every environment.
 */
export function requestRefresh(trigger: string): Promise<RefreshResult> {
  const refresher = getRefresher();
  if (!refresher.running) {
    const deps = getServerClients();
    // Release files first: an environment added to one is read by this refresh, a removed one is no longer read.
    refresher.running = discoverEnvironments(deps)
      .then(() => refreshSnapshots(deps, { trigger }))
      .then(async (result) => {
        await followPullRequests(deps);
        await upgradeAutomatically(deps);
        return result;
      })
      .finally(() => {
        refresher.running = undefined;
      });
  }
  return refresher.running;
}

/**
 * Refreshes only the named environments (a GitHub push webhook), once any full refresh under way has finished: that
 * refresh may have read the branch before the push, and must not save its older read over this one. Pull requests and
 * automatic upgrades are not followed here — the webhook reported the change itself, and the next full refresh (the
 * poll) does both. Release history of these environments is brought up to date as in any refresh.
 */
export function requestEnvironmentRefresh(environments: string[], trigger: string): Promise<RefreshResult> {
  const refresher = getRefresher();
  const deps = getServerClients();
  const after = refresher.running?.catch(() => undefined) ?? Promise.resolve();
  return after.then(() => refreshSnapshots(deps, { trigger, environments }));
}

/**
 * After each refresh, GitHub pull requests merged or closed on GitHub move their release requests along. Its failures
 * are logged and never fail the refresh: the snapshots are already saved, and the next refresh tries again.
 */
async function followPullRequests(deps: ServerClients): Promise<void> {
  if (!deps.workspace.config.github) return;
  try {
    const result = await syncPullRequests({ db: deps.db, pullRequests: deps.git, release: deps });
    for (const failure of result.failures) {
      logger.warn({ releaseRequest: failure.id, error: failure.error }, "pull request state not read");
    }
    if (result.merged + result.closed + result.resumed > 0) {
      logger.info({ merged: result.merged, closed: result.closed, resumed: result.resumed }, "pull requests followed");
    }
  } catch (error) {
    logger.error({ err: error }, "following pull requests failed");
  }
}

/** Environments that set autoUpgrade get Slipway's own upgrade request after each refresh; failures are logged only. */
async function upgradeAutomatically(deps: ServerClients): Promise<void> {
  if (!deps.config.environments.some((e) => e.autoUpgrade)) return;
  try {
    for (const outcome of await runAutoUpgrades(deps)) {
      if (outcome.error) logger.warn({ environment: outcome.environment, error: outcome.error }, "automatic upgrade failed");
      else if (outcome.raised) logger.info({ environment: outcome.environment, ...outcome.raised }, "automatic upgrade raised");
    }
  } catch (error) {
    logger.error({ err: error }, "automatic upgrades failed");
  }
}

export function isRefreshing(): boolean {
  return Boolean(holder.slipwayRefresher?.running);
}

/** Refresh on start and then every refreshIntervalSeconds (0 turns the interval off). */
export function startRefresher(): void {
  const refresher = getRefresher();
  let seconds: number;
  try {
    seconds = getServerClients().config.refreshIntervalSeconds;
  } catch (error) {
    logger.error({ error: errorMessage(error) }, "refresher not started: the workspace configuration is invalid");
    return;
  }
  if (refresher.timer) return;
  const run = (trigger: string) =>
    requestRefresh(trigger).catch((error) => logger.error({ err: error, trigger }, "refresh failed"));
  void run("start");
  if (seconds > 0) {
    refresher.timer = setInterval(() => void run("interval"), seconds * 1000);
    refresher.timer.unref();
  }
}
