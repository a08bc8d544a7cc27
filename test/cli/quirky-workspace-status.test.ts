import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStatusCommand } from "@/lib/cli/run-status-command";
import type { EnvironmentStatusJson, StatusDocument } from "@/lib/cli/status-json";

/**
 * `slipway status --json` on a workspace built from the chart fixtures with Helm's quirks (test/fixtures/charts):
 * every dependency is listed with the version Helm would resolve, and every environment with its lock report. The
 * registries are local folders standing in for the public and internal URLs the charts name (slipway.yaml mirrorOf),
 * as an air-gapped site would serve them.
 */
const FIXTURES = path.resolve(__dirname, "../fixtures/charts");
const ENVIRONMENTS = [
  "alias-repository-lock",
  "alias-repository-helm2",
  "no-version",
  "vendored",
  "rejected-entries",
  "lock-out-of-sync",
  "helm2-digest",
  "unquoted-numbers",
  "mirrored-public-urls",
  "masterminds-versions",
] as const;

/** What the registries publish: chart → versions, per registry folder. */
const REGISTRIES: Record<string, { mirrorOf: string[]; charts: Record<string, string[]> }> = {
  internal: {
    mirrorOf: ["https://charts.example.com/internal"],
    charts: {
      gateway: ["4.0.0", "4.1.0"],
      ledger: ["2.3.0"],
      "payments-api": ["2.9.4", "3.0.0", "3.1.0"],
      "fraud-check": ["1.7.0"],
      orders: ["4.2.7", "4.3.0"],
      billing: ["1.7.0"],
      "legacy-reports": ["0.9.1"],
      invoices: ["2.4.9", "2.5.0"],
      exporter: ["1.8.0", "1.9.0", "1.9.5", "2.0.0", "2.1"],
      scheduler: ["3.0.0", "3.2.0"],
      archiver: ["8.0.0", "8.1.0"],
      clock: ["v2021.08.23", "2021.09.01"],
      pricing: ["1.5.6", "1.6", "1.6.2", "1.7.0"],
      search: ["2.4.6"],
      catalog: ["2.0.0", "2.1.0-beta.1", "3.0.0"],
      mailer: ["1.2.0", "1.2.5", "1.3.0", "1.3.1", "1.4.0"],
      legacy: ["0.1.0", "0.2.0", "12.3.34.1234"],
      "orders-eu": ["4.2.7"],
    },
  },
  bitnami: {
    mirrorOf: ["https://charts.bitnami.com/bitnami"],
    charts: { redis: ["18.6.1", "18.6.4"], postgresql: ["18.6.1"], "nginx-ingress": ["1.41.3"] },
  },
  dockerhub: { mirrorOf: ["oci://registry-1.docker.io"], charts: {} },
};

let root: string;
let doc: StatusDocument;

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
}

function writeIndex(folder: string, charts: Record<string, string[]>): void {
  mkdirSync(folder, { recursive: true });
  const lines = ["apiVersion: v1", "entries:"];
  for (const [chart, versions] of Object.entries(charts)) {
    lines.push(`  ${chart}:`);
    for (const version of versions) {
      lines.push(`  - name: ${chart}`, `    version: "${version}"`, `    created: "2026-09-01T00:00:00Z"`, `    urls: [${chart}-${version}.tgz]`);
    }
  }
  writeFileSync(path.join(folder, "index.yaml"), `${lines.join("\n")}\n`);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-quirks-"));
  for (const [name, registry] of Object.entries(REGISTRIES)) writeIndex(path.join(root, "registries", name), registry.charts);
  // Docker Hub's bitnamicharts namespace, below the mirror of the whole registry.
  writeIndex(path.join(root, "registries", "dockerhub", "bitnamicharts"), { postgresql: ["15.5.38", "15.5.40"] });
  for (const name of ENVIRONMENTS) {
    const repo = path.join(root, "stacks", name);
    mkdirSync(repo, { recursive: true });
    for (const file of readdirSync(path.join(FIXTURES, name))) copyFileSync(path.join(FIXTURES, name, file), path.join(repo, file));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "stack");
  }
  const config = [
    "registries:",
    ...Object.entries(REGISTRIES).map(
      ([name, registry]) => `  - { name: ${name}, url: "file://./registries/${name}", mirrorOf: [${registry.mirrorOf.map((u) => `"${u}"`).join(", ")}] }`,
    ),
    "environments:",
    ...ENVIRONMENTS.map((name) => `  - { name: ${name}, repo: ./stacks/${name} }`),
    "access:",
    "  grants:",
    "    - { role: viewer, members: { users: [quinn] } }",
  ].join("\n");
  writeFileSync(path.join(root, "slipway.yaml"), `${config}\n`);
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.SLIPWAY_USER = "quinn";
  const { output } = await runStatusCommand({ config: path.join(root, "slipway.yaml"), json: true });
  doc = JSON.parse(output) as StatusDocument;
});
afterAll(() => rm(root, { recursive: true, force: true }));

