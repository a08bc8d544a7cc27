import { readUmbrellaChart } from "@/lib/charts/read-umbrella-chart";
import { ChartReadError } from "@/lib/charts/types";
import { resolveRunningVersion } from "@/lib/charts/resolve-running-version";
import type { RepositoryRef, StackFiles } from "@/lib/charts/types";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { ValidationError, errorMessage } from "@/lib/errors";
import type { GitProvider } from "@/lib/git/git-provider";
import { compareChartVersions } from "@/lib/versions/chart-version";
import { locateChartRegistry } from "@/lib/registry/locate-chart-registry";
import type { ReleaseDeps } from "./plan-upgrade";
import { readStackFiles } from "./read-stack-files";

/** One service as a commit of the stack pins it. */
export interface PinnedVersion {
  service: string;
  chart: string;
  /** What runs as far as the files alone say: the lock's version, an exact pin, else the constraint as written. */
  version: string;
  /** True when `version` is a range nothing locks (what ran then depended on the registry at deploy time). */
  unpinned: boolean;
  repository: RepositoryRef;
}

/**
 * What a commit of the environment's stack pins, service by service, from the files alone (no registry): the one
 * reading that history, rollback and promotion share, so they agree on what "the version at that commit" is.
 * Throws ChartReadError when the chart at that commit cannot be read.
 */
export async function readVersionsAt(git: GitProvider, env: EnvironmentConfig, sha: string): Promise<Map<string, PinnedVersion>> {
  return pinnedVersions(await readStackFiles(git, env, sha, { values: false }));
}

export function pinnedVersions(files: StackFiles): Map<string, PinnedVersion> {
  const chart = readUmbrellaChart(files);
  const versions = new Map<string, PinnedVersion>();
  for (const dependency of chart.dependencies) {
    const resolved = resolveRunningVersion(dependency);
    versions.set(dependency.service, {
      service: dependency.service,
      chart: dependency.chart,
      version: resolved.ok ? resolved.version : dependency.constraint.trim(),
      unpinned: !resolved.ok,
      repository: dependency.repository,
    });
  }
  return versions;
}

/** readVersionsAt for a plan: a chart that cannot be read there is bad input, said with `where` ("the branch head"). */
export async function readVersionsForPlan(git: GitProvider, env: EnvironmentConfig, sha: string, where: string): Promise<Map<string, PinnedVersion>> {
  try {
    return await readVersionsAt(git, env, sha);
  } catch (error) {
    // ChartReadError is a plain Error (lib/charts is shared with the CLI): told apart by its name.
    if (error instanceof Error && error.name === ChartReadError.name) throw new ValidationError(`The chart at ${where} cannot be read: ${errorMessage(error)}.`);
    throw error;
  }
}

/** The same version to Helm and written the same (a `v` aside); a range is the same only as the same text. */
export function samePinnedVersion(a: PinnedVersion, b: PinnedVersion): boolean {
  if (a.unpinned || b.unpinned) return a.version === b.version;
  return compareChartVersions(a.version, b.version) === 0 && a.version.replace(/^v/, "") === b.version.replace(/^v/, "");
}

/**
 * Of the versions a rollback or promotion would move to, those the chart's registry does not publish (deleted, or
 * never pushed there), each with why: `helm dependency build` could not install them, so they are not offered.
 * A registry that cannot be asked says nothing here; the plan reports it.
 */
async function findUnpublished(
  deps: Pick<ReleaseDeps, "registries" | "endpoints" | "config">,
  moves: { service: string; chart: string; to: string; repository: RepositoryRef }[],
): Promise<Map<string, string>> {
  const stats = { requests: 0, notModified: 0, bytes: 0 };
  const unpublished = new Map<string, string>();
  await Promise.all(
    moves.map(async (move) => {
      const source = locateChartRegistry(move.repository, deps.endpoints, deps.config.registryPolicy);
      if (source.kind !== "registry") return;
      const published = await deps.registries.listChartVersions(source.endpoint, move.chart, stats).catch(() => undefined);
      if (!published) return;
      if (!published.some((v) => compareChartVersions(v.version, move.to) === 0)) {
        unpublished.set(move.service, `${move.chart} ${move.to} is not published in ${source.endpoint.name} (any more): the environment could not install it`);
      }
    }),
  );
  return unpublished;
}

/**
 * Moves the changes whose target version the registry does not publish into `unresolved`, with why. `pins` are the
 * changed environment's, whose dependency entries say which registry the chart comes from.
 */
export async function setAsideUnpublished(
  deps: Pick<ReleaseDeps, "registries" | "endpoints" | "config">,
  preview: { changes: { service: string; chart: string; to: string }[]; unresolved: { service: string; reason: string }[] },
  pins: Map<string, PinnedVersion>,
): Promise<void> {
  const moves = preview.changes.flatMap((change) => {
    const pin = pins.get(change.service);
    return pin ? [{ ...change, repository: pin.repository }] : [];
  });
  const unpublished = await findUnpublished(deps, moves);
  preview.changes = preview.changes.filter((change) => !unpublished.has(change.service));
  for (const [service, reason] of unpublished) preview.unresolved.push({ service, reason });
}
