import { parseChartVersionText } from "@/lib/versions/chart-version";
import { maxSatisfying } from "@/lib/versions/helm-semver";
import { parseDependencyConstraint, parseExactVersion } from "./parse-version-constraint";
import type { ChartDependency, ResolvedVersion } from "./types";

/**
 * The version an environment runs for one dependency, in Helm's order: the lock file, then an exact pin, then a
 * range resolved as `helm dependency update` would (the highest published version that satisfies it, by
 * Masterminds semver's rules: prereleases only when the range itself names one).
 *
 * A locked version that is not a version is skipped: Helm copies the constraint into the lock for charts it could
 * not look up (vendored under charts/, or from a repository it was not told about).
 */
export function resolveRunningVersion(
  dependency: Pick<ChartDependency, "constraint" | "lockedVersion">,
  publishedVersions?: readonly string[],
): ResolvedVersion {
  const lockedText = dependency.lockedVersion?.trim();
  if (lockedText && parseChartVersionText(lockedText)) return { ok: true, version: lockedText, source: "lock", unpinned: false };

  const pinned = parseExactVersion(dependency.constraint);
  if (pinned) return { ok: true, version: pinned, source: "pin", unpinned: false };

  const range = parseDependencyConstraint(dependency.constraint);
  if (!range.ok && dependency.constraint.trim() === "") {
    return {
      ok: false,
      message:
        "no version: and no lock entry: helm dependency update stops on such a dependency (\"invalid version/constraint " +
        'format: improper constraint\"), so nothing says what runs; add version:',
    };
  }
  if (!range.ok) {
    return { ok: false, message: `version "${dependency.constraint}" is neither a version nor a range Helm reads (${range.message})` };
  }
  const published = (publishedVersions ?? []).flatMap((text) => {
    const version = parseChartVersionText(text);
    return version ? [version] : [];
  });
  const highest = maxSatisfying(range.constraint, published);
  if (!highest) {
    return {
      ok: false,
      message: `range ${dependency.constraint.trim()} has no lock and no published version satisfies it`,
    };
  }
  return { ok: true, version: highest.original.trim(), source: "range", unpinned: true };
}
