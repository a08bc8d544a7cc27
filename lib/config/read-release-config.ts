import { parseDocument } from "yaml";
import { normalizeLoneCarriageReturns } from "@/lib/charts/parse-yaml-file";
import { MAX_YAML_DEPTH, findExcessiveYamlDepth } from "@/lib/charts/yaml-depth";
import { environmentNameSchema } from "./schema";

/**
 * Reads a stack repository's release file (MPB's `release-config.yaml`), which says which branch deploys which
 * release, to which cluster, with which values file. The format has no published specification, so the reader accepts
 * the two shapes seen in the wild and ignores keys it does not know:
 *
 *   main: { release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }          # a map keyed by branch
 *   releases:                                                                         # or a list
 *     - { branch: main, release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }
 *
 * (`releaseName` or `name` for `release`, `valuesFile` for `values`; `namespace` optional.) It is also strict about
 * what it lets through, because whoever can push to the stack repository writes it: the file is bounded in size,
 * nesting, aliases and entries, and every value is checked. An entry that fails is reported and skipped; the others
 * still count. A file that cannot be read at all is an error, so the caller can keep what it found before.
 */

/** Far above any real release file (a few hundred bytes per branch). */
export const MAX_RELEASE_CONFIG_BYTES = 256 * 1024;
/** Entries one file may list: environments become pages, snapshots and refresh work. */
export const MAX_RELEASE_CONFIG_ENTRIES = 200;
/** Alias expansions allowed while reading, as for chart files (lib/charts/parse-yaml-file.ts). */
const MAX_ALIAS_COUNT = 1000;

export interface ReleaseConfigEntry {
  branch: string;
  /** The release name; it becomes the environment's name. */
  release: string;
  cluster?: string;
  values?: string;
  namespace?: string;
}

export type ReleaseConfigResult =
  | { ok: true; entries: ReleaseConfigEntry[]; problems: string[] }
  | { ok: false; error: string };

const ALIASES = {
  release: ["release", "releaseName", "name"],
  values: ["values", "valuesFile"],
  cluster: ["cluster"],
  namespace: ["namespace"],
} as const;

export function readReleaseConfig(text: string, fileName: string): ReleaseConfigResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_RELEASE_CONFIG_BYTES) {
    return { ok: false, error: `${fileName} is ${Math.ceil(bytes / 1024)} KiB; Slipway reads release files up to ${MAX_RELEASE_CONFIG_BYTES / 1024} KiB` };
  }
  const parsed = parseYaml(normalizeLoneCarriageReturns(text), fileName);
  if (!parsed.ok) return parsed;

  const listed = listEntries(parsed.value, fileName);
  if (!listed.ok) return listed;
  if (listed.entries.length > MAX_RELEASE_CONFIG_ENTRIES) {
    return { ok: false, error: `${fileName} lists ${listed.entries.length} entries; Slipway reads at most ${MAX_RELEASE_CONFIG_ENTRIES}` };
  }

  const entries: ReleaseConfigEntry[] = [];
  const problems: string[] = [...listed.problems];
  const branches = new Set<string>();
  const releases = new Set<string>();
  for (const { label, branch, value } of listed.entries) {
    const entry = readEntry(branch, value);
    if (typeof entry === "string") {
      problems.push(`${fileName}: entry ${label}: ${entry}`);
    } else if (branches.has(entry.branch)) {
      problems.push(`${fileName}: entry ${label}: branch "${entry.branch}" is listed twice; the first entry counts`);
    } else if (releases.has(entry.release)) {
      problems.push(`${fileName}: entry ${label}: release "${entry.release}" is listed twice; the first entry counts`);
    } else {
      branches.add(entry.branch);
      releases.add(entry.release);
      entries.push(entry);
    }
  }
  return { ok: true, entries, problems };
}

/**
 * The bounds of lib/charts/parse-yaml-file.ts. Unlike chart files, a key written twice is an error (the YAML rule):
 * which of two entries for one branch was meant cannot be told, so the file is refused and the last good read kept.
 */
function parseYaml(source: string, fileName: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const depth = findExcessiveYamlDepth(source);
  if (!depth.ok) return { ok: false, error: `${fileName} nests deeper than ${MAX_YAML_DEPTH} levels at line ${depth.line}` };
  const doc = parseDocument(source, { prettyErrors: true });
  const [error] = doc.errors;
  if (error) return { ok: false, error: `${fileName} is not valid YAML: ${error.message.split("\n")[0]!.replace(/:\s*$/, "")}` };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (thrown) {
    // Alias expansion limits and unresolved aliases surface here rather than in doc.errors.
    return { ok: false, error: `${fileName} cannot be read: ${thrown instanceof Error ? thrown.message : String(thrown)}` };
  }
}

