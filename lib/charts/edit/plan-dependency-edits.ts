import { type CST, isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type YAMLSeq } from "yaml";
import { parseYamlFile } from "../parse-yaml-file";
import { readUmbrellaChart } from "../read-umbrella-chart";
import type { StackFiles, UmbrellaChart } from "../types";
import { isYamlMapping, readYamlField } from "../yaml-value";
import { ChartEditError } from "./chart-edit-error";
import { listAliases, pairsWithKey, parseEditableYaml, readsBackAsString, readTopLevelSequence, rootMap, type EditableYaml } from "./editable-yaml";

/**
 * A service to bring back into the umbrella chart: its dependency entry exactly as `source` (the stack files of an
 * earlier commit, typically a rollback target) wrote it, with its lock entry from that commit's lock.
 */
export interface DependencyRestoration {
  /** Dependency alias, or chart name when it has none, as readUmbrellaChart reports it in `source`. */
  service: string;
  /** The version it ran in `source`: what the restored entry must resolve to. */
  version: string;
  source: StackFiles;
  /** How `source` is named in messages: "a1b2c3d4". */
  sourceLabel: string;
}

export interface DependencyEditRequest {
  /** Services whose dependency entry (and lock entry) are taken out. */
  remove?: readonly string[];
  restore?: readonly DependencyRestoration[];
}

export interface DependencyEditResult {
  /** The stack files with the entries taken out and put back; the lock's digest and `generated:` are not touched yet. */
  files: StackFiles;
  notes: string[];
  /** What planChartEdits reads back from the finished files before it returns the plan. */
  checks: DependencyEditChecks;
}

export interface DependencyEditChecks {
  removed: string[];
  restored: { service: string; version: string; entry: unknown; lockEntry?: unknown; lockFile?: string }[];
}

type FileKey = "chartYaml" | "chartLock" | "requirementsYaml" | "requirementsLock";

/**
 * Takes dependency entries out of an umbrella chart and puts entries of an earlier commit back, editing the text the
 * way a careful person would: the rest of the file — comments, blank lines, quoting, flow or block style, line endings
 * — stays byte for byte. A removed entry takes its own comments (those directly above it and inside it) and one blank
 * separator with it; removing the last entry leaves `dependencies: []`, which Helm reads (and hashes) as no
 * dependencies. A restored entry goes back after the service that preceded it then (or first), re-indented to the
 * file's own indentation, and its lock entry goes in the same place of the lock, so that Helm's positional pairing of
 * requested and locked dependencies holds.
 *
 * Only the entries change here; planChartEdits then edits versions and recomputes the lock's digest for the result.
 */
export function applyDependencyEdits(files: StackFiles, chart: UmbrellaChart, request: DependencyEditRequest): DependencyEditResult {
  const remove = request.remove ?? [];
  const restore = request.restore ?? [];
  const result: DependencyEditResult = { files: { ...files }, notes: [], checks: { removed: [], restored: [] } };
  if (remove.length === 0 && restore.length === 0) return result;
  validateRequest(chart, remove, restore);

  const dependencyKey = keyOf(chart.dependencyFile);
  const lockKey = chart.lockFile ? keyOf(chart.lockFile) : undefined;
  if (remove.length > 0) removeEntries(result, chart, dependencyKey, lockKey, remove);
  for (const restoration of restore) restoreEntry(result, dependencyKey, lockKey, restoration);
  return result;
}

