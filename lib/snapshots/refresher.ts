import "server-only";
import { discoverEnvironments, loadDiscoveredEnvironments } from "@/lib/config/discover-environments";
import { readEnvironment } from "@/lib/config/environment";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { runAutoUpgrades } from "@/lib/releases/auto-upgrade";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { type ServerClients, getServerClients } from "@/lib/server-clients";
import { type Leadership, createLeadership } from "./refresh-leader";
import {
  REFRESH_REQUESTED_CHANNEL,
  type StoredRefreshRequest,
  claimRefreshRequests,
  closeInterruptedRuns,
  enqueueRefreshRequest,
  readRefreshRequestOutcome,
  settleRefreshRequests,
  takeOverFromPreviousLeader,
} from "./refresh-requests";
import { type RefreshResult, refreshSnapshots } from "./refresh-snapshots";

/**
 * The process's refresher: the server's one set of clients (lib/server-clients.ts, so registry validators and git
 * mirrors carry over from one refresh to the next and warm refreshes cost no index download), one refresh at a time,
 * and a timer from config.
 *
 * Two ways to run, chosen by the database:
 * - Embedded (PGlite): one process owns the data, so it is the only refresher there is; refreshes run in this process.
 * - PostgreSQL (DATABASE_URL): any number of instances share the database, and one of them leads the refresh
 *   (lib/snapshots/refresh-leader.ts: an advisory lock). Only the leader refreshes — on election, on its timer, and for
 *   every refresh anyone asks for, which is stored as a RefreshRequest (lib/snapshots/refresh-requests.ts) and answered
 *   there. So two instances never save snapshots from two refreshes at once, and a request outlives the instance that
 *   was doing it. Instances started with the refresher (startRefresher) ask for the lead every few seconds; any other
 *   process that asks for a refresh while nobody leads (a server with SLIPWAY_REFRESH_ON_START=0, `slipway refresh`)
 *   takes the lead for as long as the requests last.
 */
interface Refresher {
  /** Environments this process reads at once (setRefreshConcurrency): REFRESH_CONCURRENCY_BESIDE_PAGES unless set. */
  concurrency?: number;
  /** Embedded: the full refresh under way. */
  running?: Promise<RefreshResult>;
  /** Embedded: the interval timer. PostgreSQL: the leader's interval timer. */
  timer?: NodeJS.Timeout;
  started?: boolean;
  shared?: SharedRefresher;
}

/** PostgreSQL: this process's part in the instances' shared refresher. */
interface SharedRefresher {
  leadership: Leadership;
  /** Whether this process runs the refresher (startRefresher): it keeps asking for the lead and refreshes on a timer. */
  standing: boolean;
  electionTimer?: NodeJS.Timeout;
  /** The requests this process is doing now, as leader. */
  draining?: Promise<void>;
  drainAgain: boolean;
  /** Processes that asked for a refresh and wait for its answer are woken when this process answers requests. */
  settled: Set<() => void>;
  lastOnDemandAttempt: number;
  onDemand?: Promise<void>;
  electedOnce: boolean;
}

/**
 * Environments a web server reads at once when it refreshes beside its pages. A refresh's work between two awaits
 * (parsing charts, saving through the embedded database's one connection) holds the event loop the pages
 * share, and a page waits behind every environment in flight: ten viewers of the 4,000-cell overview during a cold
 * refresh of 125 environments (npm run bench workspace) got p90 4.3 s and 3.2 pages/s with 8 at once, 2.2 s and 6/s
 * with 2, while the refresh took 27 s and 37 s. `slipway refresher`, in a process of its own, reads
 * REFRESH_CONCURRENCY at once (setRefreshConcurrency).
 */
export const REFRESH_CONCURRENCY_BESIDE_PAGES = 2;

/** For a process that serves no pages (the CLI's refresher and refresh): read more environments at once. */
export function setRefreshConcurrency(concurrency: number): void {
  getRefresher().concurrency = concurrency;
}