interface RawEntry {
  /** How a person finds the entry in the file: the branch key, or the list position. */
  label: string;
  /** The map key, in the map shape. */
  branch?: string;
  value: unknown;
}

function listEntries(
  value: unknown,
  fileName: string,
): { ok: true; entries: RawEntry[]; problems: string[] } | { ok: false; error: string } {
  if (value === null || value === undefined) return { ok: true, entries: [], problems: [] };
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.releases) ? value.releases : undefined;
  if (list) return { ok: true, entries: list.map((item, i) => ({ label: `#${i + 1}`, value: item })), problems: [] };
  if (!isRecord(value)) {
    return { ok: false, error: `${fileName} must map each branch to its release (main: { release: …, cluster: … }) or list them under releases:` };
  }
  return { ok: true, entries: Object.entries(value).map(([branch, item]) => ({ label: `"${clip(branch)}"`, branch, value: item })), problems: [] };
}

/** One entry, checked; a string says what is wrong with it. */
function readEntry(key: string | undefined, value: unknown): ReleaseConfigEntry | string {
  if (!isRecord(value)) return "must be a mapping such as { release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }";
  const branch = key ?? value.branch;
  if (typeof branch !== "string" || branch === "") return "names no branch (branch: …)";
  if (key !== undefined && value.branch !== undefined && value.branch !== key) return `branch: "${String(value.branch)}" disagrees with its key`;
  const branchProblem = checkBranchName(branch);
  if (branchProblem) return `branch "${branch}" ${branchProblem}`;

  const fields: Partial<Record<keyof typeof ALIASES, string>> = {};
  for (const [field, keys] of Object.entries(ALIASES) as [keyof typeof ALIASES, readonly string[]][]) {
    const given = keys.filter((k) => value[k] !== undefined && value[k] !== null);
    const texts = [...new Set(given.map((k) => scalarText(value[k])))];
    if (texts.includes(undefined)) return `${given.join(", ")} must be text`;
    if (texts.length > 1) return `${given.join(" and ")} disagree`;
    if (texts[0] !== undefined) fields[field] = texts[0];
  }
  if (!fields.release) return `names no release (release: …)`;
  const release = environmentNameSchema.safeParse(fields.release);
  if (!release.success) return `release "${clip(fields.release)}" is not a valid environment name: ${release.error.issues[0]!.message}`;
  if (fields.cluster !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/.test(fields.cluster)) {
    return `cluster "${clip(fields.cluster)}" may hold letters, digits and . _ : / @ - only (up to 200)`;
  }
  if (fields.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(fields.namespace)) {
    return `namespace "${clip(fields.namespace)}" is not a Kubernetes namespace name`;
  }
  if (fields.values !== undefined && (!/^[\w./@+-]{1,500}$/.test(fields.values) || fields.values.startsWith("/") || fields.values.split("/").includes(".."))) {
    return `values "${clip(fields.values)}" must be a file path inside the repository`;
  }
  return {
    branch,
    release: release.data,
    ...(fields.cluster !== undefined && { cluster: fields.cluster }),
    ...(fields.values !== undefined && { values: fields.values }),
    ...(fields.namespace !== undefined && { namespace: fields.namespace }),
  };
}

/**
 * What `git check-ref-format --branch` refuses, plus a leading '-' (it would read as an option) and a length bound;
 * undefined when the name is fine.
 */
export function checkBranchName(branch: string): string | undefined {
  if (branch.length > 200) return "is longer than 200 characters";
  if (branch.startsWith("-")) return "starts with '-'";
  if (branch.includes("..")) return "contains '..'";
  // Control characters, space and ~ ^ : ? * [ \ are never allowed in a git ref.
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(branch)) return "contains a character git does not allow in a branch name";
  if (branch.includes("@{") || branch === "@") return "is not a git branch name ('@' or '@{')";
  if (branch.startsWith("/") || branch.endsWith("/") || branch.includes("//")) return "has an empty path component";
  if (branch.endsWith(".")) return "ends with '.'";
  if (branch.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"))) return "has a part that starts with '.' or ends with '.lock'";
  return undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Values go into messages shown on the dashboard: a hostile file cannot fill it. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
