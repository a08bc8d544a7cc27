import { compareChartVersions, parseChartVersionText } from "@/lib/versions/chart-version";
import { isAlias, isMap, isScalar, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { parseDependencyConstraint, parseExactVersion } from "../parse-version-constraint";
import { readUmbrellaChart } from "../read-umbrella-chart";
import { resolveRunningVersion } from "../resolve-running-version";
import { ChartReadError, type ChartDependency, type StackFiles, type UmbrellaChart } from "../types";
import { isYamlMapping, readYamlField } from "../yaml-value";
import { ChartEditError } from "./chart-edit-error";
import {
  hasMergeKey,
  listAliases,
  pairsWithKey,
  parseEditableYaml,
  printEditableYaml,
  readTopLevelSequence,
  rootMap,
  setScalarText,
  type EditableYaml,
} from "./editable-yaml";
import { formatGoTime } from "./format-go-time";
import { computeLockDigests } from "./helm-lock-digest";
import { applyDependencyEdits, keyOf, plainList, requestedIndex, type DependencyEditChecks, type DependencyEditRequest } from "./plan-dependency-edits";

export type ChartFileName = "Chart.yaml" | "Chart.lock" | "requirements.yaml" | "requirements.lock";

export interface ChartVersionChange {
  /** Dependency alias, or chart name when it has none — `service` as readUmbrellaChart reports it. */
  service: string;
  /** The chart version to run: semver, as published in the registry. */
  to: string;
  /**
   * Digest of the chart archive, for lock files that record one per entry. Helm's own Chart.lock does not, so it is
   * written only where the lock entry already has a `digest:` key, and otherwise reported as ignored in the notes.
   */
  digest?: string;
}

export interface ChartFileEdit {
  name: ChartFileName;
  before: string;
  after: string;
}

export interface ChartEditPlan {
  /** Only the files that change, dependency file first. */
  files: ChartFileEdit[];
  /** What the plan decided that a reviewer should know: ranges kept or replaced, digests, no-op changes. */
  notes: string[];
}

/** Entries to take out of the chart and entries of an earlier commit to put back, in the same plan as the versions. */
export interface ChartEditOptions extends DependencyEditRequest {
  now?: Date;
}

/**
 * Plans the file edits that move the given services of an umbrella chart to new chart versions — and, when asked,
 * take dependency entries out or bring entries of an earlier commit back (see applyDependencyEdits) — changing nothing
 * in the files but those (and the lock's digest and timestamp): comments, key order, quoting, flow style, anchors,
 * blank lines, line endings and indentation stay byte-for-byte as they were, so the pull request's diff is what a
 * careful person would have typed.
 *
 * A range constraint (`~1.4.0`) with a lock entry keeps its range when the target still satisfies it, and only the
 * lock changes; otherwise the constraint becomes the exact target. Throws ChartEditError for anything it will not do
 * silently: unknown services, non-semver targets, unparseable files, versions shared through YAML anchors.
 */
export function planChartEdits(
  files: StackFiles,
  changes: readonly ChartVersionChange[],
  options: ChartEditOptions = {},
): ChartEditPlan {
  validateChanges(changes);
  const original = readChart(files);
  const moved = new Set([...(options.remove ?? []), ...(options.restore ?? []).map((r) => r.service)]);
  const clash = changes.find((change) => moved.has(change.service));
  if (clash) throw new ChartEditError(`${clash.service} cannot both change version and be removed or brought back in one request`);

  // Entries out and back in first, as text; then the versions on the result, then the lock's digest against the
  // files as they were.
  const structural = applyDependencyEdits(files, original, options);
  const working = structural.files;
  const chart = readChart(working);
  const dependencyFile = openDependencyFile(chart, working);
  const lock = openLockFile(chart, working);
  const dependencyBefore = files[keyOf(dependencyFile.name)] ?? "";
  const lockBefore = lock ? (files[keyOf(lock.name)] ?? "") : "";

  const notes: string[] = [...structural.notes];
  const edits: ScalarEdit[] = [];
  const checks: PlanChecks = { constraints: [], lockVersions: [], ...structural.checks };
  const claimedLockEntries = new Set<number>();
  // A restored entry pinned by a range goes back pinned: the version pass turns the range into the exact version
  // when nothing locks it, and changes nothing when its lock entry came back with it.
  const pins = structural.checks.restored.map((r) => ({ service: r.service, to: r.version }));
  for (const change of [...changes, ...pins]) {
    const restored = pins.includes(change as (typeof pins)[number]);
    const planned = planServiceEdit(chart, dependencyFile, lock, change, claimedLockEntries);
    edits.push(...planned.edits);
    // For a restored service, "already at" and "no lock entry" were said by applyDependencyEdits, in its own words.
    notes.push(...planned.notes.filter((note) => !restored || !/nothing to change|has no entry for it/.test(note)));
    if (planned.constraint) checks.constraints.push({ service: change.service, constraint: change.to });
    if (planned.lockIndex !== undefined) checks.lockVersions.push({ index: planned.lockIndex, version: change.to });
  }

  for (const edit of edits) setScalarText(edit.scalar, edit.value, edit.inFlow, { asString: true });
  const dependencyAfter = printEditableYaml(dependencyFile.yaml);
  const planned: ChartFileEdit[] = [];
  if (dependencyAfter !== dependencyBefore) {
    planned.push({ name: dependencyFile.name, before: dependencyBefore, after: dependencyAfter });
  }
  if (lock) {
    const lockAfter = finishLockFile(lock, chart, {
      dependencyFile: dependencyFile.name,
      dependencyBefore,
      dependencyAfter,
      lockBefore,
      lockAfter: printEditableYaml(lock.yaml),
    }, options.now ?? new Date(), notes);
    if (lockAfter !== lockBefore) planned.push({ name: lock.name, before: lockBefore, after: lockAfter });
  }

  verifyPlan(files, planned, checks, lock?.name);
  return { files: planned, notes };
}

/** A stack file held for editing: its text, its CST, its `dependencies:` sequence and that list as plain data. */
interface OpenFile {
  name: ChartFileName;
  text: string;
  yaml: EditableYaml;
  seq: YAMLSeq | undefined;
  /** Each `dependencies:` entry as plain data (scalars as written), index for index with `seq`. */
  entries: unknown[];
}

function openFile(name: ChartFileName, text: string): OpenFile {
  const yaml = parseEditableYaml(text, name);
  const seq = readTopLevelSequence(yaml, "dependencies");
  return { name, text, yaml, seq, entries: plainList(text, name) };
}

/** The file readUmbrellaChart read the dependencies from: requirements.yaml for Helm 2 charts that have one. */
function openDependencyFile(chart: UmbrellaChart, files: StackFiles): OpenFile {
  return chart.dependencyFile === "requirements.yaml"
    ? openFile("requirements.yaml", files.requirementsYaml ?? "")
    : openFile("Chart.yaml", files.chartYaml ?? "");
}

function openLockFile(chart: UmbrellaChart, files: StackFiles): OpenFile | undefined {
  if (chart.lockFile === "requirements.lock" && files.requirementsLock !== undefined) {
    return openFile("requirements.lock", files.requirementsLock);
  }
  if (chart.lockFile === "Chart.lock" && files.chartLock !== undefined) return openFile("Chart.lock", files.chartLock);
  return undefined;
}

interface ServiceEdit {
  edits: ScalarEdit[];
  notes: string[];
  /** The dependency's `version:` is rewritten. */
  constraint: boolean;
  /** The lock entry at this index is rewritten. */
  lockIndex?: number;
}

function planServiceEdit(
  chart: UmbrellaChart,
  dependencyFile: OpenFile,
  lock: OpenFile | undefined,
  change: ChartVersionChange,
  claimedLockEntries: Set<number>,
): ServiceEdit {
  const { service, to: target } = change;
  const dependency = chart.dependencies.find((candidate) => candidate.service === service);
  const index = dependency ? requestedIndex(dependencyFile.entries, service) : -1;
  if (!dependency || index < 0 || !dependencyFile.seq) {
    const known = chart.dependencies.map((candidate) => candidate.service);
    throw new ChartEditError(
      `${dependencyFile.name} has no dependency "${service}"; ` +
        (known.length > 0 ? `its services are: ${known.join(", ")}` : "it lists no dependencies"),
    );
  }
  const label = `"${service}"`;
  const version = findVersionScalar(dependencyFile.yaml, dependencyFile.seq, index, label);

  // readUmbrellaChart paired the dependency with its lock entry (matchLockEntries); the plan edits that same entry.
  // Two aliases may share one entry: only the first change to reach it edits it.
  const lockIndex =
    lock?.seq && dependency.lockIndex !== undefined && !claimedLockEntries.has(dependency.lockIndex)
      ? dependency.lockIndex
      : undefined;
  let lockEntry: VersionNode | undefined;
  if (lock?.seq && lockIndex !== undefined) {
    claimedLockEntries.add(lockIndex);
    lockEntry = findVersionScalar(lock.yaml, lock.seq, lockIndex, `${label}'s lock entry`);
  }

  const decision = decideEdit(dependency, target, lockEntry !== undefined);
  const editConstraint = decision.constraint && normalizeVersion(dependency.constraint) !== normalizeVersion(target);
  const editLock =
    lockEntry !== undefined && normalizeVersion(String(lockEntry.scalar.value)) !== normalizeVersion(target);
  const edits: ScalarEdit[] = [];
  const notes: string[] = [];
  if (editConstraint) edits.push({ scalar: version.scalar, inFlow: version.inFlow, value: target });
  if (editLock) edits.push({ scalar: lockEntry!.scalar, inFlow: lockEntry!.inFlow, value: target });

  if (!editConstraint && !editLock) notes.push(`${service}: already at ${target}; nothing to change`);
  else if (decision.note) notes.push(`${service}: ${decision.note}`);
  if (lock && !lockEntry) {
    notes.push(
      `${service}: ${lock.name} has no entry for it, so only ${dependencyFile.name} changes; ` +
        "run `helm dependency update` to bring the lock up to date",
    );
  }
  if (change.digest !== undefined) {
    const digest = lockEntry ? findOptionalScalar(lockEntry.item, "digest") : undefined;
    if (digest && lockEntry) edits.push({ scalar: digest, inFlow: lockEntry.inFlow, value: change.digest });
    else notes.push(`${service}: the lock has no per-chart digest to update; the digest given is not written`);
  }
  return { edits, notes, constraint: editConstraint, ...(editLock && { lockIndex }) };
}

/**
 * After the entry and version edits: the lock's digest for the edited files and, when the lock changed at all,
 * `generated:` set to now, as `helm dependency update` leaves a lock. Returns the lock's new text.
 */
function finishLockFile(lock: OpenFile, chart: UmbrellaChart, texts: DigestInputs, now: Date, notes: string[]): string {
  if (texts.lockAfter === texts.lockBefore && texts.dependencyAfter === texts.dependencyBefore) return texts.lockBefore;
  notes.push(...updateLockDigest(lock.yaml, chart, texts));
  if (printEditableYaml(lock.yaml) === texts.lockBefore) return texts.lockBefore;
  const generated = findOptionalScalar(rootMap(lock.yaml), "generated");
  if (generated) setScalarText(generated, formatGoTime(now), false);
  return printEditableYaml(lock.yaml);
}

interface ScalarEdit {
  scalar: Scalar;
  inFlow: boolean;
  value: string;
}

/**
 * A version as Helm reads one (Masterminds NewVersion: `1.6`, `v2021.08.23` too), in the characters such versions
 * are made of, so it never needs YAML escaping (setScalarText quotes the ones YAML would read as numbers).
 */
const VERSION_CHARACTERS = /^[0-9A-Za-z.+-]+$/;
const DIGEST_TEXT = /^sha256:[0-9a-f]{64}$/;

function validateChanges(changes: readonly ChartVersionChange[]): void {
  const seen = new Set<string>();
  for (const change of changes) {
    if (typeof change.service !== "string" || change.service.trim() === "") {
      throw new ChartEditError("Every version change needs a service name");
    }
    if (seen.has(change.service)) {
      throw new ChartEditError(`"${change.service}" appears more than once in one release request`);
    }
    seen.add(change.service);
    if (typeof change.to !== "string" || !VERSION_CHARACTERS.test(change.to) || !parseChartVersionText(change.to)) {
      throw new ChartEditError(
        `${change.service}: ${JSON.stringify(change.to).slice(0, 300)} is not a version Helm reads (like 1.4.2 or 2.0.0-rc.1)`,
      );
    }
    if (change.digest !== undefined && !DIGEST_TEXT.test(change.digest)) {
      throw new ChartEditError(`${change.service}: digest must look like sha256:<64 hex digits>`);
    }
  }
}

function readChart(files: StackFiles): UmbrellaChart {
  try {
    return readUmbrellaChart(files);
  } catch (error) {
    if (error instanceof ChartReadError) throw new ChartEditError(error.message);
    throw error;
  }
}

/** `v1.2.3`, `=1.2.3` and `1.2.3` are one version to Helm. */
function normalizeVersion(text: string): string {
  return text.trim().replace(/^=\s*/, "").replace(/^v/, "");
}

interface EditDecision {
  /** Rewrite the dependency's `version:` to the target. */
  constraint: boolean;
  note?: string;
}

function decideEdit(dependency: ChartDependency, target: string, hasLockEntry: boolean): EditDecision {
  const constraint = dependency.constraint;
  if (parseExactVersion(constraint) !== undefined) return { constraint: true };
  if (constraint.trim() === "" && hasLockEntry) {
    return {
      constraint: false,
      note: "has no version:, so only the lock changes (helm dependency build installs the lock as it is)",
    };
  }
  const range = parseDependencyConstraint(constraint);
  if (!range.ok) {
    return {
      constraint: true,
      note: `"${constraint}" is not a version or range Helm reads (${range.message}); it becomes ${target}`,
    };
  }
  if (!hasLockEntry) {
    return {
      constraint: true,
      note: `"${constraint}" is a range with nothing locking it; it becomes ${target} so that exactly ${target} runs`,
    };
  }
  // As Helm checks it: Masterminds lets prereleases through only when the range names one.
  const targetVersion = parseChartVersionText(target);
  if (targetVersion && range.constraint.check(targetVersion)) {
    return {
      constraint: false,
      note: `"${constraint}" still allows ${target}, so the range stays and only the lock changes`,
    };
  }
  return { constraint: true, note: `"${constraint}" does not allow ${target}; the constraint becomes ${target}` };
}

interface VersionNode {
  item: YAMLMap;
  scalar: Scalar;
  inFlow: boolean;
}

/**
 * The `version:` scalar of entry `index`, refusing every shape where changing it would change something else too:
 * an entry or version that is an alias, an anchored entry or version that aliases elsewhere reuse, a version that
 * comes in through a `<<` merge key.
 */
function findVersionScalar(file: EditableYaml, seq: YAMLSeq, index: number, label: string): VersionNode {
  const where = `${file.fileName}: the version of ${label}`;
  const item = seq.items[index];
  if (isAlias(item)) {
    throw new ChartEditError(
      `${file.fileName}: ${label} is the alias *${item.source}, shared with the entry it points to; ` +
        "Slipway will not change both silently. Write the entry out and plan again",
    );
  }
  if (!isMap(item)) throw new ChartEditError(`${file.fileName}: ${label} is not a mapping`);
  const pairs = pairsWithKey(item, "version");
  if (pairs.length > 1) throw new ChartEditError(`${where} is given more than once; remove the duplicate key`);
  const value = pairs[0]?.value;
  if (value === undefined) {
    if (hasMergeKey(item)) {
      throw new ChartEditError(
        `${where} comes from a << merge key, shared with every entry that merges the same anchor; ` +
          `give ${label} its own version: and plan again`,
      );
    }
    throw new ChartEditError(`${where} is missing`);
  }
  const line = (offset: number | undefined) => (offset === undefined ? "?" : file.lineOf(offset));
  if (isAlias(value)) {
    throw new ChartEditError(
      `${where} (line ${line(value.range?.[0])}) is the alias *${value.source}, shared with the anchor ` +
        `&${value.source}; changing it would change every dependency that uses it. ` +
        `Write the version out for ${label} and plan again`,
    );
  }
  if (!isScalar(value)) throw new ChartEditError(`${where} must be a single value`);

  const sharers = listAliases(file).filter(({ target }) => target === value || target === item);
  if (sharers.length > 0) {
    const anchor = sharers[0]!.target === value ? value.anchor : item.anchor;
    const lines = sharers.map(({ alias }) => line(alias.range?.[0])).join(", ");
    throw new ChartEditError(
      `${where} (line ${line(value.range?.[0])}) is under the anchor &${anchor}, which line ${lines} also ` +
        `use${sharers.length === 1 ? "s" : ""} through *${anchor}; changing it would change those too. ` +
        `Write the version out for ${label} and plan again`,
    );
  }
  return { item, scalar: value, inFlow: item.flow === true };
}

function findOptionalScalar(map: YAMLMap | undefined, key: string): Scalar | undefined {
  if (!map) return undefined;
  const value = pairsWithKey(map, key)[0]?.value;
  return isScalar(value) ? value : undefined;
}

/**
 * Rewrites the lock's `digest:` the way `helm dependency update` would for the edited files. First it checks that
 * it can reproduce the digest the lock had before the edit (Helm 3's hash, or for requirements.lock Helm 2's): when
 * it can, the new digest is exactly what Helm computes; when it cannot (a stale lock, a repository name we cannot
 * resolve), the note says so, because `helm dependency build` would then reject the lock.
 */
function updateLockDigest(lock: EditableYaml, chart: UmbrellaChart, texts: DigestInputs): string[] {
  const digest = findOptionalScalar(rootMap(lock), "digest");
  if (!digest) return [`${lock.fileName} has no digest: to update`];
  const oldDigest = String(digest.value);

  const hashes = (dependencyText: string, lockText: string) =>
    computeLockDigests(dependencyText, texts.dependencyFile, lockText, lock.fileName);
  const before = hashes(texts.dependencyBefore, texts.lockBefore);
  const after = hashes(texts.dependencyAfter, texts.lockAfter);

  // Helm 3 accepts Helm 2's hash only in requirements.lock of an apiVersion v1 chart.
  const helm2Lock = chart.format === "helm2" && lock.fileName === "requirements.lock";
  const scheme = oldDigest === before.helm3 ? "helm3" : helm2Lock && oldDigest === before.helm2 ? "helm2" : undefined;
  const newDigest = scheme === "helm2" ? after.helm2 : after.helm3;
  if (newDigest !== oldDigest) setScalarText(digest, newDigest, false);

  if (scheme) return [];
  return [
    `${lock.fileName}: its digest did not match Helm's hash of the files before this change (a lock out of date, ` +
      "or written by another tool), so the new digest is Helm 3's hash of the edited files; if `helm dependency " +
      "build` still reports the lock out of sync, run `helm dependency update`",
  ];
}

interface DigestInputs {
  dependencyFile: string;
  dependencyBefore: string;
  dependencyAfter: string;
  lockBefore: string;
  lockAfter: string;
}

/**
 * Reads the edited files back as the dashboard will, and refuses a plan whose result is not what it claims — a
 * guard so that a bug here can never open a pull request that changes something else.
 */
interface PlanChecks extends DependencyEditChecks {
  constraints: { service: string; constraint: string }[];
  lockVersions: { index: number; version: string }[];
}

function verifyPlan(
  files: StackFiles,
  planned: readonly ChartFileEdit[],
  checks: PlanChecks,
  lockName: ChartFileName | undefined,
): void {
  const edited: StackFiles = { ...files };
  for (const file of planned) edited[keyOf(file.name)] = file.after;
  const chart = readUmbrellaChart(edited);
  for (const check of checks.constraints) {
    const found = chart.dependencies.find((dependency) => dependency.service === check.service);
    if (found?.constraint !== check.constraint) {
      throw new Error(`planChartEdits: ${check.service} reads back as ${found?.constraint}, not ${check.constraint}`);
    }
  }
  if (lockName && checks.lockVersions.length > 0) {
    const entries = plainList(edited[keyOf(lockName)] ?? "", lockName);
    for (const check of checks.lockVersions) {
      const entry = entries[check.index];
      if (!isYamlMapping(entry) || readYamlField(entry, "version") !== check.version) {
        throw new Error(`planChartEdits: ${lockName} entry ${check.index} does not read back as ${check.version}`);
      }
    }
  }
  const requested = plainList(edited[keyOf(chart.dependencyFile)] ?? "", chart.dependencyFile);
  for (const service of checks.removed) {
    if (chart.dependencies.some((dependency) => dependency.service === service) || requestedIndex(requested, service) >= 0) {
      throw new Error(`planChartEdits: ${service} is still a dependency after its removal`);
    }
  }
  for (const check of checks.restored) {
    const found = chart.dependencies.find((dependency) => dependency.service === check.service);
    const resolved = found && resolveRunningVersion(found);
    if (!resolved?.ok || compareChartVersions(resolved.version, check.version) !== 0) {
      throw new Error(`planChartEdits: ${check.service} does not read back as ${check.version} after it was brought back`);
    }
    // The entry as it was, but for a range the version pass pinned.
    const entry = requested[requestedIndex(requested, check.service)];
    const withoutVersion = (value: unknown) => (isYamlMapping(value) ? JSON.stringify({ ...value, version: undefined }) : JSON.stringify(value));
    if (withoutVersion(entry) !== withoutVersion(check.entry)) {
      throw new Error(`planChartEdits: ${check.service}'s entry does not read back as it was written before`);
    }
    if (check.lockEntry !== undefined && check.lockFile && found?.lockIndex !== undefined) {
      const locked = plainList(edited[keyOf(check.lockFile as ChartFileName)] ?? "", check.lockFile)[found.lockIndex];
      if (JSON.stringify(locked) !== JSON.stringify(check.lockEntry)) {
        throw new Error(`planChartEdits: ${check.service}'s ${check.lockFile} entry does not read back as it was written before`);
      }
    }
  }
}