function refreshConcurrency(): number {
  return getRefresher().concurrency ?? REFRESH_CONCURRENCY_BESIDE_PAGES;
}

/** How often an instance without the lead asks for it: a dead leader's work resumes within this, well within any interval. */
export const LEADERSHIP_RETRY_MS = 5_000;
/** How often a waiting asker looks at its request (it is woken at once when this process answered it). */
const WAIT_POLL_MS = 1_000;
const LEADERSHIP_LOCK_NAME = "slipway:refresh-leader";

const holder = globalThis as typeof globalThis & { slipwayRefresher?: Refresher };

function getRefresher(): Refresher {
  holder.slipwayRefresher ??= {};
  return holder.slipwayRefresher;
}

/** The shared database, or undefined for the embedded one. */
function sharedDatabaseUrl(): string | undefined {
  return readEnvironment().databaseUrl;
}

/**
 * Refreshes now, or joins the refresh already under way: a double click or an interval tick during a slow refresh
 * does not start a second pass over every environment. On PostgreSQL the leading instance does it, wherever it runs.
 */
export function requestRefresh(trigger: string): Promise<RefreshResult> {
  if (sharedDatabaseUrl()) return requestThroughDatabase({ trigger });
  const refresher = getRefresher();
  refresher.running ??= runFullRefresh(getServerClients(), trigger).finally(() => {
    refresher.running = undefined;
  });
  return refresher.running;
}

/**
 * Refreshes only the named environments (a GitHub push webhook), once any full refresh under way has finished: that
 * refresh may have read the branch before the push, and must not save its older read over this one. Pull requests and
 * automatic upgrades are not followed here — the webhook reported the change itself, and the next full refresh (the
 * poll) does both. Release history of these environments is brought up to date as in any refresh.
 */
export function requestEnvironmentRefresh(environments: string[], trigger: string): Promise<RefreshResult> {
  if (sharedDatabaseUrl()) return requestThroughDatabase({ trigger, environments });
  const refresher = getRefresher();
  const deps = getServerClients();
  const after = refresher.running?.catch(() => undefined) ?? Promise.resolve();
  return after.then(() => refreshSnapshots(deps, { trigger, environments, concurrency: refreshConcurrency() }));
}

export function isRefreshing(): boolean {
  const refresher = holder.slipwayRefresher;
  return Boolean(refresher?.running ?? refresher?.shared?.draining);
}

/**
 * Refresh on start and then every refreshIntervalSeconds (0 turns the interval off). On PostgreSQL: ask for the lead
 * now and every few seconds, and do that only while leading.
 */
export function startRefresher(): void {
  const refresher = getRefresher();
  let clients: ServerClients;
  try {
    clients = getServerClients();
  } catch (error) {
    logger.error({ error: errorMessage(error) }, "refresher not started: the workspace configuration is invalid");
    return;
  }
  if (refresher.started) return;
  refresher.started = true;
  const seconds = clients.config.refreshIntervalSeconds;
  if (sharedDatabaseUrl()) {
    startSharedRefresher(clients, seconds);
    return;
  }
  const run = (trigger: string) =>
    requestRefresh(trigger).catch((error) => logger.error({ err: error, trigger }, "refresh failed"));
  // One process owns the embedded database: a run it finds unfinished is a killed predecessor's.
  void closeInterruptedRuns(clients.db)
    .then((runs) => runs > 0 && logger.warn({ runs }, "refreshes of a stopped process closed as interrupted"))
    .catch((error: unknown) => logger.error({ err: error }, "interrupted refreshes not closed"))
    .then(() => run("start"));
  if (seconds > 0) {
    refresher.timer = setInterval(() => void run("interval"), seconds * 1000);
    refresher.timer.unref();
  }
}

