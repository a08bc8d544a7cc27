import path from "node:path";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { restoreDiscoveredEnvironments } from "@/lib/config/discover-environments";
import { closeDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { type ServerClients, getServerClients } from "@/lib/server-clients";
import { REFRESH_CONCURRENCY } from "@/lib/snapshots/refresh-snapshots";
import { requestEnvironmentRefresh, requestRefresh, setRefreshConcurrency, startRefresher, stopRefresher } from "@/lib/snapshots/refresher";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";

/**
 * `slipway refresher` and `slipway refresh`: the server's refresher (lib/snapshots/refresher.ts) in a process of its
 * own, with the server's clients and database. Refreshing changes no stack, only snapshots, so both ask the rule the
 * Refresh button asks (workspace.refresh: whoever sees an environment).
 */

/** The server's clients read slipway.yaml from SLIPWAY_CONFIG; --config sets it for this process. */
function openClients(config?: string): ServerClients {
  if (config) process.env.SLIPWAY_CONFIG = path.resolve(config);
  // No pages to share the process with: read as many environments at once as a refresh can overlap.
  setRefreshConcurrency(REFRESH_CONCURRENCY);
  const clients = getServerClients();
  authorizeCli(cliPrincipal(), "workspace.refresh", { type: "workspace", environments: clients.config.environments }, clients.config.access);
  return clients;
}

/**
 * `slipway refresher`: runs the refresher until `stopped` settles (SIGINT, SIGTERM): on PostgreSQL it asks for the lead
 * every few seconds and refreshes while it leads (on election and every refreshIntervalSeconds), so it can run beside
 * or instead of the web servers' refreshers (those started with SLIPWAY_REFRESH_ON_START=0 hand every refresh to it).
 * With the embedded database it is the one process on the data folder, so the app cannot run beside it.
 */
export async function runRefresherCommand(options: { config?: string }, stopped: Promise<unknown>): Promise<string> {
  try {
    openClients(options.config);
    await restoreDiscoveredEnvironments();
    startRefresher();
    logger.info({ pid: process.pid }, "refresher running until SIGINT or SIGTERM");
    await stopped;
    return "refresher stopped";
  } finally {
    await stopRefresher();
    await closeDb();
  }
}

/**
 * `slipway refresh [--env NAME...]`: one refresh, answered wherever it runs (on PostgreSQL by the leading instance, or
 * by this process while nobody leads), then exits. Exit code 1 when an environment could not be read.
 */
export async function runRefreshCommand(options: { config?: string; env?: string[] }): Promise<{ output: string; exitCode: number }> {
  try {
    const clients = openClients(options.config);
    await restoreDiscoveredEnvironments();
    const known = clients.config.environments.map((e) => e.name);
    const unknown = options.env?.filter((name) => !known.includes(name)) ?? [];
    if (unknown.length > 0) throw new NotFoundError(`unknown environment "${unknown[0]}"; known: ${known.join(", ")}`);
    const principal = cliPrincipal();
    await recordAuditEvent(clients.db, { actor: principal, action: "refresh.requested", ...(options.env ? { detail: { environments: options.env } } : {}) });
    const trigger = `cli:${principal.username}`;
    const result = options.env?.length ? await requestEnvironmentRefresh(options.env, trigger) : await requestRefresh(trigger);
    const seconds = Math.round(result.durationMs / 100) / 10;
    const failed = result.failed > 0 ? `, ${result.failed} could not be read (their pages say why)` : "";
    return { output: `Refreshed ${result.environments} environment(s) in ${seconds} s (run #${result.runId})${failed}.`, exitCode: result.failed > 0 ? 1 : 0 };
  } finally {
    // The lead (or the connection that asked for it) is let go, so the process can exit.
    await stopRefresher();
    await closeDb();
  }
}
