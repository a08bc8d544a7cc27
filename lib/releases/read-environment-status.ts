import { readUmbrellaChart } from "@/lib/charts/read-umbrella-chart";
import { resolveRunningVersion } from "@/lib/charts/resolve-running-version";
import type { ChartDependency, ResolvedVersion } from "@/lib/charts/types";
import type { EnvironmentConfig, WorkspaceConfig } from "@/lib/config/schema";
import { errorMessage } from "@/lib/errors";
import type { BranchHead, GitProvider } from "@/lib/git/git-provider";
import { locateChartRegistry } from "@/lib/registry/locate-chart-registry";
import type { ChartVersion, FetchStats, RegistryEndpoint } from "@/lib/registry/types";
import { withBadge } from "@/lib/versions/badge";
import { computeVersionStatus } from "@/lib/versions/compute-version-status";
import type { EnvironmentStatus, ServiceStatus } from "./environment-status";
import { readStackFiles } from "./read-stack-files";

/** What readEnvironmentStatus needs from the registry side; the registry client provides it. */
export interface ChartVersionLookup {
  listChartVersions(endpoint: RegistryEndpoint, chart: string, stats: FetchStats): Promise<ChartVersion[] | undefined>;
}

export interface ReadEnvironmentContext {
  config: WorkspaceConfig;
  git: GitProvider;
  registries: ChartVersionLookup;
  /** Registries from slipway.yaml with their credentials resolved; a registry whose auth is missing is absent. */
  endpoints: RegistryEndpoint[];
  stats: FetchStats;
  now?: () => Date;
}

/**
 * Reads one environment's umbrella chart at its branch head and compares every dependency with its registry.
 * Never throws: a failure of the whole environment becomes `error`, a failure of one service its own `error`.
 */
export async function readEnvironmentStatus(
  env: EnvironmentConfig,
  ctx: ReadEnvironmentContext,
  options: { head?: BranchHead } = {},
): Promise<EnvironmentStatus> {
  const now = ctx.now ?? (() => new Date());
  const started = performance.now();
  const finish = (partial: Omit<EnvironmentStatus, "environment" | "readAt" | "durationMs">): EnvironmentStatus => ({
    environment: env.name,
    readAt: now(),
    durationMs: Math.round(performance.now() - started),
    ...partial,
  });

  let commit: EnvironmentStatus["commit"];
  try {
    // The refresher has read the head already, to see whether anything changed: the same commit, not a second request.
    commit = options.head ?? (await ctx.git.branchHead(env.repo, env.branch));
    const files = await readStackFiles(ctx.git, env, commit.sha);
    const chart = readUmbrellaChart(files);
    const services = await Promise.all(
      chart.dependencies.map((dep) => readServiceStatus(dep, chart.imageTags[dep.service], env, ctx, now())),
    );
    // Every problem is kept, and every entry of the dependency list is shown: one the reader could not take still
    // gets a row saying why, instead of silently missing from the dashboard and the CLI.
    const problemsByService = new Map<string, string[]>();
    for (const problem of chart.problems) {
      if (problem.service) problemsByService.set(problem.service, [...(problemsByService.get(problem.service) ?? []), problem.message]);
    }
    for (const service of services) {
      const problems = problemsByService.get(service.service);
      if (problems) service.error = [...problems, ...(service.error ? [service.error] : [])].join("; ");
      problemsByService.delete(service.service);
    }
    for (const [service, problems] of problemsByService) services.push(unreadableService(service, problems.join("; "), env, ctx, now()));
    return finish({
      commit,
      chart: { name: chart.name, version: chart.version, format: chart.format },
      services,
      warnings: chart.problems.filter((p) => !p.service).map((p) => p.message),
      lock: chart.lockReport,
    });
  } catch (error) {
    return finish({ commit, services: [], warnings: [], error: errorMessage(error) });
  }
}

async function readServiceStatus(
  dep: ChartDependency,
  imageTag: string | undefined,
  env: EnvironmentConfig,
  ctx: ReadEnvironmentContext,
  now: Date,
): Promise<ServiceStatus> {
  const source = locateChartRegistry(dep.repository, ctx.endpoints, ctx.config.registryPolicy);
  let published: ChartVersion[] | undefined;
  let error: string | undefined;
  if (source.kind === "registry") {
    try {
      published = await ctx.registries.listChartVersions(source.endpoint, dep.chart, ctx.stats);
    } catch (cause) {
      error = errorMessage(cause);
    }
  } else if (source.kind !== "vendored") {
    error = source.reason;
  }

  const resolved = resolveRunningVersion(dep, published?.map((v) => v.version));
  if (source.kind === "vendored") return vendoredServiceStatus(dep, resolved, imageTag, source.reason);

  const version = computeVersionStatus({
    running: resolved.ok ? resolved.version : undefined,
    published,
    includePrereleases: env.includePrereleases,
    farBehindReleases: ctx.config.farBehindReleases,
    now,
  });
  if (!resolved.ok) error = error ? `${resolved.message}; ${error}` : resolved.message;

  return {
    service: dep.service,
    chart: dep.chart,
    repository: dep.repositoryRaw,
    constraint: dep.constraint,
    running: resolved.ok ? resolved.version : undefined,
    resolvedFrom: resolved.ok ? resolved.source : undefined,
    unpinned: resolved.ok && resolved.unpinned,
    imageTag,
    // A registry we could not reach, or may not ask (not in slipway.yaml), says nothing about whether the version is published.
    version:
      error && !published
        ? unknownStatus(version, resolved.ok ? resolved.version : undefined, source.kind === "unknown" ? "registry not configured" : "registry unavailable")
        : version,
    error,
  };
}

/**
 * A chart vendored in the stack repository (`file://` or no repository) has no registry to compare with. It runs what
 * the lock records, or an exact pin; with a range and no exact lock Helm runs the vendored chart's own version (or
 * for an empty repository copies the range into the lock), which Slipway does not read, so the version is unknown
 * and the service says why, rather than calling the constraint "unparseable".
 */
function vendoredServiceStatus(
  dep: ChartDependency,
  resolved: ResolvedVersion,
  imageTag: string | undefined,
  reason: string,
): ServiceStatus {
  const running = resolved.ok ? resolved.version : undefined;
  return {
    service: dep.service,
    chart: dep.chart,
    repository: dep.repositoryRaw,
    constraint: dep.constraint,
    running,
    resolvedFrom: resolved.ok ? resolved.source : undefined,
    unpinned: false,
    imageTag,
    version: withBadge({ status: "vendored", running, releasesBehind: 0, step: "none" }),
    ...(!resolved.ok && {
      error: `${reason}; the version it runs is the vendored chart's own, which the lock does not record`,
    }),
  };
}

/** A dependency entry the reader could not take: listed, grey, with every reason. */
function unreadableService(service: string, error: string, env: EnvironmentConfig, ctx: ReadEnvironmentContext, now: Date): ServiceStatus {
  const version = computeVersionStatus({
    running: undefined,
    published: undefined,
    includePrereleases: env.includePrereleases,
    farBehindReleases: ctx.config.farBehindReleases,
    now,
  });
  return { service, chart: service, repository: "", constraint: "", unpinned: false, version: unknownStatus(version, undefined, "unreadable entry"), error };
}

function unknownStatus(version: ServiceStatus["version"], running: string | undefined, label: string): ServiceStatus["version"] {
  return {
    ...version,
    status: "unknown",
    running,
    badge: { color: "#8c8c8c", level: -1, label },
  };
}