function environment(name: string): EnvironmentStatusJson {
  const env = doc.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name} in the status`);
  return env;
}

/** [service, running, resolvedFrom, status] for each dependency, in Chart.yaml order. */
function rows(name: string) {
  return environment(name).services.map((s) => [s.service, s.running, s.resolvedFrom, s.status]);
}

describe("slipway status --json on charts with Helm's quirks", () => {
  it("reads every environment, and lists the lock report for each", () => {
    expect(doc.environments.map((e) => [e.name, e.error, e.lock?.state])).toEqual([
      ["alias-repository-lock", null, "out-of-sync"],
      ["alias-repository-helm2", null, "in-sync"],
      ["no-version", null, "out-of-sync"],
      ["vendored", null, "in-sync"],
      ["rejected-entries", null, "out-of-sync"],
      ["lock-out-of-sync", null, "out-of-sync"],
      ["helm2-digest", null, "in-sync"],
      ["unquoted-numbers", null, "no-lock"],
      ["mirrored-public-urls", null, "in-sync"],
      ["masterminds-versions", null, "no-lock"],
    ]);
    expect(environment("lock-out-of-sync").lock).toMatchObject({
      dependenciesWithoutEntry: ["billing"],
      entriesNotInChart: [{ name: "legacy-reports", version: "0.9.1" }],
      repositoryChanged: [{ service: "search", locked: "https://charts.example.com/internal" }],
    });
  });

  it("resolves constraints as Masterminds semver does", () => {
    expect(rows("masterminds-versions")).toEqual([
      ["clock", "v2021.08.23", "pin", "behind"],
      ["pricing", "1.6.2", "range", "behind"],
      ["catalog", "2.1.0-beta.1", "range", "far-behind"],
      ["mailer", "1.3.1", "range", "behind"],
      ["exporter", "1.9.0", "range", "far-behind"],
      ["legacy", "0.2.0", "range", "current"],
    ]);
    // 2.1 is 2.1.0 to Helm, so it is the exporter's latest; 12.3.34.1234 is no version at all.
    expect(environment("masterminds-versions").services.map((s) => s.latest)).toEqual([
      "2021.09.01", "1.7.0", "3.0.0", "1.4.0", "2.1", "0.2.0",
    ]);
  });

  it("reads unquoted numbers, locks of named repositories, vendored charts and mirrors as Helm does", () => {
    expect(rows("unquoted-numbers")).toEqual([
      ["exporter", "2.1", "range", "current"],
      ["scheduler", "3.2.0", "range", "current"],
      ["archiver", "8.1.0", "range", "current"],
    ]);
    expect(rows("alias-repository-lock").slice(0, 2)).toEqual([
      ["session-cache", "18.6.1", "lock", "behind"],
      ["ledger", "2.3.0", "lock", "current"],
    ]);
    expect(rows("vendored").map(([service, , , status]) => [service, status])).toEqual([
      ["shared-config", "vendored"],
      ["legacy-proxy", "vendored"],
      ["edge-routes", "vendored"],
      ["gateway", "current"],
    ]);
    expect(rows("mirrored-public-urls")).toEqual([
      ["redis", "18.6.1", "lock", "behind"],
      ["ledger-db", "15.5.38", "lock", "behind"],
      ["gateway", "4.1.0", "lock", "current"],
    ]);
  });

  it("lists every dependency entry, the unreadable ones with their reasons", () => {
    const rejected = environment("rejected-entries").services;
    expect(rejected.length).toBeGreaterThan(1);
    expect(rejected.filter((s) => s.status === "unknown").every((s) => (s.error ?? "").length > 0)).toBe(true);
  });
});
