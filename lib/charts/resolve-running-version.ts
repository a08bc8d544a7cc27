import semver from "semver";
import { parseExactVersion, parseVersionRange } from "./parse-version-constraint";
import type { ChartDependency, ResolvedVersion } from "./types";

/**
 * The version an environment runs for one dependency, in Helm's order: the lock file, then an exact pin, then a
 * range resolved as `helm dependency update` would (the highest published version that satisfies it; prereleases
 * only when the range itself names one).
 *
 * A locked version that is not an exact version is skipped: Helm copies the constraint into the lock for charts it
 * could not look up (vendored under charts/, or from a repository it was not told about).
 */
export function resolveRunningVersion(
  dependency: Pick<ChartDependency, "constraint" | "lockedVersion">,
  publishedVersions?: readonly string[],
): ResolvedVersion {
  const locked = dependency.lockedVersion === undefined ? undefined : parseExactVersion(dependency.lockedVersion);
  if (locked) return { ok: true, version: locked, source: "lock", unpinned: false };

  const pinned = parseExactVersion(dependency.constraint);
  if (pinned) return { ok: true, version: pinned, source: "pin", unpinned: false };

  const range = parseVersionRange(dependency.constraint);
  if (!range) {
    return { ok: false, message: `version "${dependency.constraint}" is neither a version nor a range` };
  }
  const highest = publishedVersions ? semver.maxSatisfying([...publishedVersions], range) : null;
  if (!highest) {
    return {
      ok: false,
      message: `range ${dependency.constraint.trim() || '"*" (no version:)'} has no lock and no published version satisfies it`,
    };
  }
  return { ok: true, version: highest, source: "range", unpinned: true };
}
