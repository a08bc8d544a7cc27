import semver from "semver";
import { parseExactVersion, parseVersionRange } from "./parse-version-constraint";
import type { LockEntry } from "./read-lock-file";
import type { ChartDependency, ChartProblem } from "./types";

export interface LockedDependencies {
  dependencies: ChartDependency[];
  problems: ChartProblem[];
}

/**
 * Sets each dependency's lockedVersion from the lock file's entries.
 *
 * Helm writes one lock entry per dependency, in order, keyed by chart name and repository but without the alias. Two
 * aliases of one chart therefore give two entries that differ only in version. At install time Helm matches the
 * downloaded charts to aliases by version constraint, so we do the same: the n-th dependency with a given
 * name+repository takes the n-th such entry when it satisfies the constraint, else the first entry that does, else
 * (a stale lock) the n-th or first entry, with a problem saying the lock is out of date.
 */
export function matchLockEntries(
  dependencies: readonly ChartDependency[],
  entries: readonly LockEntry[],
  lockFile: string,
): LockedDependencies {
  const entriesByKey = new Map<string, LockEntry[]>();
  for (const entry of entries) {
    const key = lockKey(entry.name, entry.repository);
    entriesByKey.set(key, [...(entriesByKey.get(key) ?? []), entry]);
  }

  const occurrences = new Map<string, number>();
  const problems: ChartProblem[] = [];
  const locked = dependencies.map((dependency) => {
    const key = lockKey(dependency.chart, dependency.repositoryRaw);
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);

    const candidates = entriesByKey.get(key) ?? [];
    const entry = pickLockEntry(candidates, occurrence, dependency.constraint);
    if (!entry) return dependency;
    if (!lockSatisfiesConstraint(entry.version, dependency.constraint)) {
      problems.push({
        service: dependency.service,
        message:
          `${lockFile} locks ${dependency.chart} at ${entry.version}, ` +
          `which does not satisfy "${dependency.constraint}": the lock file is out of date (run helm dependency update)`,
      });
    }
    return { ...dependency, lockedVersion: entry.version };
  });

  return { dependencies: locked, problems };
}

/** Helm copies `repository:` into the lock as written; only surrounding space and a trailing slash are forgiven. */
function lockKey(name: string, repository: string): string {
  return `${name}\u0000${repository.trim().replace(/\/+$/, "")}`;
}

function pickLockEntry(
  candidates: readonly LockEntry[],
  occurrence: number,
  constraint: string,
): LockEntry | undefined {
  const positional = candidates[occurrence];
  if (positional && lockSatisfiesConstraint(positional.version, constraint)) return positional;
  return candidates.find((entry) => lockSatisfiesConstraint(entry.version, constraint)) ?? positional ?? candidates[0];
}

/** True unless both sides are readable semver and clearly disagree: an unreadable side is not evidence of staleness. */
function lockSatisfiesConstraint(lockedVersion: string, constraint: string): boolean {
  const version = parseExactVersion(lockedVersion);
  const range = parseVersionRange(constraint);
  if (!version || !range) return true;
  return semver.satisfies(version, range, { includePrerelease: true });
}
