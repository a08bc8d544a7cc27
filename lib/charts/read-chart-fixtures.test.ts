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
      // Not in the lock: "*" resolves to the highest published release, as `helm dependency update` would.
      ["promtail", "", undefined, "18.6.4"],
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
