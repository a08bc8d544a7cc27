import { describe, expect, it } from "vitest";
import { workspaceConfigSchema } from "@/lib/config/schema";
import type { GitProvider } from "@/lib/git/git-provider";
import type { ChartVersion } from "@/lib/registry/types";
import { readFixtureStack } from "@/test/fixtures/charts/read-fixture-stack";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { readEnvironmentStatus, type ChartVersionLookup } from "./read-environment-status";

const NOW = new Date("2026-10-01T12:00:00Z");
const INTERNAL = "https://charts.example.com/internal";
const BITNAMI = "https://charts.bitnami.com/bitnami";

/** What the two registries publish, by registry URL and chart. */
const PUBLISHED: Record<string, Record<string, string[]>> = {
  [INTERNAL]: {
    gateway: ["4.0.0", "4.1.0"],
    ledger: ["2.3.0"],
    "payments-api": ["2.9.4", "3.0.0", "3.1.0"],
    "fraud-check": ["1.7.0"],
  },
  [BITNAMI]: { redis: ["18.6.1", "18.6.4"] },
  // Internal mirrors of Bitnami's HTTP repository and of Docker Hub (mirrored-public-urls).
  "https://artifactory.internal/bitnami": { redis: ["18.6.1", "18.6.4"] },
  "oci://harbor.internal/dockerhub/bitnamicharts": { postgresql: ["15.5.38"] },
};

/** A git provider over one fixture folder: the branch head is a fixed commit and the stack is at the root. */
function fixtureGit(fixture: string): GitProvider {
  const files = readFixtureStack(fixture);
  const byPath: Record<string, string | undefined> = {
    "Chart.yaml": files.chartYaml,
    "Chart.lock": files.chartLock,
    "requirements.yaml": files.requirementsYaml,
    "requirements.lock": files.requirementsLock,
  };
  const unused = () => Promise.reject(new Error("not used by readEnvironmentStatus"));
  return {
    kind: "fixture",
    branchHead: () => Promise.resolve({ sha: "0".repeat(40), date: NOW }),
    readFiles: (_repo, _sha, paths) => Promise.resolve(new Map(paths.map((p) => [p, byPath[p]]))),
    listHistory: unused,
    listTags: unused,
    listCommitsBetween: unused,
    createBranchWithCommit: unused,
    createTag: unused,
    advanceBranch: unused,
    mergeBase: unused,
  } as GitProvider;
}

const registries: ChartVersionLookup = {
  listChartVersions: (endpoint, chart) =>
    Promise.resolve(
      PUBLISHED[endpoint.url]?.[chart]?.map((version): ChartVersion => ({ version, deprecated: false })),
    ),
};

const DEFAULT_REGISTRIES = [
  { name: "internal", url: INTERNAL },
  { name: "bitnami", url: BITNAMI },
];

async function readFixtureStatus(fixture: string, registryConfig: unknown[] = DEFAULT_REGISTRIES) {
  const config = workspaceConfigSchema.parse({ registries: registryConfig, environments: [{ name: fixture, repo: "stacks" }] });
  const status = await readEnvironmentStatus(config.environments[0]!, {
    config,
    git: fixtureGit(fixture),
    registries,
    endpoints: resolveRegistryEndpoints(config, () => undefined).endpoints,
    stats: { requests: 0, notModified: 0, bytes: 0 },
    now: () => NOW,
  });
  expect(status.error).toBeUndefined();
  return status.services.map((s) => ({
    service: s.service,
    running: s.running,
    unpinned: s.unpinned,
    status: s.version.status,
    label: s.version.badge.label,
    error: s.error,
  }));
}

