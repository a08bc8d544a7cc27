import { parseDocument } from "yaml";
import { normalizeLoneCarriageReturns } from "@/lib/charts/parse-yaml-file";
import { findExcessiveYamlDepth, MAX_YAML_DEPTH } from "@/lib/charts/yaml-depth";
import { ownCopy, readChartVersion, type ChartVersionFields } from "./read-chart-version";
import { scanHelmIndex } from "./scan-helm-index";
import { RegistryError, type ChartVersion } from "./types";

/** Expanding more aliases than this is treated as an attack ("billion laughs"); real indexes use none. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a Helm repository index.yaml into the versions published per chart, in file order.
 *
 * The line scanner handles the layout `helm repo index` writes; anything else goes through the `yaml` package.
 * Both read the same fields through `readChartVersion`, and tests hold them to identical results.
 * `registry` only labels the RegistryError thrown for input that is not a usable index.
 */
export function parseHelmIndex(text: string, registry = "index.yaml"): Map<string, ChartVersion[]> {
  return scanHelmIndex(text) ?? parseHelmIndexWithYaml(text, registry);
}

/** The general path: a full YAML parse with alias expansion capped. Exported for the equivalence tests. */
export function parseHelmIndexWithYaml(raw: string, registry = "index.yaml"): Map<string, ChartVersion[]> {
  // Lone CR line breaks (classic Mac) are line breaks to Helm's YAML reader; the scanner sees one long line and
  // hands such a file here.
  const text = normalizeLoneCarriageReturns(raw);
  // A Helm index nests five levels; the parser builds a node per level, so a deeply nested file would cost
  // gigabytes before it failed. Refused before parsing.
  const depth = findExcessiveYamlDepth(text);
  if (!depth.ok) {
    throw new RegistryError(`index.yaml nests deeper than ${MAX_YAML_DEPTH} levels at line ${depth.line}`, registry);
  }
  let root: unknown;
  try {
    // failsafe: every scalar stays a string, as Helm's Go structs see `version: 1.10` (not the number 1.1).
    // merge: go-yaml honours `<<` merge keys.
    const doc = parseDocument(text, { schema: "failsafe", merge: true, uniqueKeys: true, strict: true });
    const [firstError] = doc.errors;
    if (firstError) throw new RegistryError(`index.yaml is not valid YAML: ${firstLine(firstError.message)}`, registry);
    root = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    if (error instanceof ReferenceError && /excessive alias count/i.test(error.message)) {
      throw new RegistryError("index.yaml uses too many YAML aliases", registry);
    }
    // Unresolved aliases, stack overflows on absurd nesting and the like.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RegistryError(`index.yaml could not be parsed: ${firstLine(reason)}`, registry);
  }

  if (!(root instanceof Map) || !root.has("entries")) {
    throw new RegistryError("index.yaml is not a Helm repository index: expected a mapping with `entries`", registry);
  }
  const charts = new Map<string, ChartVersion[]>();
  const entries: unknown = root.get("entries");
  // `entries:` with nothing after it is an empty repository.
  if (isEmptyScalar(entries)) return charts;
  if (!(entries instanceof Map)) {
    throw new RegistryError("index.yaml `entries` must map chart names to lists of versions", registry);
  }
  for (const [name, list] of entries) {
    if (typeof name !== "string") {
      throw new RegistryError("index.yaml `entries` has a chart name that is not a string", registry);
    }
    const versions: ChartVersion[] = [];
    charts.set(ownCopy(name), versions);
    if (isEmptyScalar(list)) continue;
    if (!Array.isArray(list)) {
      throw new RegistryError(`index.yaml entry "${name}" must be a list of versions`, registry);
    }
    for (const item of list) {
      // Helm skips null and malformed entries rather than rejecting the whole index.
      if (!(item instanceof Map)) continue;
      const version = readChartVersion(pickFields(item));
      if (version !== undefined) versions.push(version);
    }
  }
  return charts;
}

function pickFields(item: Map<unknown, unknown>): ChartVersionFields {
  return {
    version: stringOrUndefined(item.get("version")),
    created: stringOrUndefined(item.get("created")),
    deprecated: stringOrUndefined(item.get("deprecated")),
    digest: stringOrUndefined(item.get("digest")),
    appVersion: stringOrUndefined(item.get("appVersion")),
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

// Under the failsafe schema a null is the string "null"; Helm reads these as an empty list or map.
function isEmptyScalar(value: unknown): boolean {
  return value === null || value === undefined || value === "" || value === "~" || value === "null" || value === "Null" || value === "NULL";
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}
