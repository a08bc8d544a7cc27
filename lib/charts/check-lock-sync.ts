import { computeLockDigests } from "./edit/helm-lock-digest";
import type { LockEntry } from "./read-lock-file";
import type { ChartDependency, ChartFormat } from "./types";

/**
 * Whether an environment's lock file still matches its dependencies, judged as `helm dependency build` judges it
 * (helm v3.21.4 pkg/downloader/manager.go `Build`): with no lock it resolves every range afresh, as `helm dependency
 * update` would; with a lock it recomputes the digest of the dependency list and the lock's entries and refuses the
 * build when it differs from the lock's `digest:` ("the lock file (Chart.lock) is out of sync with the dependencies
 * file (Chart.yaml). Please update the dependencies"). For an apiVersion v1 chart it also accepts Helm 2's digest.
 *
 * The digest says *that* the files disagree; the lists say *where*, so a reader knows what `helm dependency update`
 * will change.
 */
export interface LockSyncReport {
  /** in-sync: the build would use the lock; out-of-sync: the build fails; no-lock: the build resolves afresh. */
  state: "in-sync" | "out-of-sync" | "no-lock" | "no-dependencies";
  lockFile: string | null;
  /** What `helm dependency build` would do, in a sentence. */
  summary: string;
  digest: { recorded: string | null; computed: string | null; matches: boolean } | null;
  /** Lock entries that no dependency in the dependency file takes any more. */
  entriesNotInChart: { name: string; repository: string; version: string }[];
  /** Dependencies the lock has no entry for (services). */
  dependenciesWithoutEntry: string[];
  /** Dependencies whose lock entry names another repository than the dependency file does. */
  repositoryChanged: { service: string; chart: string; declared: string; locked: string }[];
}

export interface LockSyncInput {
  format: ChartFormat;
  dependencyFile: string;
  dependencyText: string;
  /** Dependencies as read and matched to the lock (lockIndex set where an entry was matched). */
  dependencies: readonly ChartDependency[];
  lock?: { path: string; text: string; entries: readonly LockEntry[]; digest?: string };
}

export function checkLockSync(input: LockSyncInput): LockSyncReport {
  const { lock, dependencies } = input;
  if (!lock) {
    if (dependencies.length === 0) return emptyReport("no-dependencies", null, "No dependencies, so nothing to lock.");
    return emptyReport(
      "no-lock",
      null,
      `There is no ${input.format === "helm2" ? "requirements.lock" : "Chart.lock"}: helm dependency build resolves ` +
        "every version range afresh, as helm dependency update would, so what gets deployed can change without a commit.",
    );
  }

  const matched = new Set(dependencies.flatMap((dependency) => (dependency.lockIndex === undefined ? [] : [dependency.lockIndex])));
  const leftovers = lock.entries.filter((entry) => !matched.has(entry.index));
  const repositoryChanged: LockSyncReport["repositoryChanged"] = [];
  const dependenciesWithoutEntry: string[] = [];
  for (const dependency of dependencies) {
    if (dependency.lockIndex !== undefined) continue;
    // Same chart, other repository: the entry is this dependency's, from before its repository changed.
    const moved = leftovers.findIndex((entry) => entry.name === dependency.chart);
    if (moved >= 0) {
      const [entry] = leftovers.splice(moved, 1);
      repositoryChanged.push({ service: dependency.service, chart: dependency.chart, declared: dependency.repositoryRaw, locked: entry!.repository });
    } else {
      dependenciesWithoutEntry.push(dependency.service);
    }
  }
  const entriesNotInChart = leftovers.map(({ name, repository, version }) => ({ name, repository, version }));

  const digests = computeLockDigests(input.dependencyText, input.dependencyFile, lock.text, lock.path);
  const recorded = lock.digest?.trim() || null;
  // Helm 3 accepts Helm 2's digest only in an apiVersion v1 chart's requirements.lock (the v1 fallback in Build).
  const accepted = input.format === "helm2" ? [digests.helm3, digests.helm2] : [digests.helm3];
  const matches = recorded !== null && accepted.includes(recorded);
  const computed = input.format === "helm2" && recorded === digests.helm2 ? digests.helm2 : digests.helm3;
  const findings = [
    ...dependenciesWithoutEntry.map((service) => `${service} has no lock entry`),
    ...entriesNotInChart.map((entry) => `${entry.name} ${entry.version} is locked but no longer a dependency`),
    ...repositoryChanged.map((change) => `${change.service} moved from ${change.locked} to ${change.declared}`),
  ];
  const summary = matches
    ? `${lock.path} is in sync with ${input.dependencyFile}: helm dependency build installs the locked versions.`
    : `helm dependency build fails: the lock file (${lock.path}) is out of sync with the dependencies file ` +
      `(${input.dependencyFile})${recorded === null ? ", which has no digest" : ""}` +
      `${findings.length > 0 ? ` (${findings.join("; ")})` : ""}. Run helm dependency update.`;
  return {
    state: matches ? "in-sync" : "out-of-sync",
    lockFile: lock.path,
    summary,
    digest: { recorded, computed, matches },
    entriesNotInChart,
    dependenciesWithoutEntry,
    repositoryChanged,
  };
}

function emptyReport(state: LockSyncReport["state"], lockFile: string | null, summary: string): LockSyncReport {
  return { state, lockFile, summary, digest: null, entriesNotInChart: [], dependenciesWithoutEntry: [], repositoryChanged: [] };
}