describe("readEnvironmentStatus — fixture stacks", () => {
  it("shows file:// and charts/ subcharts as vendored, with the version the lock records", async () => {
    expect(await readFixtureStatus("vendored")).toEqual([
      { service: "shared-config", running: "0.3.0", unpinned: false, status: "vendored", label: "vendored", error: undefined },
      {
        service: "legacy-proxy",
        running: undefined,
        unpinned: false,
        status: "vendored",
        label: "vendored",
        error: expect.stringContaining("no repository: the chart is expected under charts/"),
      },
      { service: "edge-routes", running: "0.2.3", unpinned: false, status: "vendored", label: "vendored", error: undefined },
      { service: "gateway", running: "4.1.0", unpinned: false, status: "current", label: "current", error: undefined },
    ]);
  });

  it("runs the locked version of @name dependencies, not the highest match, and flags the stale lock", async () => {
    expect(await readFixtureStatus("alias-repository-lock")).toEqual([
      { service: "session-cache", running: "18.6.1", unpinned: false, status: "behind", label: "1 behind (patch)", error: undefined },
      { service: "ledger", running: "2.3.0", unpinned: false, status: "current", label: "current", error: undefined },
      {
        service: "payments-api",
        running: "2.9.4",
        unpinned: false,
        status: "far-behind",
        label: "2 behind (major)",
        error: expect.stringContaining('Chart.lock locks payments-api at 2.9.4, which does not satisfy "^3.0.0"'),
      },
      { service: "fraud-check", running: "1.7.0", unpinned: false, status: "current", label: "current", error: undefined },
    ]);
  });

  it("lists the services of a chart whose dependencies have no version:", async () => {
    const services = await readFixtureStatus("no-version");
    expect(services.map((s) => [s.service, s.running])).toEqual([
      ["grafana", "7.3.9"],
      ["loki", "5.47.2"],
      ["promtail", undefined],
    ]);
  });
});

describe("readEnvironmentStatus — entries the reader cannot take", () => {
  it("lists every dependency entry, each with every problem it has", async () => {
    const services = await readFixtureStatus("rejected-entries");
    expect(services.map((s) => s.service)).toEqual(["gateway", "ledger", "dependencies[2]", "fraud"]);
    const byName = Object.fromEntries(services.map((s) => [s.service, s]));
    // Read, with both of its problems kept: listed twice, and a lock that no longer satisfies the pin.
    expect(byName.gateway!.error).toMatch(/lists "gateway" more than once \(again at dependencies\[4\]\); only the first is read/);
    expect(byName.gateway!.error).toMatch(/lock/i);
    expect(byName.gateway!.running).toBe("4.0.0"); // the lock first, as Helm deploys what the lock names
    for (const [service, reason] of [
      ["ledger", /repository "ftp:\/\/charts\.example\.com\/internal" is neither a URL/],
      ["dependencies[2]", /dependencies\[2\] is not a mapping/],
      ["fraud", /version must be a string/],
    ] as const) {
      expect(byName[service]).toMatchObject({ status: "unknown", label: "unreadable entry", running: undefined });
      expect(byName[service]!.error).toMatch(reason);
    }
  });
});

describe("readEnvironmentStatus — registries that mirror public ones (slipway.yaml mirrorOf)", () => {
  const mirrors = [
    { name: "internal", url: INTERNAL },
    { name: "bitnami-mirror", url: "https://artifactory.internal/bitnami", mirrorOf: [BITNAMI] },
    { name: "dockerhub", url: "oci://harbor.internal/dockerhub", mirrorOf: ["oci://registry-1.docker.io"] },
  ];

  it("reads dependencies written with public URLs through the mirrors, and the lock still matches", async () => {
    expect(await readFixtureStatus("mirrored-public-urls", mirrors)).toEqual([
      { service: "redis", running: "18.6.1", unpinned: false, status: "behind", label: "1 behind (patch)", error: undefined },
      { service: "ledger-db", running: "15.5.38", unpinned: false, status: "current", label: "current", error: undefined },
      { service: "gateway", running: "4.1.0", unpinned: false, status: "current", label: "current", error: undefined },
    ]);
  });

  it("without mirrorOf, the public URLs are registries slipway.yaml does not list", async () => {
    const services = await readFixtureStatus("mirrored-public-urls", mirrors.map(({ mirrorOf: _mirrorOf, ...registry }) => registry));
    expect(services.slice(0, 2).map((s) => [s.service, s.label])).toEqual([
      ["redis", "registry not configured"],
      ["ledger-db", "registry not configured"],
    ]);
  });
});
