import "server-only";
import pLimit from "p-limit";
import type { Workspace } from "@/lib/config/load-workspace-config";
import type { EnvironmentConfig } from "@/lib/config/schema";
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
import { type EnvironmentReadMemory, environmentReadMemory } from "./environment-read-memory";
import { RefreshProgress } from "./refresh-progress";
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
  /** Environments nothing had changed for: their snapshots were kept. */
  skipped: number;
  stats: FetchStats;
  durationMs: number;
}

/**
 * Environments read at once by default (a refresher in a process of its own, a script): enough to overlap git and
 * registry latency, few enough for a 2-core machine. A web server that refreshes beside its pages reads fewer
 * (refresher.ts: REFRESH_CONCURRENCY_BESIDE_PAGES).
 */
export const REFRESH_CONCURRENCY = 8;

/**
 * Reads every environment (or the named ones) and stores their snapshots. One failing environment or registry is
 * recorded as that environment's or registry's error; the others are still read and saved. An environment whose
 * branch head, settings and registry indexes are what its last read saw is skipped (environment-read-memory.ts):
 * its snapshot would come out the same. Progress — how many are done, which are being read — is written to the run
 * as it goes, for the Refresh button and the admins' timings.
 */
export async function refreshSnapshots(
  deps: RefreshDeps,
  options: { trigger: string; environments?: string[]; concurrency?: number },
): Promise<RefreshResult> {
  const { workspace, db } = deps;
  const started = new Date();
  const stats: FetchStats = { requests: 0, notModified: 0, bytes: 0 };
  const targets = workspace.config.environments.filter(
    (env) => !options.environments || options.environments.includes(env.name),
  );
  const run = await db.refreshRun.create({ data: { trigger: options.trigger, startedAt: started, total: targets.length } });
  const progress = new RefreshProgress(db, run.id);

  const registries = scopeRegistryClient(deps.registries);
  const { endpoints, failures } = deps.endpoints
    ? { endpoints: deps.endpoints, failures: deps.endpointFailures ?? [] }
    : resolveRegistryEndpoints(workspace.config, readEnvironment().secret);
  await recordRegistries(deps.db, registries, endpoints, failures, stats);
  const memory = environmentReadMemory(deps.registries, registries, workspace.config, stats);

  // One batch for the host (GitHub: a few GraphQL queries for every head and chart file) instead of two requests per
  // environment; what it could not read is asked for again below, environment by environment.
  // Release history lists commits from each head after the snapshots: the newest are read in the same go.
  const history = deps.history !== false;
  await deps.git.prefetchBranches?.(
    targets.map((env) => ({ repo: env.repo, branch: env.branch, paths: stackFilePaths(env), ...(history && { history: env.path ? { path: env.path } : {} }) })),
  );
  const limit = pLimit(options.concurrency ?? REFRESH_CONCURRENCY);
  const outcomes = await Promise.all(
    targets.map((env) =>
      limit(async (): Promise<EnvironmentOutcome> => {
        const begun = performance.now();
        progress.begin(env.name);
        const outcome = await refreshEnvironment(env, { deps, registries: memory, endpoints, stats });
        progress.end(env.name, Math.round(performance.now() - begun), outcome.skipped ? "skipped" : outcome.status?.error ? "failed" : "read");
        return outcome;
      }),
    ),
  );

  const skipped = outcomes.filter((o) => o.skipped).map((o) => o.environment);
  // An unchanged environment was confirmed current by this refresh: its snapshot's time says so.
  if (skipped.length > 0) await db.environmentSnapshot.updateMany({ where: { environment: { in: skipped } }, data: { refreshedAt: new Date() } });
  const failed = outcomes.filter((o) => o.status?.error).length;
  const finished = new Date();
  await progress.finish({
    finishedAt: finished,
    environments: outcomes.length,
    failed,
    skipped: skipped.length,
    requests: stats.requests,
    notModified: stats.notModified,
    bytes: BigInt(stats.bytes),
  });
  const result = {
    runId: run.id,
    environments: outcomes.length,
    failed,
    skipped: skipped.length,
    stats,
    durationMs: finished.getTime() - started.getTime(),
  };
  logger.info({ ...result, trigger: options.trigger }, "refresh finished");
  // After the snapshots, so the dashboard is current first; the run's figures are the snapshots' alone.
  if (deps.history !== false) {
    const heads = outcomes.flatMap((o, i) => (o.headSha ? [{ env: targets[i]!, headSha: o.headSha }] : []));
    await updateHistories({ db, git: deps.git }, heads, deps.history);
    if (!options.environments) await pruneHistories(db, workspace.config.environments.map((e) => e.name));
  }
  return result;
}

interface EnvironmentOutcome {
  environment: string;
  skipped: boolean;
  headSha?: string;
  status?: EnvironmentStatus;
}

async function refreshEnvironment(
  env: EnvironmentConfig,
  ctx: { deps: RefreshDeps; registries: EnvironmentReadMemory; endpoints: RegistryEndpoint[]; stats: FetchStats },
): Promise<EnvironmentOutcome> {
  const { deps, registries: memory } = ctx;
  // A head that cannot be read is read again inside readEnvironmentStatus, which turns the failure into the error shown.
  const head = await deps.git.branchHead(env.repo, env.branch).catch(() => undefined);
  if (head && (await memory.isUnchanged(env, head.sha, Date.now()))) return { environment: env.name, skipped: true, headSha: head.sha };

  const tracked = memory.track(env);
  const status = await readEnvironmentStatus(
    env,
    { config: deps.workspace.config, git: deps.git, registries: tracked.lookup, endpoints: ctx.endpoints, stats: ctx.stats },
    { head },
  );
  try {
    await saveEnvironmentSnapshot(deps.db, status);
  } catch (error) {
    memory.forget(env);
    logger.error({ err: error, environment: env.name }, "saving snapshot failed");
    return { environment: env.name, skipped: false, status: { ...status, error: `saving snapshot failed: ${errorMessage(error)}` } };
  }
  if (status.error || !status.commit) {
    memory.forget(env);
    if (status.error) logger.warn({ environment: env.name, error: status.error }, "environment not read");
  } else {
    await tracked.remember(status.commit.sha, Date.now());
  }
  return { environment: env.name, skipped: false, headSha: status.commit?.sha, status };
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
