import "server-only";
import pLimit from "p-limit";
import type { Workspace } from "@/lib/config/load-workspace-config";
import { errorMessage } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { GitProvider } from "@/lib/git/git-provider";
import { logger } from "@/lib/logger";
import type { EnvironmentStatus } from "@/lib/releases/environment-status";
import { readEnvironmentStatus } from "@/lib/releases/read-environment-status";
import { stackFilePaths } from "@/lib/releases/read-stack-files";
import type { RegistryClient } from "@/lib/registry/registry-client";
import { scopeRegistryClient } from "@/lib/registry/scope-registry-client";
import type { FetchStats, RegistryEndpoint } from "@/lib/registry/types";
import { readEnvironment } from "@/lib/config/environment";
import { type HistoryRefreshOptions, pruneHistories, updateHistories } from "@/lib/history/update-histories";
import { resolveRegistryEndpoints } from "./resolve-registry-endpoints";
import { saveEnvironmentSnapshot } from "./save-environment-snapshot";

export interface RefreshDeps {
  workspace: Workspace;
  db: PrismaClient;
  git: GitProvider;
  registries: RegistryClient;
  /** slipway.yaml's registries with credentials (lib/app-clients.ts); resolved from the environment when left out. */
  endpoints?: RegistryEndpoint[];
  endpointFailures?: { registry: string; error: string }[];
  /** How much release history one refresh reads (lib/history/update-histories.ts); `false` reads none. */
  history?: HistoryRefreshOptions | false;
}

export interface RefreshResult {
  runId: number;
  environments: number;
  failed: number;
  stats: FetchStats;
  durationMs: number;
}

/** Environments read at once: enough to overlap git and registry latency, few enough for a 2-core machine. */
const CONCURRENCY = 8;

/**
 * Reads every environment (or the named ones) and stores their snapshots. One failing environment or registry is
 * recorded as that environment's or registry's error; the others are still read and saved.
 */
export async function refreshSnapshots(
  deps: RefreshDeps,
  options: { trigger: string; environments?: string[] },
): Promise<RefreshResult> {
  const { workspace, db } = deps;
  const started = new Date();
  const stats: FetchStats = { requests: 0, notModified: 0, bytes: 0 };
  const run = await db.refreshRun.create({ data: { trigger: options.trigger, startedAt: started } });

  const registries = scopeRegistryClient(deps.registries);
  const { endpoints, failures } = deps.endpoints
    ? { endpoints: deps.endpoints, failures: deps.endpointFailures ?? [] }
    : resolveRegistryEndpoints(workspace.config, readEnvironment().secret);
  await recordRegistries(deps.db, registries, endpoints, failures, stats);

  const targets = workspace.config.environments.filter(
    (env) => !options.environments || options.environments.includes(env.name),
  );
  // One batch for the host (GitHub: a few GraphQL queries for every head and chart file) instead of two requests per
  // environment; what it could not read is asked for again below, environment by environment.
  await deps.git.prefetchBranches?.(targets.map((env) => ({ repo: env.repo, branch: env.branch, paths: stackFilePaths(env) })));
  const limit = pLimit(CONCURRENCY);
  const statuses = await Promise.all(
    targets.map((env) =>
      limit(async (): Promise<EnvironmentStatus> => {
        const status = await readEnvironmentStatus(env, {
          config: workspace.config,
          git: deps.git,
          registries,
          endpoints,
          stats,
        });
        try {
          await saveEnvironmentSnapshot(db, status);
        } catch (error) {
          logger.error({ err: error, environment: env.name }, "saving snapshot failed");
          return { ...status, error: `saving snapshot failed: ${errorMessage(error)}` };
        }
        if (status.error) logger.warn({ environment: env.name, error: status.error }, "environment not read");
        return status;
      }),
    ),
  );

  const failed = statuses.filter((s) => s.error).length;
  const finished = new Date();
  await db.refreshRun.update({
    where: { id: run.id },
    data: {
      finishedAt: finished,
      environments: statuses.length,
      failed,
      requests: stats.requests,
      notModified: stats.notModified,
      bytes: BigInt(stats.bytes),
    },
  });
  const result = { runId: run.id, environments: statuses.length, failed, stats, durationMs: finished.getTime() - started.getTime() };
  logger.info({ ...result, trigger: options.trigger }, "refresh finished");
  // After the snapshots, so the dashboard is current first; the run's figures are the snapshots' alone.
  if (deps.history !== false) {
    const heads = targets.flatMap((env, i) => (statuses[i]!.commit ? [{ env, headSha: statuses[i]!.commit!.sha }] : []));
    await updateHistories({ db, git: deps.git }, heads, deps.history);
    if (!options.environments) await pruneHistories(db, workspace.config.environments.map((e) => e.name));
  }
  return result;
}

async function recordRegistries(
  db: PrismaClient,
  registries: RegistryClient,
  endpoints: Awaited<ReturnType<typeof resolveRegistryEndpoints>>["endpoints"],
  failures: { registry: string; error: string }[],
  stats: FetchStats,
): Promise<void> {
  const now = new Date();
  const results = await Promise.all(
    endpoints.filter((endpoint) => !endpoint.unavailable).map(async (endpoint) => {
      if (endpoint.url.startsWith("oci://")) return { registry: endpoint.name, chartCount: 0, error: null };
      try {
        const index = await registries.loadIndex(endpoint, stats);
        return { registry: endpoint.name, chartCount: index.size, error: null };
      } catch (error) {
        return { registry: endpoint.name, chartCount: 0, error: errorMessage(error) };
      }
    }),
  );
  const rows = [...results, ...failures.map((f) => ({ registry: f.registry, chartCount: 0, error: f.error }))];
  await db.$transaction(
    rows.map((row) =>
      db.registrySnapshot.upsert({
        where: { registry: row.registry },
        create: { ...row, refreshedAt: now },
        update: { ...row, refreshedAt: now },
      }),
    ),
  );
}