/**
 * Stops this process's refresher: its timers, and on PostgreSQL its lead (another instance takes over within
 * LEADERSHIP_RETRY_MS and redoes whatever this one had claimed and not finished).
 */
export async function stopRefresher(): Promise<void> {
  const refresher = holder.slipwayRefresher;
  if (!refresher) return;
  clearInterval(refresher.timer);
  refresher.timer = undefined;
  refresher.started = false;
  const shared = refresher.shared;
  if (shared) {
    clearInterval(shared.electionTimer);
    shared.electionTimer = undefined;
    shared.standing = false;
    await shared.leadership.release();
  }
}

/** The full refresh: release files first (an environment added to one is read, a removed one no longer), then follow-ups. */
async function runFullRefresh(deps: ServerClients, trigger: string): Promise<RefreshResult> {
  await discoverEnvironments(deps);
  const result = await refreshSnapshots(deps, { trigger, concurrency: refreshConcurrency() });
  await followPullRequests(deps);
  await upgradeAutomatically(deps);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------------
// PostgreSQL: one leader among the instances

function getShared(): SharedRefresher {
  const refresher = getRefresher();
  if (!refresher.shared) {
    const shared: SharedRefresher = {
      standing: false,
      drainAgain: false,
      settled: new Set(),
      lastOnDemandAttempt: 0,
      electedOnce: false,
      leadership: createLeadership({
        connectionString: sharedDatabaseUrl()!,
        name: LEADERSHIP_LOCK_NAME,
        channel: REFRESH_REQUESTED_CHANNEL,
        onNotification: () => {
          if (shared.leadership.leading) void drain(shared);
        },
        onLost: () => {
          // Never two refreshers: without the lock this process starts no refresh; the next leader redoes its requests.
          clearInterval(refresher.timer);
          refresher.timer = undefined;
        },
      }),
    };
    refresher.shared = shared;
  }
  return refresher.shared;
}

function startSharedRefresher(clients: ServerClients, seconds: number): void {
  const refresher = getRefresher();
  const shared = getShared();
  shared.standing = true;
  const elect = async () => {
    // Not while this process still finishes work of a lead it lost: it would run beside itself.
    if (shared.leadership.leading) {
      await shared.leadership.confirm();
      return;
    }
    if (shared.draining || shared.onDemand) return;
    if (!(await shared.leadership.tryLead())) {
      await reloadDiscoveredEnvironments(clients);
      return;
    }
    const trigger = shared.electedOnce ? "takeover" : "start";
    shared.electedOnce = true;
    await takeOver(clients, shared);
    if (seconds > 0) {
      clearInterval(refresher.timer);
      refresher.timer = setInterval(() => void tick("interval"), seconds * 1000);
      refresher.timer.unref();
    }
    await tick(trigger);
  };
  // Ticks while leading: a tick during a refresh under way joins it (enqueueRefreshRequest), as in one process.
  const tick = async (trigger: string) => {
    if (!shared.leadership.leading) return;
    try {
      await enqueueRefreshRequest(clients.db, { trigger });
      await drain(shared);
    } catch (error) {
      logger.error({ err: error, trigger }, "refresh failed");
    }
  };
  const run = () => void elect().catch((error: unknown) => logger.error({ err: error }, "refresh leadership check failed"));
  run();
  shared.electionTimer = setInterval(run, LEADERSHIP_RETRY_MS);
  shared.electionTimer.unref();
}

/** A new leader first clears what the last one left: its claimed requests wait again, its unfinished runs are closed. */
async function takeOver(clients: ServerClients, shared: SharedRefresher): Promise<void> {
  try {
    const left = await takeOverFromPreviousLeader(clients.db);
    if (left.requests + left.runs > 0) logger.warn({ ...left, term: shared.leadership.term }, "took over the refresh from a stopped instance");
  } catch (error) {
    logger.error({ err: error }, "taking over the refresh failed");
  }
}

/** While leading: claims every waiting request and does them, until none waits. One drain at a time per process. */
function drain(shared: SharedRefresher): Promise<void> {
  if (shared.draining) {
    shared.drainAgain = true;
    return shared.draining;
  }
  shared.draining = (async () => {
    const clients = getServerClients();
    do {
      shared.drainAgain = false;
      while (shared.leadership.leading) {
        const term = shared.leadership.term;
        const batch = await claimRefreshRequests(clients.db, term);
        if (batch.length === 0) break;
        await answerBatch(clients, term, batch);
        for (const wake of shared.settled) wake();
      }
    } while (shared.drainAgain && shared.leadership.leading);
  })()
    .catch((error: unknown) => logger.error({ err: error }, "answering refresh requests failed"))
    .finally(() => {
      shared.draining = undefined;
    });
  return shared.draining;
}

/**
 * One refresh answers every request of the batch: with a full request among them, one full refresh (it reads every
 * environment after each request was made, so the named ones' too); otherwise one refresh of the environments named.
 */
async function answerBatch(clients: ServerClients, term: string, batch: StoredRefreshRequest[]): Promise<void> {
  const ids = batch.map((request) => request.id);
  const full = batch.find((request) => request.full);
  try {
    const result = full
      ? await runFullRefresh(clients, full.trigger)
      : await refreshSnapshots(clients, {
          trigger: batch[0]!.trigger,
          environments: [...new Set(batch.flatMap((r) => r.environments))],
          concurrency: refreshConcurrency(),
        });
    await settleRefreshRequests(clients.db, term, ids, { runId: result.runId });
  } catch (error) {
    logger.error({ err: error, requests: ids }, "refresh failed");
    await settleRefreshRequests(clients.db, term, ids, { error: errorMessage(error) });
  }
}

/**
 * Stores the request and waits for its answer. Whoever leads does it; while nobody does (the leader just died, or no
 * instance runs the refresher), this process takes the lead itself for as long as requests wait.
 */
async function requestThroughDatabase(request: { trigger: string; environments?: string[] }): Promise<RefreshResult> {
  const clients = getServerClients();
  const shared = getShared();
  const id = await enqueueRefreshRequest(clients.db, request);
  if (shared.leadership.leading) void drain(shared);
  for (;;) {
    const outcome = await readRefreshRequestOutcome(clients.db, id);
    if (outcome.done) {
      if ("error" in outcome) throw new Error(outcome.error);
      if (request.environments === undefined) await reloadDiscoveredEnvironments(clients);
      return outcome.result;
    }
    if (!shared.standing && !shared.leadership.leading && Date.now() - shared.lastOnDemandAttempt >= LEADERSHIP_RETRY_MS) {
      await leadOnDemand(clients, shared);
      continue;
    }
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        shared.settled.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, WAIT_POLL_MS);
      shared.settled.add(wake);
    });
  }
}

/** A process without a standing refresher leads only while it answers what waits, then lets the lead go again. */
function leadOnDemand(clients: ServerClients, shared: SharedRefresher): Promise<void> {
  shared.onDemand ??= (async () => {
    shared.lastOnDemandAttempt = Date.now();
    if (shared.draining || !(await shared.leadership.tryLead())) return;
    try {
      await takeOver(clients, shared);
      await drain(shared);
    } finally {
      // startRefresher may have been called meanwhile: a standing refresher keeps its lead.
      if (!shared.standing) await shared.leadership.release();
    }
  })().finally(() => {
    shared.onDemand = undefined;
  });
  return shared.onDemand;
}

/** An instance that does not lead learns the environments the leader discovered from the database. */
async function reloadDiscoveredEnvironments(clients: ServerClients): Promise<void> {
  if (clients.config.discover.length === 0) return;
  try {
    await loadDiscoveredEnvironments(clients);
  } catch (error) {
    logger.warn({ error: errorMessage(error) }, "discovered environments not reloaded");
  }
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
