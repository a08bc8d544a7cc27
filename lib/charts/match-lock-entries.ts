import { parseChartVersionText } from "@/lib/versions/chart-version";
import { parseDependencyConstraint } from "./parse-version-constraint";
import type { LockEntry } from "./read-lock-file";
import type { ChartDependency, ChartProblem } from "./types";

export interface LockedDependencies {
  dependencies: ChartDependency[];
  problems: ChartProblem[];
}

/**
 * Sets each dependency's lockedVersion and lockIndex from the lock file's entries. The one place a dependency is
 * paired with its lock entry: the dashboard reads the version through it and the edit planner rewrites the entry it
 * picked, so the two can never disagree about which entry belongs to which service.
 *
 * Helm writes one lock entry per dependency, in order, with the chart name and repository but without the alias. Two
 * aliases of one chart therefore give two entries that differ only in version. At install time Helm matches the
 * downloaded charts to aliases by version constraint, so we do the same: the n-th dependency that selects the same
 * entries takes the n-th of them when it satisfies the constraint, else the first entry that does, else (a stale
 * lock) the n-th or first entry, with a problem saying the lock is out of date.
 *
 * Which entries a dependency selects: those with its chart name and, when its `repository:` is a URL (or empty, or
 * file://, which Helm copies into the lock as written), that repository. A repository *name* (`@stable`,
 * `alias:stable`) is not what the lock holds: `helm dependency update` replaces it with the URL that name has in the
 * user's Helm repositories before writing the lock, and that URL is not in the stack repository (slipway.yaml's
 * registry of the same name is usually, but not necessarily, the same URL), so such a dependency matches by chart
 * name alone. The order and version rules above still keep two such charts from different repositories apart.
 */
export function matchLockEntries(
  dependencies: readonly ChartDependency[],
  entries: readonly LockEntry[],
  lockFile: string,
): LockedDependencies {
  const occurrences = new Map<string, number>();
  const problems: ChartProblem[] = [];
  const locked = dependencies.map((dependency) => {
    const key = selectionKey(dependency);
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);

    const candidates = entries.filter((entry) => selectsLockEntry(dependency, entry));
    const entry = pickLockEntry(candidates, occurrence, dependency.constraint);
    if (!entry) return dependency;
    const mismatch = judgeLockEntry(dependency, entry.version, lockFile);
    if (mismatch) problems.push({ service: dependency.service, message: mismatch });
    return { ...dependency, lockedVersion: entry.version, lockIndex: entry.index };
  });

  return { dependencies: locked, problems };
}

function selectsLockEntry(dependency: ChartDependency, entry: LockEntry): boolean {
  if (entry.name !== dependency.chart) return false;
  if (dependency.repository.kind === "alias") return true;
  return normalizeRepository(entry.repository) === normalizeRepository(dependency.repositoryRaw);
}

/** Dependencies with the same key select the same lock entries, so they count occurrences together. */
function selectionKey(dependency: ChartDependency): string {
  const repository = dependency.repository.kind === "alias" ? "@" : normalizeRepository(dependency.repositoryRaw);
  return `${dependency.chart}\u0000${repository}`;
}

/** Helm copies a URL `repository:` into the lock as written; only surrounding space and a trailing slash are forgiven. */
function normalizeRepository(repository: string): string {
  return repository.trim().replace(/\/+$/, "");
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

/** True when the locked version satisfies the constraint as Helm reads both; an unreadable side does not. */
function lockSatisfiesConstraint(lockedVersion: string, constraint: string): boolean {
  const version = parseChartVersionText(lockedVersion);
  const range = parseDependencyConstraint(constraint);
  // Helm's resolver only ever locks a version it matched against the constraint, prereleases included when the
  // constraint names one; a lock entry that does not satisfy it was edited by hand or is stale.
  return version !== undefined && range.ok && range.constraint.check(version);
}

/**
 * Why a dependency's lock entry is not one Helm would have written for it, or undefined when it is. For a chart Helm
 * could not look up (vendored, under charts/) it copies the constraint into the lock as it stands: that is no problem.
 */
function judgeLockEntry(dependency: ChartDependency, lockedVersion: string, lockFile: string): string | undefined {
  if (lockSatisfiesConstraint(lockedVersion, dependency.constraint)) return undefined;
  // No version: Helm's update would refuse it, but build installs the lock without reading constraints.
  if (dependency.constraint.trim() === "" && parseChartVersionText(lockedVersion)) return undefined;
  const vendored = dependency.repository.kind === "none" || dependency.repository.kind === "file";
  if (vendored && lockedVersion.trim() === dependency.constraint.trim()) return undefined;
  const range = parseDependencyConstraint(dependency.constraint);
  const readable = parseChartVersionText(lockedVersion) !== undefined;
  // Neither side readable: resolving the running version says so once, for both.
  if (!range.ok && !readable) return undefined;
  if (!range.ok) {
    return `${dependency.chart}: version "${dependency.constraint}" is not a constraint Helm reads (${range.message}); helm dependency update would stop on it`;
  }
  if (!readable) {
    return `${lockFile} locks ${dependency.chart} at "${lockedVersion}", which is not a version Helm reads: the lock file is broken (run helm dependency update)`;
  }
  return (
    `${lockFile} locks ${dependency.chart} at ${lockedVersion}, ` +
    `which does not satisfy "${dependency.constraint}": the lock file is out of date (run helm dependency update)`
  );
}
