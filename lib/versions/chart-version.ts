import { compareHelmVersions, parseHelmVersion, type HelmVersion } from "./helm-semver";

/**
 * Chart versions as text, compared the way Helm compares them (Masterminds semver: `1.6` is 1.6.0, a leading `v` and
 * leading zeros are fine, `12.3.34.1234` is not a version). Every part of Slipway that reads, orders or picks a
 * chart version goes through here or lib/versions/helm-semver, so the reader, the lock check, the registry sort and
 * the upgrade planner can never disagree. Safe in the browser: no Node APIs.
 */
export function parseChartVersionText(text: string): HelmVersion | undefined {
  return parseHelmVersion(text.trim());
}

export function isChartVersion(text: string): boolean {
  return parseChartVersionText(text) !== undefined;
}

export function isPrereleaseVersion(text: string): boolean {
  const version = parseChartVersionText(text);
  return version !== undefined && version.prerelease !== "";
}

/** Helm's order of two versions (build metadata ignored), or undefined when either is not a version. */
export function compareChartVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const left = parseChartVersionText(a);
  const right = parseChartVersionText(b);
  return left && right ? compareHelmVersions(left, right) : undefined;
}
