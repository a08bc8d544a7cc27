import { compareBuild, parse, type SemVer } from "semver";
import type { ChartVersion } from "./types";

/**
 * Orders versions newest first, the order `helm repo index` writes: semver descending (prereleases below their
 * release, build metadata as a tie-break so the order is total), then versions that are not semver, by name.
 * Registries do not promise an order (OCI tag lists come back unsorted), so every list is sorted here.
 * Returns a new array; the input (often a cached index) is left alone.
 */
export function sortChartVersions(versions: readonly ChartVersion[]): ChartVersion[] {
  const parsed = versions.map((version) => ({ version, semver: parseVersion(version.version) }));
  parsed.sort((a, b) => {
    if (a.semver && b.semver) return compareBuild(b.semver, a.semver);
    if (a.semver) return -1;
    if (b.semver) return 1;
    return a.version.version < b.version.version ? -1 : a.version.version > b.version.version ? 1 : 0;
  });
  return parsed.map((entry) => entry.version);
}

function parseVersion(version: string): SemVer | null {
  // Loose: Helm (Masterminds semver) accepts a leading "v" too.
  return parse(version, { loose: true });
}
