// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { statusMatrixBodyHtml } from "@/components/status-matrix-body";
import { encodeOverviewMatrix } from "@/lib/snapshots/encode-overview-matrix";
import type { OverviewMatrix } from "@/lib/snapshots/filter-overview";
import type { EnvironmentSummary, ServiceCell } from "@/lib/snapshots/dashboard-types";

const environment = (name: string): EnvironmentSummary => ({
  name, groups: {}, branch: "main", repo: "acme/stack", warnings: [], counts: {}, serviceCount: 0, worstLevel: -1,
});
const cell = (service: string, fields: Partial<ServiceCell>): ServiceCell => ({
  service, chart: service, running: "1.0.0", latest: "1.0.0", status: "current", releasesBehind: 0, step: "none",
  badgeLevel: 0, badgeColor: "", badgeLabel: "", unpinned: false, ...fields,
} as ServiceCell);

/** The body parsed as a browser would, as rows of cells (the row header first). */
function render(matrix: OverviewMatrix): { body: HTMLElement; rows: HTMLElement[][] } {
  const table = document.createElement("table");
  table.innerHTML = `<tbody>${statusMatrixBodyHtml(encodeOverviewMatrix(matrix))}</tbody>`;
  const body = table.querySelector("tbody")!;
  return { body, rows: [...body.querySelectorAll("tr")].map((row) => [...row.querySelectorAll<HTMLElement>("th, td")]) };
}

describe("the matrix body's HTML", () => {
  it("has a row per service and a cell per environment, with the status in words and one tab stop", () => {
    const { body, rows } = render({
      environments: [environment("dev"), environment("prod")],
      services: ["orders", "search"],
      cells: {
        dev: { orders: cell("orders", { running: "1.2.0", latest: "1.4.2", status: "far-behind", releasesBehind: 6, step: "major", daysBehind: 80, badgeLevel: 3 }) },
        prod: { orders: cell("orders", {}), search: cell("search", { running: undefined, status: "unknown" }) },
      },
    });
    expect(rows.map((row) => `${row[0]!.tagName} ${row[0]!.getAttribute("scope")} ${row[0]!.textContent}`)).toEqual([
      "TH row orders", "TH row search",
    ]);
    const [behind, current] = rows[0]!.slice(1);
    expect(behind!.textContent).toBe("orders 1.2.0 far behind: 6 releases (major), 80 days; latest 1.4.2");
    expect(behind!.querySelector("b")!.textContent).toBe("1.2.0");
    expect(behind!.querySelector("small")!.textContent).toBe("1.4.2");
    expect(current!.textContent).toBe("orders 1.0.0 current");
    expect(rows[1]![1]!.textContent).toBe("search not deployed");
    expect(rows[1]![2]!.textContent).toBe("search unknown version registry unavailable");
    // One tab stop, on the first cell; the tones are distinct classes (status-matrix.css): behind, current, none, grey.
    expect([...body.querySelectorAll("[tabindex]")]).toEqual([behind]);
    expect(behind!.getAttribute("tabindex")).toBe("0");
    expect(new Set([...body.querySelectorAll("td")].map((td) => td.className)).size).toBe(4);
  });

  it("escapes names and versions from git and registries", () => {
    const hostile = '<img src=x onerror="alert(1)">&amp;';
    const { body, rows } = render({
      environments: [environment("dev")],
      services: [hostile],
      cells: { dev: { [hostile]: cell(hostile, { running: "1.0.0<script>", latest: '"2.0.0"', status: "behind", releasesBehind: 1, step: "major", badgeLevel: 2 }) } },
    });
    expect(body.querySelector("img, script")).toBeNull();
    expect(rows[0]![0]!.textContent).toBe(hostile);
    expect(rows[0]![1]!.textContent).toBe(`${hostile} 1.0.0<script> behind: 1 release (major); latest "2.0.0"`);
  });
});
