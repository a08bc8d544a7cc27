import { describe, expect, it } from "vitest";
import { readFixtureStack } from "@/test/fixtures/charts/read-fixture-stack";
import { planChartEdits } from "./edit/plan-chart-edits";
import { readUmbrellaChart } from "./read-umbrella-chart";
import { resolveRunningVersion } from "./resolve-running-version";

/** Real-looking stack folders with the quirks Helm accepts; see test/fixtures/charts/README.md. */
interface FixtureCase {
  fixture: string;
  chart: { name: string; version: string; format: "helm3" | "helm2" };
  /** [service, constraint as written, locked version, running version with these published versions] */
  services: [string, string, string | undefined, string | undefined][];
  /** Services with a problem, and what it says. */
  problems: [string | undefined, string][];
}

const PUBLISHED = ["0.9.1", "1.7.0", "2.3.0", "2.4.6", "2.4.9", "2.9.4", "3.1.0", "4.2.7", "4.3.0", "18.6.1", "18.6.4"];

const CASES: FixtureCase[] = [
  {
    fixture: "alias-repository-lock",
    chart: { name: "payments-stack", version: "3.8.0", format: "helm3" },
    services: [
      // The lock holds the URL Helm resolved @bitnami to: the lock, not the highest ~18.6 release (18.6.4), runs.
      ["session-cache", "~18.6.0", "18.6.1", "18.6.1"],
      ["ledger", "2.3.0", "2.3.0", "2.3.0"],
      ["payments-api", "^3.0.0", "2.9.4", "2.9.4"],
      ["fraud-check", ">=1.2.0, <2.0.0", "1.7.0", "1.7.0"],
    ],
    problems: [["payments-api", "Chart.lock locks payments-api at 2.9.4, which does not satisfy \"^3.0.0\""]],
  },
  {
    fixture: "alias-repository-helm2",
    chart: { name: "legacy-stack", version: "1.12.0", format: "helm2" },
    services: [
      ["nginx-ingress", "~1.41.0", "1.41.3", "1.41.3"],
      ["orders-eu", "^4.2.0", "4.2.7", "4.2.7"],
    ],
    problems: [],
  },
  {
    fixture: "reordered-alias-lock",
    chart: { name: "cache-stack", version: "1.4.0", format: "helm3" },
    services: [
      ["sessions", "^18.0.0", "18.6.1", "18.6.1"],
      ["queue", "^17.0.0", "17.15.6", "17.15.6"],
    ],
    problems: [],
  },
  {
    fixture: "no-version",
    chart: { name: "tools-stack", version: "0.4.0", format: "helm3" },
    services: [
      ["grafana", "", "7.3.9", "7.3.9"],
      ["loki", "", "5.47.2", "5.47.2"],
      // Not in the lock: Masterminds NewConstraint("") fails, so `helm dependency update` stops; nothing runs it.
      ["promtail", "", undefined, undefined],
    ],
    problems: [],
  },
  {
    fixture: "vendored",
    chart: { name: "edge-stack", version: "2.0.1", format: "helm3" },
    services: [
      ["shared-config", "0.3.0", "0.3.0", "0.3.0"],
      // Helm copies the range into the lock for a chart under charts/: nothing says which version runs.
      ["legacy-proxy", "~1.0.0", "~1.0.0", undefined],
      ["edge-routes", "^0.2.0", "0.2.3", "0.2.3"],
      ["gateway", "4.1.0", "4.1.0", "4.1.0"],
    ],
    problems: [],
  },
  {
    fixture: "lone-cr",
    chart: { name: "kiosk-stack", version: "1.0.3", format: "helm3" },
    services: [
      ["ui", "~2.4.0", "2.4.6", "2.4.6"],
      ["printer-bridge", "0.9.1", "0.9.1", "0.9.1"],
    ],
    problems: [],
  },
];

describe("readUmbrellaChart — fixture stacks", () => {
  it.each(CASES)("reads $fixture", ({ fixture, chart: expectedChart, services, problems }) => {
    const chart = readUmbrellaChart(readFixtureStack(fixture));
    expect({ name: chart.name, version: chart.version, format: chart.format }).toEqual(expectedChart);
    expect(
      chart.dependencies.map((d) => {
        const resolved = resolveRunningVersion(d, PUBLISHED);
        return [d.service, d.constraint, d.lockedVersion, resolved.ok ? resolved.version : undefined];
      }),
    ).toEqual(services);
    expect(chart.problems.map((p) => [p.service, p.message])).toEqual(
      problems.map(([service, message]) => [service, expect.stringContaining(message)]),
    );
  });

  it("keeps the lone-CR fixture's line endings as saved (the case above reads raw CR bytes)", () => {
    const files = readFixtureStack("lone-cr");
    for (const text of [files.chartYaml!, files.chartLock!]) {
      expect(text).toMatch(/\r[^\n]/);
      expect(text).not.toContain("\n");
    }
  });
});

