import { describe, expect, it } from "vitest";
import type { EnvironmentSummary, ServiceCell } from "./dashboard-types";
import { filterOverview } from "./filter-overview";

function env(name: string, groups: Record<string, string>, error?: string): EnvironmentSummary {
  return { name, groups, branch: "main", repo: ".", warnings: [], counts: {}, serviceCount: 0, worstLevel: 0, error };
}

function cell(service: string, status: ServiceCell["status"]): ServiceCell {
  return { service, chart: service, status, releasesBehind: 0, step: "none", badgeColor: "#52c41a", badgeLabel: status, badgeLevel: 0, unpinned: false };
}

const environments = [
  env("dev", { brand: "shop", team: "web" }),
  env("production", { brand: "shop", team: "web" }),
  env("payments-eu", { brand: "payments" }),
  env("sandbox", { brand: "shop" }, "Chart.yaml is not valid YAML"),
];
const cells = [
  { environment: "dev", cell: cell("orders", "current") },
  { environment: "production", cell: cell("orders", "far-behind") },
  { environment: "dev", cell: cell("search", "ahead") },
  { environment: "payments-eu", cell: cell("payments", "behind") },
  { environment: "payments-eu", cell: cell("ledger", "current") },
];

describe("filterOverview", () => {
  it("shows every environment and every service, sorted, without filters", () => {
    const m = filterOverview(environments, cells, { services: [], onlyBehind: false });
    expect(m.environments.map((e) => e.name)).toEqual(["dev", "production", "payments-eu", "sandbox"]);
    expect(m.services).toEqual(["ledger", "orders", "payments", "search"]);
    expect(m.cells.production!.orders!.status).toBe("far-behind");
  });

  it("narrows columns to a group, keeping a broken environment of that group visible", () => {
    const m = filterOverview(environments, cells, { group: "brand:shop", services: [], onlyBehind: false });
    expect(m.environments.map((e) => e.name)).toEqual(["dev", "production", "sandbox"]);
    expect(m.services).toEqual(["orders", "search"]);
    expect(m.cells["payments-eu"]).toBeUndefined();
  });

  it("narrows rows to chosen services", () => {
    const m = filterOverview(environments, cells, { services: ["payments"], onlyBehind: false });
    expect(m.services).toEqual(["payments"]);
    expect(Object.keys(m.cells)).toEqual(["payments-eu"]);
  });

  it("keeps only services behind somewhere among the shown environments", () => {
    expect(filterOverview(environments, cells, { services: [], onlyBehind: true }).services).toEqual(["orders", "payments"]);
    expect(filterOverview(environments, cells, { group: "team:web", services: [], onlyBehind: true }).services).toEqual(["orders"]);
  });

  it("ignores a group filter without a dimension", () => {
    expect(filterOverview(environments, cells, { group: "shop", services: [], onlyBehind: false }).environments).toHaveLength(4);
  });
});
