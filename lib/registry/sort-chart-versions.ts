import { compareHelmVersions, type HelmVersion } from "@/lib/versions/helm-semver";
import { parseChartVersionText } from "@/lib/versions/chart-version";
import type { ChartVersion } from "./types";

/**
 * Orders versions newest first, as Helm orders an index (Masterminds semver, descending: prereleases below their
 * release; build metadata as a tie-break so the order is total), then entries Helm cannot read as versions
 * (`latest`, `12.3.34.1234`), by name. Registries do not promise an order (OCI tag lists come back unsorted), so every
 * list is sorted here. Returns a new array; the input (often a cached index) is left alone.
 */
export function sortChartVersions(versions: readonly ChartVersion[]): ChartVersion[] {
  const parsed = versions.map((version) => ({ version, semver: parseChartVersionText(version.version) }));
  parsed.sort((a, b) => {
    if (a.semver && b.semver) return compareNewestFirst(a.semver, b.semver);
    if (a.semver) return -1;
    if (b.semver) return 1;
    return byText(a.version.version, b.version.version);
  });
  return parsed.map((entry) => entry.version);
}

function compareNewestFirst(a: HelmVersion, b: HelmVersion): number {
  return compareHelmVersions(b, a) || byText(b.metadata, a.metadata);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
