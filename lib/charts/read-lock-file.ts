import { parseYamlFile } from "./parse-yaml-file";
import type { ChartProblem } from "./types";
import { isYamlMapping, readYamlField, type YamlMapping } from "./yaml-value";

/** One `dependencies:` entry of Chart.lock / requirements.lock. Helm writes no alias here. */
export interface LockEntry {
  name: string;
  repository: string;
  version: string;
  /** Position in the lock's `dependencies:` list, counting entries that could not be read. */
  index: number;
}

export interface LockFile {
  entries: LockEntry[];
  /** The `digest:` Helm wrote: a hash of the dependency list and these entries. */
  digest?: string;
  problems: ChartProblem[];
}

/**
 * Reads a lock file. Nothing in it is fatal: a broken lock only means the dashboard falls back to the versions
 * Chart.yaml pins, so every failure is a chart-level problem.
 */
export function readLockFile(text: string, fileName: string): LockFile {
  const parsed = parseYamlFile(text, fileName, { helmStrings: true });
  if (!parsed.ok) return { entries: [], problems: [{ message: parsed.message }] };
  if (!isYamlMapping(parsed.value)) {
    return { entries: [], problems: [{ message: `${fileName} is not a mapping with a dependencies: list` }] };
  }

  const digestField = readYamlField(parsed.value, "digest");
  const digest = typeof digestField === "string" ? { digest: digestField } : {};
  const list = readYamlField(parsed.value, "dependencies");
  if (list === undefined || list === null) return { entries: [], ...digest, problems: [] };
  if (!Array.isArray(list)) {
    return { entries: [], ...digest, problems: [{ message: `${fileName}: dependencies must be a list` }] };
  }

  const entries: LockEntry[] = [];
  const problems: ChartProblem[] = [];
  list.forEach((item: unknown, index) => {
    const entry = isYamlMapping(item) ? readLockEntry(item, index) : undefined;
    if (!entry) {
      problems.push({ message: `${fileName} dependencies[${index}] needs a name and a version; it is ignored` });
      return;
    }
    entries.push(entry);
  });
  return { entries, ...digest, problems };
}

function readLockEntry(item: YamlMapping, index: number): LockEntry | undefined {
  const name = readYamlField(item, "name");
  const version = readYamlField(item, "version");
  // Helm writes `repository: ""` for charts vendored under charts/.
  const repository = readYamlField(item, "repository") ?? "";
  if (typeof name !== "string" || typeof version !== "string" || typeof repository !== "string") return undefined;
  return { name, repository, version, index };
}
