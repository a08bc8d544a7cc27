/**
 * Runs one read in a process of its own and prints, as one JSON line, how it ended and the process's peak resident
 * memory (VmHWM): the only honest measure of what a hostile input costs, since a test runner's heap is shared and
 * garbage collection hides peaks. Started by hostile-input.test.ts through tsx:
 *
 *   tsx --conditions=react-server test/hostile/read-in-child.ts <scenario> <path>
 */
import { readFileSync } from "node:fs";
import { parseYamlFile } from "@/lib/charts/parse-yaml-file";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { fetchHelmIndex } from "@/lib/registry/helm-repository";
import { parseHelmIndex, parseHelmIndexWithYaml } from "@/lib/registry/parse-helm-index";

type Scenario = (path: string) => Promise<string>;

const scenarios: Record<string, Scenario> = {
  /** A stack file through parseYamlFile, as readUmbrellaChart reads it. */
  async "chart-yaml"(path) {
    const result = parseYamlFile(readFileSync(path, "utf8"), "Chart.yaml");
    if (!result.ok) throw new Error(result.message);
    return "parsed";
  },
  /** An index through the line scanner, falling back to the yaml package. */
  async "helm-index"(path) {
    return `${parseHelmIndex(readFileSync(path, "utf8"), "charts").size} charts`;
  },
  /** An index through the yaml package only: the most a well-formed index can cost. */
  async "helm-index-yaml"(path) {
    return `${parseHelmIndexWithYaml(readFileSync(path, "utf8"), "charts").size} charts`;
  },
  /** Chart.yaml at the head of `main` of the repository at `path`, through the local git adapter. */
  async "git-chart"(path) {
    const git = createLocalGitProvider({ baseDir: "/", cacheDir: "/nonexistent" });
    const head = await git.branchHead(path, "main");
    const files = await git.readFiles(path, head.sha, ["Chart.yaml", "Chart.lock"]);
    return `${files.get("Chart.yaml")?.length ?? "no"} characters`;
  },
  /** A file:// registry. */
  async "file-registry"(path) {
    const stats = { requests: 0, notModified: 0, bytes: 0 };
    const charts = await fetchHelmIndex({ name: "charts", url: `file://${path}`, auth: { type: "none" } }, { baseDir: "/", stats });
    return `${charts.size} charts`;
  },
};

function peakRssKb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return Number(match?.[1] ?? 0);
}

const [scenario = "", path = ""] = process.argv.slice(2);
const run = scenarios[scenario];
if (!run) throw new Error(`unknown scenario ${scenario}`);
run(path).then(
  (outcome) => console.log(JSON.stringify({ outcome, peakRssKb: peakRssKb() })),
  (error: unknown) => console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error), peakRssKb: peakRssKb() })),
);