describe("checkLockSync — fixture stacks, as helm dependency build judges their locks", () => {
  it.each([
    ["alias-repository-helm2", "in-sync"],
    ["vendored", "in-sync"],
    ["lone-cr", "in-sync"],
    // Helm 3 still accepts Helm 2's digest in an apiVersion v1 chart's requirements.lock.
    ["helm2-digest", "in-sync"],
    ["mirrored-public-urls", "in-sync"],
    // The stale entry was edited after Helm wrote the digest; so was the hand-swapped pair.
    ["alias-repository-lock", "out-of-sync"],
    ["reordered-alias-lock", "out-of-sync"],
    ["no-version", "out-of-sync"],
    ["lock-out-of-sync", "out-of-sync"],
    ["unquoted-numbers", "no-lock"],
  ] as const)("%s is %s", (fixture, state) => {
    expect(readUmbrellaChart(readFixtureStack(fixture)).lockReport.state).toBe(state);
  });

  it("lists every difference between the dependencies and the lock", () => {
    const { lockReport } = readUmbrellaChart(readFixtureStack("lock-out-of-sync"));
    expect(lockReport).toMatchObject({
      dependenciesWithoutEntry: ["billing"],
      entriesNotInChart: [{ name: "legacy-reports", repository: "https://charts.example.com/internal", version: "0.9.1" }],
      repositoryChanged: [
        { service: "search", declared: "oci://registry.example.com/charts", locked: "https://charts.example.com/internal" },
      ],
      digest: { recorded: "sha256:7dd6fb2b4d5a5c8c1f0e3f3bb2b0d9d8c2f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7", matches: false },
    });
    expect(lockReport.summary).toContain(
      "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml) (billing has no lock entry; " +
        "legacy-reports 0.9.1 is locked but no longer a dependency; search moved from https://charts.example.com/internal " +
        "to oci://registry.example.com/charts)",
    );
  });

  it("reports a chart with dependencies but no lock, and one with neither", () => {
    expect(readUmbrellaChart(readFixtureStack("unquoted-numbers")).lockReport.summary).toContain("resolves every version range afresh");
    expect(readUmbrellaChart({ chartYaml: "apiVersion: v2\nname: empty\nversion: 1.0.0\n" }).lockReport.state).toBe("no-dependencies");
  });

  it("reads unquoted numbers as Helm does", () => {
    const chart = readUmbrellaChart(readFixtureStack("unquoted-numbers"));
    expect(chart.version).toBe("1.1");
    expect(chart.dependencies.map((d) => [d.service, d.constraint])).toEqual([
      ["exporter", "2.1"],
      ["scheduler", "3"],
      ["archiver", "8"],
    ]);
  });
});

describe("planChartEdits — fixture stacks", () => {
  const now = new Date("2026-10-01T12:00:00Z");

  it("moves an @name dependency's lock entry, keeping its range", () => {
    const plan = planChartEdits(readFixtureStack("alias-repository-lock"), [{ service: "session-cache", to: "18.6.4" }], {
      now,
    });
    expect(plan.files.map((f) => f.name)).toEqual(["Chart.lock"]);
    expect(plan.files[0]!.after).toContain("- name: redis\n  repository: https://charts.bitnami.com/bitnami\n  version: 18.6.4\n");
    expect(plan.notes.join("\n")).toContain('"~18.6.0" still allows 18.6.4');
  });

  it("edits the lock entry the dashboard reads for the service, not the one at the same position", () => {
    const files = readFixtureStack("reordered-alias-lock");
    const plan = planChartEdits(files, [{ service: "sessions", to: "18.6.4" }], { now });
    const after = readUmbrellaChart({ ...files, chartLock: plan.files.find((f) => f.name === "Chart.lock")!.after });
    expect(after.dependencies.map((d) => [d.service, d.lockedVersion])).toEqual([
      ["sessions", "18.6.4"],
      ["queue", "17.15.6"],
    ]);
  });

  it("moves a dependency without version: through its lock entry", () => {
    const plan = planChartEdits(readFixtureStack("no-version"), [{ service: "loki", to: "5.48.0" }], { now });
    expect(plan.files.map((f) => f.name)).toEqual(["Chart.lock"]);
    expect(plan.files[0]!.after).toContain("- name: loki\n  repository: https://grafana.github.io/helm-charts\n  version: 5.48.0\n");
  });
});
