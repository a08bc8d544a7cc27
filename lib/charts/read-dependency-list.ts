import { parseRepositoryRef } from "./parse-repository-ref";
import { ChartReadError, type ChartDependency, type ChartProblem } from "./types";
import { describeYamlValue, isYamlMapping, readYamlField, type YamlMapping } from "./yaml-value";

export interface DependencyList {
  dependencies: ChartDependency[];
  problems: ChartProblem[];
}

/**
 * Reads the `dependencies:` list of Chart.yaml or requirements.yaml. One bad entry becomes a problem for that service
 * and the rest still load: a typo in one service must not blank the whole environment on the dashboard.
 */
export function readDependencyList(list: unknown, fileName: string): DependencyList {
  if (list === undefined || list === null) return { dependencies: [], problems: [] };
  if (!Array.isArray(list)) {
    throw new ChartReadError(`${fileName}: dependencies must be a list, found ${describeYamlValue(list)}`);
  }

  const dependencies: ChartDependency[] = [];
  const problems: ChartProblem[] = [];
  const seen = new Set<string>();

  list.forEach((entry: unknown, index) => {
    const position = `dependencies[${index}]`;
    if (!isYamlMapping(entry)) {
      problems.push({
        service: position,
        message: `${fileName} ${position} is not a mapping (found ${describeYamlValue(entry)})`,
      });
      return;
    }

    const read = readDependency(entry);
    if (!read.ok) {
      const service = read.service ?? position;
      problems.push({ service, message: `${fileName} ${position} (${service}): ${read.errors.join("; ")}` });
      return;
    }

    const { dependency } = read;
    if (seen.has(dependency.service)) {
      problems.push({
        service: dependency.service,
        message:
          `${fileName} lists "${dependency.service}" more than once (again at ${position}); ` +
          "only the first is read",
      });
      return;
    }
    seen.add(dependency.service);
    dependencies.push(dependency);
  });

  return { dependencies, problems };
}

type ReadDependency =
  | { ok: true; dependency: ChartDependency }
  | { ok: false; service?: string; errors: string[] };

function readDependency(entry: YamlMapping): ReadDependency {
  const errors: string[] = [];
  const name = readRequiredString(entry, "name", errors);
  const alias = readString(entry, "alias", errors);
  // Helm (Masterminds semver) reads an empty or absent constraint as "*": any version.
  const version = readString(entry, "version", errors) ?? "";
  const repositoryRaw = readString(entry, "repository", errors) ?? "";
  const condition = readString(entry, "condition", errors);
  const tags = readTags(entry, errors);

  const repository = parseRepositoryRef(repositoryRaw);
  if (!repository) {
    errors.push(
      `repository "${repositoryRaw}" is neither a URL (https://, oci://, file://) ` +
        "nor a repository name (@name, alias:name)",
    );
  }

  const service = alias ?? name;
  if (errors.length > 0 || name === undefined || !repository) {
    return { ok: false, service, errors };
  }
  return {
    ok: true,
    dependency: {
      chart: name,
      ...(alias !== undefined && { alias }),
      service: alias ?? name,
      repository,
      repositoryRaw,
      constraint: version,
      ...(condition !== undefined && { condition }),
      tags,
    },
  };
}

/** A string field; empty or absent reads as undefined. Chart files keep scalar text, so numbers arrive as strings. */
function readString(entry: YamlMapping, key: string, errors: string[]): string | undefined {
  const value = readYamlField(entry, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    errors.push(`${key} must be a string, found ${describeYamlValue(value)}`);
    return undefined;
  }
  return value.trim() === "" ? undefined : value;
}

function readRequiredString(entry: YamlMapping, key: string, errors: string[]): string | undefined {
  const value = readYamlField(entry, key);
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    errors.push(`${key} is missing`);
    return undefined;
  }
  return readString(entry, key, errors);
}

function readTags(entry: YamlMapping, errors: string[]): string[] {
  const value = readYamlField(entry, "tags");
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((tag): tag is string => typeof tag === "string")) {
    errors.push("tags must be a list of strings");
    return [];
  }
  return value;
}
