import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { fakeDigest, renderHelmIndex, type IndexEntry } from "@/lib/demo/helm-repository-files";
import { renderUmbrellaChart } from "@/lib/demo/umbrella-chart-files";
import type { GitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";

/**
 * Stacks on the GitHub test server: an umbrella chart (Chart.yaml + Chart.lock, as `helm dependency update` leaves
 * them) pinned against a file chart registry, and service repositories with semver tags and Jira-prefixed commits.
 * Shared by the GitHub release tests and scripts/bench-github.ts.
 */

export const REGISTRY_NAME = "charts";

/** Writes index.yaml for `charts` (each version published a day after the previous) and returns the registry URL. */
export function writeFileRegistry(dir: string, charts: { name: string; versions: string[] }[]): string {
  mkdirSync(dir, { recursive: true });
  const start = Date.UTC(2024, 0, 1);
  const entries: IndexEntry[] = charts.flatMap((chart) =>
    chart.versions.map((version, i) => ({
      name: chart.name,
      version,
      appVersion: version,
      created: new Date(start + i * 86_400_000),
      description: `${chart.name} service`,
      digest: fakeDigest(`${chart.name}-${version}`),
    })),
  );
  writeFileSync(path.join(dir, "index.yaml"), renderHelmIndex(entries, new Date(start)));
  return pathToFileURL(dir).toString();
}

/** The umbrella chart's files with one dependency per service, each pinned and locked at `version`. */
export function umbrellaChartFiles(name: string, services: { name: string; version: string }[], prefix = ""): Record<string, string> {
  const files = renderUmbrellaChart(
    {
      format: "helm3",
      name,
      description: `The ${name} stack`,
      version: "1.0.0",
      header: ["Environment stack: one pinned version per service."],
      registryName: REGISTRY_NAME,
      style: "at",
      dependencies: services.map((s) => ({ name: s.name, version: s.version, repository: null, locked: s.version })),
      values: "global: {}\n",
    },
    new Date(Date.UTC(2024, 0, 2)),
  );
  return Object.fromEntries(Object.entries(files).map(([file, content]) => [`${prefix}${file}`, content]));
}

/** Seeds `branch` of a stack repository with the umbrella chart; returns the commit. */
export function seedStack(
  repo: TestRepository,
  branch: string,
  services: { name: string; version: string }[],
  date = "2024-02-01T10:00:00Z",
): Promise<string> {
  return repo.commit({ branch, files: umbrellaChartFiles(repo.name, services), message: `Initial ${branch} stack`, date });
}

/**
 * A service repository: per release, one commit per ticket ("ORD-11: …") and the tag v<version> on the last one.
 * Returns the repository.
 */
export async function seedServiceRepo(
  server: GitHubTestServer,
  fullName: string,
  releases: { version: string; tickets: string[] }[],
): Promise<TestRepository> {
  const repo = await server.createRepository(fullName);
  let day = 1;
  for (const release of releases) {
    let sha = "";
    for (const ticket of release.tickets.length > 0 ? release.tickets : [""]) {
      sha = await repo.commit({
        branch: "main",
        files: { "VERSION": `${release.version}\n`, [`changes/${ticket || "chore"}-${day}.md`]: `${ticket} change\n` },
        message: ticket ? `${ticket}: work for ${release.version}` : `Chore for ${release.version}`,
        date: `2024-01-${String(day).padStart(2, "0")}T09:00:00Z`,
      });
      day++;
    }
    await repo.tag(`v${release.version}`, sha);
  }
  return repo;
}
