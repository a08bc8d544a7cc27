import { checkLockSync } from "./check-lock-sync";
import { matchLockEntries } from "./match-lock-entries";
import { parseYamlFile } from "./parse-yaml-file";
import { readDependencyList } from "./read-dependency-list";
import { readImageTags } from "./read-image-tags";
import { readLockFile } from "./read-lock-file";
import {
  ChartReadError,
  type ChartFormat,
  type ChartProblem,
  type StackFiles,
  type UmbrellaChart,
} from "./types";
import { describeYamlValue, isYamlMapping, readYamlField, type YamlMapping } from "./yaml-value";

/**
 * Reads an environment's umbrella chart from the files of its stack folder: Helm 3 (Chart.yaml + Chart.lock) or
 * Helm 2 (Chart.yaml + requirements.yaml + requirements.lock).
 *
 * Throws ChartReadError only when there is no chart to show (Chart.yaml or the dependency file is missing, too big,
 * not YAML, not a mapping). Everything narrower — one bad dependency, a broken lock or values file — is a problem
 * on the result, and the rest of the chart is still read.
 */
export function readUmbrellaChart(files: StackFiles): UmbrellaChart {
  if (files.chartYaml === undefined) {
    throw new ChartReadError("Chart.yaml is missing: the stack folder has no umbrella chart");
  }
  const chart = readChartMapping(files.chartYaml, "Chart.yaml");
  const format = readChartFormat(chart);
  const problems: ChartProblem[] = [];

  const name = readChartString(chart, "name", problems);
  const version = readChartString(chart, "version", problems);

  // Helm 3 still loads apiVersion v1 charts, with dependencies in requirements.yaml; if there is none, a v1
  // Chart.yaml may list them itself.
  const requirementsYaml = format === "helm2" ? files.requirementsYaml : undefined;
  const dependencyFile = requirementsYaml === undefined ? "Chart.yaml" : "requirements.yaml";
  const dependencySource =
    requirementsYaml === undefined
      ? chart
      : readChartMapping(requirementsYaml, "requirements.yaml", { allowEmpty: true });
  if (format === "helm3" && files.requirementsYaml !== undefined) {
    problems.push({
      message: "requirements.yaml is ignored: apiVersion v2 charts list their dependencies in Chart.yaml",
    });
  }

  const list = readDependencyList(readYamlField(dependencySource, "dependencies"), dependencyFile);
  problems.push(...list.problems);
  let dependencies = list.dependencies;

  const lock = pickLockFile(format, files);
  const lockFile = lock && readLockFile(lock.text, lock.path);
  if (lock && lockFile) {
    const locked = matchLockEntries(dependencies, lockFile.entries, lock.path);
    problems.push(...lockFile.problems, ...locked.problems);
    dependencies = locked.dependencies;
  }
  const lockReport = checkLockSync({
    format,
    dependencyFile,
    dependencyText: requirementsYaml ?? files.chartYaml,
    dependencies,
    ...(lock && lockFile && { lock: { ...lock, entries: lockFile.entries, digest: lockFile.digest } }),
  });

  let imageTags: Record<string, string> = {};
  if (files.valuesYaml !== undefined) {
    const values = readImageTags(
      files.valuesYaml,
      dependencies.map((dependency) => dependency.service),
    );
    problems.push(...values.problems);
    imageTags = values.imageTags;
  }

  return {
    format,
    name: name ?? "",
    version: version ?? "",
    dependencyFile,
    ...(lock && { lockFile: lock.path }),
    dependencies,
    imageTags,
    problems,
    lockReport,
  };
}

/** The files that hold the chart itself: without them there is nothing to show, so failures throw. */
function readChartMapping(text: string, fileName: string, options: { allowEmpty?: boolean } = {}): YamlMapping {
  const parsed = parseYamlFile(text, fileName, { helmStrings: true });
  if (!parsed.ok) throw new ChartReadError(parsed.message);
  // An empty requirements.yaml is a chart with no dependencies; an empty Chart.yaml is no chart.
  if (options.allowEmpty && (parsed.value === null || parsed.value === undefined)) return {};
  if (!isYamlMapping(parsed.value)) {
    throw new ChartReadError(`${fileName} must be a YAML mapping, found ${describeYamlValue(parsed.value)}`);
  }
  return parsed.value;
}

function readChartFormat(chart: YamlMapping): ChartFormat {
  const apiVersion = readYamlField(chart, "apiVersion");
  // Helm 3 reads a Chart.yaml without apiVersion as v1, as Helm 2 wrote them.
  if (apiVersion === undefined || apiVersion === null || apiVersion === "v1") return "helm2";
  if (apiVersion === "v2") return "helm3";
  throw new ChartReadError(
    `Chart.yaml has apiVersion ${JSON.stringify(apiVersion)}; Slipway reads v1 (Helm 2) and v2 (Helm 3) charts`,
  );
}

function readChartString(chart: YamlMapping, key: string, problems: ChartProblem[]): string | undefined {
  const value = readYamlField(chart, key);
  if (typeof value === "string" && value.trim() !== "") return value;
  problems.push({ message: `Chart.yaml has no ${key}` });
  return undefined;
}

/** Helm 3 writes requirements.lock for v1 charts and Chart.lock for v2. */
function pickLockFile(format: ChartFormat, files: StackFiles): { path: string; text: string } | undefined {
  if (format === "helm2" && files.requirementsLock !== undefined) {
    return { path: "requirements.lock", text: files.requirementsLock };
  }
  if (files.chartLock !== undefined) return { path: "Chart.lock", text: files.chartLock };
  return undefined;
}