function validateRequest(chart: UmbrellaChart, remove: readonly string[], restore: readonly DependencyRestoration[]): void {
  const seen = new Set<string>();
  for (const service of [...remove, ...restore.map((r) => r.service)]) {
    if (typeof service !== "string" || service.trim() === "") throw new ChartEditError("Every service to remove or bring back needs a name");
    if (seen.has(service)) throw new ChartEditError(`"${service}" appears more than once in one release request`);
    seen.add(service);
  }
  const known = chart.dependencies.map((d) => d.service);
  for (const service of remove) {
    if (!known.includes(service)) {
      throw new ChartEditError(
        `${chart.dependencyFile} has no dependency "${service}" to remove; ` + (known.length > 0 ? `its services are: ${known.join(", ")}` : "it lists no dependencies"),
      );
    }
  }
  for (const restoration of restore) {
    if (known.includes(restoration.service)) {
      throw new ChartEditError(`${restoration.service} is already a dependency in ${chart.dependencyFile}: there is nothing to bring back`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Removing
// ---------------------------------------------------------------------------------------------------------------

function removeEntries(result: DependencyEditResult, chart: UmbrellaChart, dependencyKey: FileKey, lockKey: FileKey | undefined, remove: readonly string[]): void {
  const dependencyName = chart.dependencyFile;
  const requested = plainList(result.files[dependencyKey] ?? "", dependencyName);
  const indexes = remove.map((service) => {
    const index = requestedIndex(requested, service);
    if (index < 0) throw new ChartEditError(`${dependencyName}: the entry of "${service}" cannot be found to remove it`);
    return index;
  });
  // Two aliases may share one lock entry (a stale lock): it goes only when no remaining dependency still reads it.
  const lockIndexes: number[] = [];
  for (const service of remove) {
    const dependency = chart.dependencies.find((d) => d.service === service)!;
    if (dependency.lockIndex === undefined) {
      if (lockKey) result.notes.push(`${service}: ${chart.lockFile} has no entry for it, so only ${dependencyName} changes`);
      continue;
    }
    const shared = chart.dependencies.some((d) => !remove.includes(d.service) && d.lockIndex === dependency.lockIndex);
    if (shared) {
      result.notes.push(`${service}: its ${chart.lockFile} entry is also read by another service, so it stays; run \`helm dependency update\` to tidy the lock`);
    } else if (!lockIndexes.includes(dependency.lockIndex)) {
      lockIndexes.push(dependency.lockIndex);
    }
  }

  result.files[dependencyKey] = removeItems(result.files[dependencyKey] ?? "", dependencyName, indexes);
  if (lockKey && lockIndexes.length > 0) result.files[lockKey] = removeItems(result.files[lockKey] ?? "", chart.lockFile!, lockIndexes);
  result.checks.removed.push(...remove);
  if (indexes.length === requested.length) {
    result.notes.push(`${dependencyName} has no dependencies left: its list is written as \`dependencies: []\``);
  }
}

/** Removes the items at `indexes` of the file's `dependencies:` list, last first so earlier positions hold. */
function removeItems(text: string, fileName: string, indexes: readonly number[]): string {
  let out = text;
  for (const index of [...indexes].sort((a, b) => b - a)) out = removeItem(out, fileName, index);
  return out;
}

function removeItem(text: string, fileName: string, index: number): string {
  const file = parseEditableYaml(text, fileName);
  const seq = readTopLevelSequence(file, "dependencies");
  const item = seq?.items[index] as Node | undefined;
  if (!seq || !item) throw new Error(`removeItem: ${fileName} has no dependencies[${index}]`);
  refuseSharedAnchors(file, item, `${fileName}: dependencies[${index}]`);

  if (seq.flow) return removeFlowItem(text, seq, index);
  const lines = splitLines(text);
  const items = blockItems(file, lines, seq);
  const target = items[index]!;
  if (items.length === 1) {
    // The list's last entry: `dependencies: []`, not an empty key (Helm hashes a missing list as null, not as []).
    const colon = keyColonOffset(file, text);
    lines.splice(target.leadStart, target.lastLine - target.leadStart + 1);
    const joined = joinLines(lines);
    return `${joined.slice(0, colon + 1)} []${joined.slice(colon + 1)}`;
  }
  const previous = items[index - 1];
  const blankBefore = countBlank(lines, target.leadStart - 1, -1, previous ? previous.lastLine : keyLine(file));
  const blankAfter = countBlank(lines, target.lastLine + 1, 1, items[index + 1]?.leadStart ?? lines.length);
  let start = target.leadStart;
  let end = target.lastLine;
  if (!previous) end += blankAfter; // the first entry: the next one moves up to where it was
  else if (index === items.length - 1 || blankAfter > 0) start -= blankBefore; // one separator is enough
  lines.splice(start, end - start + 1);
  return joinLines(lines);
}

function removeFlowItem(text: string, seq: YAMLSeq, index: number): string {
  const items = seq.items as Node[];
  const item = items[index]!;
  const [itemStart, itemEnd] = [item.range![0], item.range![1]];
  if (items.length === 1) return text.slice(0, itemStart) + text.slice(itemEnd);
  if (index < items.length - 1) return text.slice(0, itemStart) + text.slice(items[index + 1]!.range![0]);
  // The last of several: take the comma after the previous item with it.
  return text.slice(0, items[index - 1]!.range![1]) + text.slice(itemEnd);
}

/** An entry whose anchor another part of the file aliases cannot go without changing that other part. */
function refuseSharedAnchors(file: EditableYaml, item: Node, label: string): void {
  const inside = new Set<unknown>();
  visit(item, { Node: (_key, node) => void inside.add(node) });
  inside.add(item);
  const used = listAliases(file).find(({ alias, target }) => inside.has(target) && !inside.has(alias));
  if (used) {
    throw new ChartEditError(`${label} holds the anchor &${used.alias.source}, which the file uses elsewhere through *${used.alias.source}; remove or rewrite that use first`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Restoring
// ---------------------------------------------------------------------------------------------------------------

function restoreEntry(result: DependencyEditResult, dependencyKey: FileKey, lockKey: FileKey | undefined, restoration: DependencyRestoration): void {
  const { service, source, sourceLabel } = restoration;
  const sourceChart = readSourceChart(source, sourceLabel);
  const sourceDependency = sourceChart.dependencies.find((d) => d.service === service);
  if (!sourceDependency) throw new ChartEditError(`${service} is not a dependency at ${sourceLabel}: there is nothing to bring back`);
  const sourceDependencyKey = keyOf(sourceChart.dependencyFile);
  const sourceText = source[sourceDependencyKey] ?? "";
  const sourceIndex = requestedIndex(plainList(sourceText, sourceChart.dependencyFile), service);
  if (sourceIndex < 0) throw new ChartEditError(`${service}: its entry at ${sourceLabel} cannot be read`);
  const dependencyName = fileNameOf(dependencyKey);
  if (sourceChart.dependencyFile !== dependencyName) {
    throw new ChartEditError(
      `${service} was listed in ${sourceChart.dependencyFile} at ${sourceLabel}, but the chart now lists its dependencies in ${dependencyName}; bring it back by hand`,
    );
  }

  // After the nearest service that preceded it then and is there now; first when none is.
  const current = () => readUmbrellaChart(result.files);
  const now = current().dependencies.map((d) => d.service);
  const predecessor = sourceChart.dependencies
    .slice(0, sourceChart.dependencies.indexOf(sourceDependency))
    .map((d) => d.service)
    .reverse()
    .find((s) => now.includes(s));
  const currentText = result.files[dependencyKey] ?? "";
  const insertAt = predecessor ? requestedIndex(plainList(currentText, dependencyName), predecessor) + 1 : 0;
  result.files[dependencyKey] = insertItem(currentText, dependencyName, insertAt, copiedItem(sourceText, sourceChart.dependencyFile, sourceIndex, `${service} at ${sourceLabel}`));
  const entry = plainList(sourceText, sourceChart.dependencyFile)[sourceIndex];
  const check: DependencyEditChecks["restored"][number] = { service, version: restoration.version, entry };

  if (lockKey) {
    const lockName = fileNameOf(lockKey);
    const locked = lockEntryFor(sourceChart, source, sourceDependency.lockIndex, service, sourceLabel) ?? synthesizedLockEntry(sourceDependency, restoration.version);
    if (!locked) {
      result.notes.push(
        `${service}: there is no ${lockName} entry for it at ${sourceLabel} and its repository (${sourceDependency.repositoryRaw}) is a name, not a URL, ` +
          `so only ${dependencyName} changes; run \`helm dependency update\` to lock it`,
      );
    } else {
      // The same position in the lock as in the dependency list: after the lock entry of the dependency before it.
      const after = current().dependencies;
      const position = after.findIndex((d) => d.service === service);
      const before = after.slice(0, position).reverse().find((d) => d.lockIndex !== undefined);
      const lockText = result.files[lockKey] ?? "";
      result.files[lockKey] = insertItem(lockText, lockName, before ? before.lockIndex! + 1 : 0, locked.item);
      check.lockEntry = locked.entry;
      check.lockFile = lockName;
      if (locked.synthesized) {
        result.notes.push(`${service}: ${sourceLabel} had no ${lockName} entry for it; one is written for ${restoration.version} from its repository`);
      }
    }
  }
  result.checks.restored.push(check);
}

function readSourceChart(source: StackFiles, label: string): UmbrellaChart {
  try {
    return readUmbrellaChart(source);
  } catch (error) {
    throw new ChartEditError(`The chart at ${label} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An entry of another file, ready to insert: its lines (block) or its one-line flow text, and how it was indented. */
interface CopiedItem {
  /** The entry as a block sequence item: lines without line endings, the first starting with its `- `. */
  lines: string[];
  /** Column of the `-` in `lines`. */
  indent: number;
  /** The entry written in flow style, for a flow-style list. */
  flow: string;
}

function copiedItem(text: string, fileName: string, index: number, label: string): CopiedItem {
  const file = parseEditableYaml(text, fileName);
  const seq = readTopLevelSequence(file, "dependencies");
  const item = seq?.items[index] as Node | undefined;
  if (!seq || !item) throw new Error(`copiedItem: ${fileName} has no dependencies[${index}]`);
  let tricky = false;
  visit(item, {
    Node: (_key, node) => {
      if (isAlias(node) || ("anchor" in node && node.anchor)) tricky = true;
    },
    Pair: (_key, pair) => {
      if (isScalar(pair.key) && pair.key.value === "<<") tricky = true;
    },
  });
  if (tricky || ("anchor" in item && item.anchor)) {
    throw new ChartEditError(`${label}: its entry in ${fileName} uses YAML anchors, aliases or merge keys; bring it back by hand`);
  }
  const flow = flowText(item, text, label);
  if (seq.flow) return { lines: [`- ${flow}`], indent: 0, flow };
  const lines = splitLines(text);
  const block = blockItems(file, lines, seq)[index]!;
  return {
    lines: lines.slice(block.leadStart, block.lastLine + 1).map((line) => line.content),
    indent: block.indent,
    flow,
  };
}

/** The lock entry `source`'s lock had for the service, when it had one. */
function lockEntryFor(
  sourceChart: UmbrellaChart,
  source: StackFiles,
  lockIndex: number | undefined,
  service: string,
  label: string,
): { item: CopiedItem; entry: unknown; synthesized: false } | undefined {
  if (!sourceChart.lockFile || lockIndex === undefined) return undefined;
  const text = source[keyOf(sourceChart.lockFile)] ?? "";
  return {
    item: copiedItem(text, sourceChart.lockFile, lockIndex, `${service}'s lock entry at ${label}`),
    entry: plainList(text, sourceChart.lockFile)[lockIndex],
    synthesized: false,
  };
}

/**
 * A lock entry as `helm dependency update` would write it (name, repository, version, keys sorted as Helm's YAML
 * writer sorts them), for a service the earlier commit pinned exactly without locking. A repository *name* resolves
 * to a URL only through someone's `helm repo add`, so none is written for it.
 */
function synthesizedLockEntry(
  dependency: UmbrellaChart["dependencies"][number],
  version: string,
): { item: CopiedItem; entry: unknown; synthesized: true } | undefined {
  if (dependency.repository.kind === "alias") return undefined;
  const fields: [string, string][] = [
    ["name", dependency.chart],
    ["repository", dependency.repositoryRaw],
    ["version", version],
  ];
  const scalar = (value: string) => (value !== "" && readsBackAsString(value) && !/[,[\]{}#]/.test(value) ? value : JSON.stringify(value));
  const lines = fields.map(([key, value], i) => `${i === 0 ? "- " : "  "}${key}: ${scalar(value)}`);
  const flow = `{${fields.map(([key, value]) => `${key}: ${scalar(value)}`).join(", ")}}`;
  return { item: { lines, indent: 0, flow }, entry: Object.fromEntries(fields), synthesized: true };
}

/** Inserts `item` so it becomes entry `index` of the file's `dependencies:` list. */
function insertItem(text: string, fileName: string, index: number, item: CopiedItem): string {
  const file = parseEditableYaml(text, fileName);
  const seq = readTopLevelSequence(file, "dependencies");
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = splitLines(text);

  if (seq && seq.flow && seq.items.length > 0) {
    const items = seq.items as Node[];
    // The separator the list already uses between entries (", ", or ",\n  " for one entry a line).
    const separator = items.length > 1 ? text.slice(items[0]!.range![1], items[1]!.range![0]) : ", ";
    if (index >= items.length) {
      const end = items[items.length - 1]!.range![1];
      return text.slice(0, end) + separator + item.flow + text.slice(end);
    }
    const start = items[index]!.range![0];
    return text.slice(0, start) + item.flow + separator + text.slice(start);
  }

  if (seq && !seq.flow) {
    const items = blockItems(file, lines, seq);
    const indent = items[0]!.indent;
    const separated = items.some((b, i) => i > 0 && b.leadStart - items[i - 1]!.lastLine > 1);
    const copied = reindent(item.lines, item.indent, indent);
    if (index >= items.length) {
      const after = items[items.length - 1]!.lastLine;
      insertLines(lines, after + 1, separated ? ["", ...copied] : copied, eol);
    } else {
      insertLines(lines, items[index]!.leadStart, separated ? [...copied, ""] : copied, eol);
    }
    return joinLines(lines);
  }

  // No list yet: `dependencies: []`, `dependencies:` with nothing, or no key at all. It becomes a block list.
  const root = rootMap(file);
  const pair = root ? pairsWithKey(root, "dependencies")[0] : undefined;
  // As indented where it came from: there is no list here to take an indentation from.
  const copied = item.lines;
  if (!pair) {
    if (lines.length > 0 && lines[lines.length - 1]!.eol === "") lines[lines.length - 1]!.eol = eol;
    insertLines(lines, lines.length, ["dependencies:", ...copied], eol);
    return joinLines(lines);
  }
  let out = text;
  const value = pair.value as Node | null;
  if (value && value.range && (isSeq(value) || isScalar(value))) {
    // `[]`, `null` or `~`: the value goes, and the space before it.
    let start = value.range[0];
    while (start > 0 && (out[start - 1] === " " || out[start - 1] === "\t")) start--;
    out = out.slice(0, start) + out.slice(value.range[1]);
  }
  const outLines = splitLines(out);
  const keyAt = keyLine(parseEditableYaml(out, fileName));
  if (outLines[keyAt]!.eol === "") outLines[keyAt]!.eol = eol;
  insertLines(outLines, keyAt + 1, copied, eol);
  return joinLines(outLines);
}

/**
 * A node written in flow style from its own source: scalars as written (quoted when the plain text would not survive
 * a flow context), collections rebuilt as `{k: v}` / `[a, b]`.
 */
function flowText(node: unknown, text: string, label: string): string {
  if (isScalar(node)) {
    const source = text.slice(node.range![0], node.range![1]);
    const singleLine = !/[\r\n]/.test(source);
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
    if (singleLine && (quoted || (node.type === "PLAIN" && !/[,[\]{}]/.test(source) && !source.includes(" #")))) return source;
    if (node.value === null) return "null";
    if (typeof node.value === "string") return JSON.stringify(node.value);
    return source.trim();
  }
  if (isMap(node)) {
    const pairs = node.items.map((pair) => {
      if (!isPair(pair)) throw new ChartEditError(`${label}: an entry that cannot be rewritten in flow style; bring it back by hand`);
      const value = pair.value === null ? "null" : flowText(pair.value, text, label);
      return `${flowText(pair.key, text, label)}: ${value}`;
    });
    return `{${pairs.join(", ")}}`;
  }
  if (isSeq(node)) return `[${node.items.map((item) => flowText(item, text, label)).join(", ")}]`;
  if (node === null || node === undefined) return "null";
  throw new ChartEditError(`${label}: an entry that cannot be rewritten in flow style; bring it back by hand`);
}

// ---------------------------------------------------------------------------------------------------------------
// Lines of a block list
// ---------------------------------------------------------------------------------------------------------------

interface Line {
  content: string;
  /** "\n", "\r\n", or "" for a last line without one. */
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\n]*?)(\r?\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[0] === "") break;
    lines.push({ content: match[1]!, eol: match[2]! });
  }
  return lines;
}

function joinLines(lines: readonly Line[]): string {
  return lines.map((line) => line.content + line.eol).join("");
}

function insertLines(lines: Line[], at: number, contents: readonly string[], eol: string): void {
  const inserted = contents.map((content) => ({ content, eol }));
  // Inserting after a last line without a line ending: that line gets one, the new last line does not.
  if (at === lines.length && at > 0 && lines[at - 1]!.eol === "") {
    lines[at - 1]!.eol = eol;
    inserted[inserted.length - 1]!.eol = "";
  }
  lines.splice(at, 0, ...inserted);
}

const isBlank = (line: Line | undefined) => line !== undefined && line.content.trim() === "";
const isComment = (line: Line | undefined) => line !== undefined && line.content.trimStart().startsWith("#");
const indentOf = (line: Line) => line.content.length - line.content.trimStart().length;

interface BlockItem {
  /** Line of the item's `-`. */
  dashLine: number;
  /** Column of the `-`. */
  indent: number;
  /** First line of the comments directly above it (no blank line between), else `dashLine`. */
  leadStart: number;
  /** Last line of its content, comments inside it included. */
  lastLine: number;
}

/** Where each item of a block list starts and ends, line by line, with the comments that belong to it. */
function blockItems(file: EditableYaml, lines: readonly Line[], seq: YAMLSeq): BlockItem[] {
  const token = seq.srcToken;
  if (!token || token.type !== "block-seq") throw new Error("blockItems: not a block sequence with source tokens");
  const dashes = token.items.flatMap((item) => item.start.filter((t) => t.type === "seq-item-ind").map((t) => (t as CST.SourceToken).offset));
  if (dashes.length !== seq.items.length) throw new ChartEditError(`${file.fileName}: the layout of its dependencies: list is too unusual to edit; change it by hand`);
  const items: BlockItem[] = [];
  let boundary = keyLine(file);
  for (const offset of dashes) {
    const dashLine = file.lineOf(offset) - 1;
    const indent = indentOf(lines[dashLine]!);
    let lastLine = dashLine;
    for (let i = dashLine + 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (isBlank(line) || isComment(line) || indentOf(line) > indent) lastLine = i;
      else break;
    }
    // Blank lines and comments no deeper than the `-` after the content belong to what follows.
    while (lastLine > dashLine && (isBlank(lines[lastLine]) || (isComment(lines[lastLine]) && indentOf(lines[lastLine]!) <= indent))) lastLine--;
    let leadStart = dashLine;
    while (leadStart - 1 > boundary && isComment(lines[leadStart - 1])) leadStart--;
    items.push({ dashLine, indent, leadStart, lastLine });
    boundary = lastLine;
  }
  return items;
}

/** Consecutive blank lines from `from` stepping by `step`, not reaching `limit`. */
function countBlank(lines: readonly Line[], from: number, step: 1 | -1, limit: number): number {
  let count = 0;
  for (let i = from; step === 1 ? i < limit : i > limit; i += step) {
    if (!isBlank(lines[i])) break;
    count++;
  }
  return count;
}

/** Line (0-based) of the top-level `dependencies:` key. */
function keyLine(file: EditableYaml): number {
  const key = pairsWithKey(rootMap(file)!, "dependencies")[0]!.key as Node;
  return file.lineOf(key.range![0]) - 1;
}

/** Offset of the `:` after the top-level `dependencies` key. */
function keyColonOffset(file: EditableYaml, text: string): number {
  const key = pairsWithKey(rootMap(file)!, "dependencies")[0]!.key as Node;
  const colon = text.indexOf(":", key.range![1]);
  if (colon < 0) throw new Error("keyColonOffset: no colon after dependencies");
  return colon;
}

function reindent(lines: readonly string[], from: number, to: number): string[] {
  return lines.map((line) => {
    if (line.trim() === "") return "";
    if (to >= from) return " ".repeat(to - from) + line;
    const remove = Math.min(from - to, line.length - line.trimStart().length);
    return line.slice(remove);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Plain reading, shared with planChartEdits
// ---------------------------------------------------------------------------------------------------------------

/** Each `dependencies:` entry as Helm reads it (scalars as Go strings). */
export function plainList(text: string, fileName: string): unknown[] {
  const parsed = parseYamlFile(text, fileName, { helmStrings: true });
  if (!parsed.ok) throw new ChartEditError(parsed.message);
  const list = isYamlMapping(parsed.value) ? readYamlField(parsed.value, "dependencies") : undefined;
  return Array.isArray(list) ? list : [];
}

/**
 * Position of the entry readUmbrellaChart reads as `service`: the first with that alias (or name). A missing
 * `version:` does not disqualify an entry: Helm reads it as "*", and so does the reader.
 */
export function requestedIndex(requested: readonly unknown[], service: string): number {
  return requested.findIndex((entry) => {
    if (!isYamlMapping(entry)) return false;
    const name = nonEmptyString(readYamlField(entry, "name"));
    const alias = nonEmptyString(readYamlField(entry, "alias"));
    const version = readYamlField(entry, "version");
    const versionReadable = version === undefined || version === null || typeof version === "string";
    return (alias ?? name) === service && name !== undefined && versionReadable;
  });
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function keyOf(name: string): FileKey {
  switch (name) {
    case "Chart.yaml":
      return "chartYaml";
    case "Chart.lock":
      return "chartLock";
    case "requirements.yaml":
      return "requirementsYaml";
    case "requirements.lock":
      return "requirementsLock";
  }
  throw new Error(`keyOf: ${name} is not a stack file`);
}

function fileNameOf(key: FileKey): string {
  return { chartYaml: "Chart.yaml", chartLock: "Chart.lock", requirementsYaml: "requirements.yaml", requirementsLock: "requirements.lock" }[key];
}

