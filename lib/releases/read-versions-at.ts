import { readUmbrellaChart } from "@/lib/charts/read-umbrella-chart";
import { resolveRunningVersion } from "@/lib/charts/resolve-running-version";
import type { StackFiles } from "@/lib/charts/types";
import type { EnvironmentConfig } from "@/lib/config/schema";
import type { GitProvider } from "@/lib/git/git-provider";
import { readStackFiles } from "./read-stack-files";

/** One service as a commit of the stack pins it. */
export interface PinnedVersion {
  service: string;
  chart: string;
  /** What runs as far as the files alone say: the lock's version, an exact pin, else the constraint as written. */
  version: string;
  /** True when `version` is a range nothing locks (what ran then depended on the registry at deploy time). */
  unpinned: boolean;
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
    });
  }
  return versions;
}
