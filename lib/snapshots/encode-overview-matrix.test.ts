import { describe, expect, it } from "vitest";
import type { EnvironmentSummary, ServiceCell } from "./dashboard-types";
import { decodeCell, encodeOverviewMatrix } from "./encode-overview-matrix";
import type { OverviewMatrix } from "./filter-overview";

function env(name: string, groups: Record<string, string> = {}, error?: string): EnvironmentSummary {
  return { name, groups, branch: "main", repo: name, warnings: [], counts: {}, serviceCount: 0, worstLevel: 0, ...(error ? { error } : {}) };
}

function cell(service: string, fields: Partial<ServiceCell>): ServiceCell {
  return {
    service, chart: service, status: "current", releasesBehind: 0, step: "none", badgeColor: "#000", badgeLabel: "",
    badgeLevel: 0, unpinned: false, ...fields,
  };
}

const matrix: OverviewMatrix = {
  environments: [env("dev", { brand: "shop", region: "eu" }), env("prod", {}, "Chart.yaml is not valid YAML")],
  services: ["orders", "search"],
  cells: {
    dev: {
      orders: cell("orders", { running: "1.4.2", latest: "1.4.2" }),
      search: cell("search", { running: "2.0.0", latest: "3.1.0", status: "far-behind", badgeLevel: 5, releasesBehind: 7, step: "major", daysBehind: 80 }),
    },
    prod: { orders: cell("orders", { running: "1.2.0", latest: "1.4.2", status: "behind", badgeLevel: 2, releasesBehind: 2, step: "minor" }) },
  },
};

describe("encodeOverviewMatrix", () => {
  it("gives back every cell as it was, and nothing where an environment lacks the service", () => {
    const compact = encodeOverviewMatrix(matrix);
    expect(compact.columns).toEqual([
      { name: "dev", groups: "shop · eu" },
      { name: "prod", groups: "", error: "Chart.yaml is not valid YAML" },
    ]);
    expect(compact.rows).toEqual(["orders", "search"]);
    expect(decodeCell(compact, 0, 0)).toEqual({ running: "1.4.2", latest: "1.4.2", status: "current", level: 0, releasesBehind: 0, step: "none" });
    expect(decodeCell(compact, 1, 0)).toEqual({
      running: "2.0.0", latest: "3.1.0", status: "far-behind", level: 5, releasesBehind: 7, step: "major", daysBehind: 80,
    });
    expect(decodeCell(compact, 0, 1)).toMatchObject({ running: "1.2.0", status: "behind", level: 2, step: "minor" });
    expect(decodeCell(compact, 1, 1)).toBeUndefined();
    expect(decodeCell(compact, 5, 0)).toBeUndefined();
  });

  it("sends each version string once, and only numbers per cell", () => {
    const compact = encodeOverviewMatrix(matrix);
    expect(compact.versions.filter((v) => v === "1.4.2")).toHaveLength(1);
    expect(compact.cells.flat().every((n) => typeof n === "number")).toBe(true);
  });

  it("stays small at 50 × 80: a few bytes of JSON per cell", () => {
    const services = Array.from({ length: 80 }, (_, i) => `service-${i}`);
    const environments = Array.from({ length: 50 }, (_, i) => env(`env-${i}`));
    const cells = Object.fromEntries(
      environments.map((e, j) => [
        e.name,
        Object.fromEntries(services.map((s, i) => [s, cell(s, { running: `1.${i}.${j % 7}`, latest: `1.${i}.9`, status: "behind", badgeLevel: 2, releasesBehind: 9 - (j % 7), step: "patch", daysBehind: 40 })])),
      ]),
    );
    const json = JSON.stringify(encodeOverviewMatrix({ environments, services, cells }));
    expect(json.length / 4000).toBeLessThan(30);
  });
});
