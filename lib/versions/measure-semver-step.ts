import { compareHelmVersions, type HelmVersion } from "./helm-semver";
import type { SemverStep } from "./types";

/**
 * The largest semver component that differs between two versions. Not `semver.diff`: it calls 2.0.0-rc.1 → 2.0.0
 * a "major" step, which would paint a release candidate's final release as a major upgrade.
 */
export function measureSemverStep(from: HelmVersion, to: HelmVersion): SemverStep {
  if (from.major !== to.major) return "major";
  if (from.minor !== to.minor) return "minor";
  if (from.patch !== to.patch) return "patch";
  if (compareHelmVersions(from, to) !== 0) return "prerelease";
  return "none";
}
