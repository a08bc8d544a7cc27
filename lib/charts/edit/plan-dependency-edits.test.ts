import { createHash } from "node:crypto";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readUmbrellaChart } from "../read-umbrella-chart";
import type { StackFiles } from "../types";
import { ChartEditError } from "./chart-edit-error";
import { planChartEdits, type ChartEditPlan, type ChartFileName } from "./plan-chart-edits";

const NOW = new Date("2026-03-01T09:30:00.120Z");
const GENERATED = "2026-03-01T09:30:00.12Z";

// An oracle for Helm's lock digest, from the Go sources (resolver.HashReq / HashV2Req), independent of
// helm-lock-digest.ts: chart.Dependency field order with omitempty, "@name" repositories resolved through the lock
// entry at the same position, sha256 over the JSON.
type Plain = Record<string, unknown>;
const GO_FIELDS = ["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];
function goOrdered(entry: Plain): Plain {
  const out: Plain = {};
  for (const field of GO_FIELDS) {
    const value = entry[field];
    const empty = value === undefined || value === null || value === "" || value === false || (Array.isArray(value) && value.length === 0);
    if (field === "name" || field === "repository") out[field] = value === undefined || value === null ? "" : String(value);
    else if (!empty) out[field] = value;
  }
  return out;
}
const list = (text: string) => ((parse(text) as Plain).dependencies as Plain[] | null | undefined) ?? [];
const sha = (json: string) => `sha256:${createHash("sha256").update(json).digest("hex")}`;
function oracleDigest(dependencyText: string, lockText: string, scheme: "helm3" | "helm2" = "helm3"): string {
  const requested = list(dependencyText).map(goOrdered);
  const locked = list(lockText).map(goOrdered);
  if (scheme === "helm2") return sha(JSON.stringify({ dependencies: requested }));
  const resolved = requested.map((entry, i) => {
    const repository = String(entry.repository);
    const isName = repository.startsWith("@") || repository.startsWith("alias:");
    return isName && locked[i]?.name === entry.name ? { ...entry, repository: locked[i]!.repository } : entry;
  });
  return sha(JSON.stringify([resolved, locked]));
}

/** A lock as `helm dependency update` writes it for `dependencyText`. */
function helmLock(dependencyText: string, entries: [string, string, string][], options: { eol?: string; scheme?: "helm3" | "helm2" } = {}): string {
  const body = ["dependencies:", ...entries.flatMap(([n, r, v]) => [`- name: ${n}`, `  repository: ${r}`, `  version: ${v}`])];
  const digest = oracleDigest(dependencyText.replaceAll("\r\n", "\n"), body.join("\n") + "\n", options.scheme);
  return [...body, `digest: ${digest}`, `generated: "2025-11-20T08:00:00.123456789+01:00"`, ""].join(options.eol ?? "\n");
}

function after(plan: ChartEditPlan, name: ChartFileName): string {
  const file = plan.files.find((f) => f.name === name);
  if (!file) throw new Error(`${name} does not change`);
  return file.after;
}

/** The lock's digest is Helm's for the edited files, and `generated:` is now. */
function expectHelmLock(dependencyText: string, lockText: string, scheme: "helm3" | "helm2" = "helm3"): void {
  const withoutDigest = lockText.replace(/\r?\ndigest: .*/, "").replace(/\r?\ngenerated: .*/, "");
  expect(lockText).toContain(`digest: ${oracleDigest(dependencyText.replaceAll("\r\n", "\n"), withoutDigest.replaceAll("\r\n", "\n"), scheme)}`);
  expect(lockText).toContain(`generated: "${GENERATED}"`);
  expect(readUmbrellaChart(files(dependencyText, lockText, scheme)).lockReport.state).toBe("in-sync");
}

function files(dependencyText: string, lockText: string, scheme: "helm3" | "helm2" = "helm3"): StackFiles {
  return scheme === "helm3"
    ? { chartYaml: dependencyText, chartLock: lockText }
    : { chartYaml: "apiVersion: v1\nname: stack\nversion: 1.0.0\n", requirementsYaml: dependencyText, requirementsLock: lockText };
}

const HEAD_CHART = `apiVersion: v2
name: shop
version: 3.1.0
dependencies:
  # Storefront, owned by team web
  - name: storefront
    version: 4.2.0
    repository: https://charts.example.com/stable

  # Added for the spring campaign; remove after it
  - name: mailer # transactional mail
    version: 0.3.1
    repository: https://charts.example.com/stable
    # condition: mailer.enabled

  - name: orders
    version: 2.0.0
    repository: https://charts.example.com/stable
`;
const HEAD_ENTRIES: [string, string, string][] = [
  ["storefront", "https://charts.example.com/stable", "4.2.0"],
  ["mailer", "https://charts.example.com/stable", "0.3.1"],
  ["orders", "https://charts.example.com/stable", "2.0.0"],
];

const TARGET_CHART = `apiVersion: v2
name: shop
version: 3.0.0
dependencies:
- name: storefront
  version: 4.1.0
  repository: https://charts.example.com/stable
# Old search, replaced later
- name: search-engine
  alias: search
  version: ~1.8.0
  repository: "@stable"
  condition: search.enabled
  tags:
    - backend
  import-values:
    - child: exports.data
      parent: searchData
- name: orders
  version: 1.9.0
  repository: https://charts.example.com/stable
`;
const TARGET_LOCK = `dependencies:
- name: storefront
  repository: https://charts.example.com/stable
  version: 4.1.0
- name: search-engine
  repository: https://charts.example.com/stable
  version: 1.8.3
- name: orders
  repository: https://charts.example.com/stable
  version: 1.9.0
digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
generated: "2025-06-01T10:00:00Z"
`;
const TARGET: StackFiles = { chartYaml: TARGET_CHART, chartLock: TARGET_LOCK };
const restoreSearch = { service: "search", version: "1.8.3", source: TARGET, sourceLabel: "a1b2c3d4" };

describe("planChartEdits — removing a dependency", () => {
  it("takes a Helm 3 entry out with its own comments and one blank separator, and its lock entry, and rehashes the lock", () => {
    const chartLock = helmLock(HEAD_CHART, HEAD_ENTRIES);
    const plan = planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], { remove: ["mailer"], now: NOW });
    expect(after(plan, "Chart.yaml")).toBe(`apiVersion: v2
name: shop
version: 3.1.0
dependencies:
  # Storefront, owned by team web
  - name: storefront
    version: 4.2.0
    repository: https://charts.example.com/stable

  - name: orders
    version: 2.0.0
    repository: https://charts.example.com/stable
`);
    const lock = after(plan, "Chart.lock");
    expect(lock).toMatch(/^dependencies:\n- name: storefront\n  repository: https:\/\/charts.example.com\/stable\n  version: 4.2.0\n- name: orders\n/);
    expect(lock).not.toContain("mailer");
    expectHelmLock(after(plan, "Chart.yaml"), lock);
    expect(plan.notes).toEqual([]);
  });

  it("takes out the first and the last entry without leaving blank lines behind", () => {
    const chartLock = helmLock(HEAD_CHART, HEAD_ENTRIES);
    const first = after(planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], { remove: ["storefront"], now: NOW }), "Chart.yaml");
    expect(first).toContain("dependencies:\n  # Added for the spring campaign; remove after it\n  - name: mailer");
    const last = after(planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], { remove: ["orders"], now: NOW }), "Chart.yaml");
    expect(last.endsWith("    # condition: mailer.enabled\n")).toBe(true);
  });

  it("writes `dependencies: []` in both files when the last entry goes, with Helm's digest of two empty lists", () => {
    // CERIT-SC/binderhub at a0df8b1: a Chart.lock helm wrote.
    const chartYaml = `apiVersion: v2
dependencies:
- name: jupyterhub
  repository: https://jupyterhub.github.io/helm-chart
  version: 2.0.0
name: binderhub
version: 1.0.0
`;
    const chartLock = `dependencies:
- name: jupyterhub
  repository: https://jupyterhub.github.io/helm-chart
  version: 2.0.0
digest: sha256:dfbe0e7ed802a52322021954fd29c949b4ea916637ba4fae96137932d0db0e48
generated: "2023-03-01T12:26:36.816440214Z"
`;
    const plan = planChartEdits({ chartYaml, chartLock }, [], { remove: ["jupyterhub"], now: NOW });
    expect(after(plan, "Chart.yaml")).toBe("apiVersion: v2\ndependencies: []\nname: binderhub\nversion: 1.0.0\n");
    expect(after(plan, "Chart.lock")).toBe(`dependencies: []\ndigest: ${sha("[[],[]]")}\ngenerated: "${GENERATED}"\n`);
    expect(plan.notes).toEqual(["Chart.yaml has no dependencies left: its list is written as `dependencies: []`"]);
  });

  it("removes a service with no lock entry from the dependency file only, says so, and rehashes the lock", () => {
    const chartLock = helmLock(HEAD_CHART, HEAD_ENTRIES.filter(([name]) => name !== "mailer"));
    const plan = planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], { remove: ["mailer"], now: NOW });
    expect(plan.notes).toEqual(["mailer: Chart.lock has no entry for it, so only Chart.yaml changes"]);
    expectHelmLock(after(plan, "Chart.yaml"), after(plan, "Chart.lock"));
  });

  it("removes the right one of two aliases of one chart, and the lock entry Helm paired with it", () => {
    const chartYaml = `apiVersion: v2
name: stack
version: 1.0.0
dependencies:
  - name: worker
    alias: worker-eu
    version: 1.0.0
    repository: https://charts.example.com
  - name: worker
    alias: worker-us
    version: 1.1.0
    repository: https://charts.example.com
`;
    const chartLock = helmLock(chartYaml, [
      ["worker", "https://charts.example.com", "1.0.0"],
      ["worker", "https://charts.example.com", "1.1.0"],
    ]);
    const plan = planChartEdits({ chartYaml, chartLock }, [], { remove: ["worker-eu"], now: NOW });
    expect(after(plan, "Chart.yaml")).not.toContain("worker-eu");
    expect(after(plan, "Chart.lock")).toMatch(/^dependencies:\n- name: worker\n  repository: https:\/\/charts.example.com\n  version: 1.1.0\ndigest:/);
    expectHelmLock(after(plan, "Chart.yaml"), after(plan, "Chart.lock"));
  });

  it("removes from flow-style lists, keeping their layout", () => {
    const chartYaml = `apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies: [{name: a, version: 1.0.0, repository: "https://c.example.com"}, {name: b, version: 2.0.0, repository: "https://c.example.com"}, {name: c, version: 3.0.0, repository: "https://c.example.com"}]\n`;
    const middle = planChartEdits({ chartYaml }, [], { remove: ["b"] });
    expect(after(middle, "Chart.yaml")).toBe(chartYaml.replace(`{name: b, version: 2.0.0, repository: "https://c.example.com"}, `, ""));
    const last = planChartEdits({ chartYaml }, [], { remove: ["c"] });
    expect(after(last, "Chart.yaml")).toBe(chartYaml.replace(`, {name: c, version: 3.0.0, repository: "https://c.example.com"}`, ""));
    const all = planChartEdits({ chartYaml }, [], { remove: ["a", "b", "c"] });
    expect(after(all, "Chart.yaml")).toBe("apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies: []\n");
  });

  it("keeps CRLF line endings", () => {
    const chartYaml = HEAD_CHART.replaceAll("\n", "\r\n");
    const chartLock = helmLock(chartYaml, HEAD_ENTRIES, { eol: "\r\n" });
    const plan = planChartEdits({ chartYaml, chartLock }, [], { remove: ["mailer"], now: NOW });
    expect(after(plan, "Chart.yaml").replace(/\r\n/g, "")).not.toContain("\n");
    expect(after(plan, "Chart.lock").replace(/\r\n/g, "")).not.toContain("\n");
    expect(after(plan, "Chart.yaml")).not.toContain("mailer");
    expectHelmLock(after(plan, "Chart.yaml"), after(plan, "Chart.lock"));
  });

  it("takes a Helm 2 entry out of requirements.yaml and requirements.lock, keeping Helm 2's digest", () => {
    const requirementsYaml = `dependencies:\n- name: a\n  version: 1.0.0\n  repository: https://c.example.com\n- name: b\n  version: 2.0.0\n  repository: https://c.example.com\n`;
    const requirementsLock = helmLock(requirementsYaml, [["a", "https://c.example.com", "1.0.0"], ["b", "https://c.example.com", "2.0.0"]], { scheme: "helm2" });
    const plan = planChartEdits(files(requirementsYaml, requirementsLock, "helm2"), [], { remove: ["a"], now: NOW });
    expect(after(plan, "requirements.yaml")).toBe(`dependencies:\n- name: b\n  version: 2.0.0\n  repository: https://c.example.com\n`);
    expect(plan.files.map((f) => f.name)).toEqual(["requirements.yaml", "requirements.lock"]);
    expectHelmLock(after(plan, "requirements.yaml"), after(plan, "requirements.lock"), "helm2");
  });
});

describe("planChartEdits — bringing a dependency back", () => {
  it("puts the entry back as it was (alias, condition, tags, import-values, its comment) after the service before it, re-indented", () => {
    const chartLock = helmLock(HEAD_CHART, HEAD_ENTRIES);
    const plan = planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], { restore: [restoreSearch], now: NOW });
    expect(after(plan, "Chart.yaml")).toBe(
      HEAD_CHART.replace(
        "    repository: https://charts.example.com/stable\n\n  # Added",
        `    repository: https://charts.example.com/stable

  # Old search, replaced later
  - name: search-engine
    alias: search
    version: ~1.8.0
    repository: "@stable"
    condition: search.enabled
    tags:
      - backend
    import-values:
      - child: exports.data
        parent: searchData

  # Added`,
      ),
    );
    const lock = after(plan, "Chart.lock");
    // The lock entry of that commit, at the same position as the entry in Chart.yaml.
    expect(lock).toContain(
      "  version: 4.2.0\n- name: search-engine\n  repository: https://charts.example.com/stable\n  version: 1.8.3\n- name: mailer\n",
    );
    expectHelmLock(after(plan, "Chart.yaml"), lock);
    const search = readUmbrellaChart({ chartYaml: after(plan, "Chart.yaml"), chartLock: lock }).dependencies.find((d) => d.service === "search");
    expect(search).toMatchObject({ chart: "search-engine", constraint: "~1.8.0", lockedVersion: "1.8.3", condition: "search.enabled", tags: ["backend"] });
    expect(plan.notes).toEqual([]);
  });

  it("removes, brings back and changes versions in one plan", () => {
    const chartLock = helmLock(HEAD_CHART, HEAD_ENTRIES);
    const plan = planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [{ service: "orders", to: "1.9.0" }], {
      remove: ["mailer"],
      restore: [restoreSearch],
      now: NOW,
    });
    const chart = readUmbrellaChart({ chartYaml: after(plan, "Chart.yaml"), chartLock: after(plan, "Chart.lock") });
    expect(chart.dependencies.map((d) => [d.service, d.lockedVersion])).toEqual([
      ["storefront", "4.2.0"],
      ["search", "1.8.3"],
      ["orders", "1.9.0"],
    ]);
    expectHelmLock(after(plan, "Chart.yaml"), after(plan, "Chart.lock"));
  });

  it("inserts into a flow-style list as a flow entry", () => {
    const chartYaml = `apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies: [{name: storefront, version: 4.2.0, repository: "https://charts.example.com/stable"}, {name: orders, version: 2.0.0, repository: "https://charts.example.com/stable"}]\n`;
    const plan = planChartEdits({ chartYaml }, [], { restore: [{ ...restoreSearch, source: { chartYaml: TARGET_CHART } }] });
    expect(after(plan, "Chart.yaml")).toBe(
      chartYaml.replace(
        `, {name: orders`,
        `, {name: search-engine, alias: search, version: 1.8.3, repository: "@stable", condition: search.enabled, tags: [backend], import-values: [{child: exports.data, parent: searchData}]}, {name: orders`,
      ),
    );
    // No lock then or now: the range ~1.8.0 would let 1.8.3 drift, so the version is pinned, and the note says so.
    expect(plan.notes).toEqual([`search: "~1.8.0" is a range with nothing locking it; it becomes 1.8.3 so that exactly 1.8.3 runs`]);
  });

  it("copies a flow entry of the earlier commit into a block list", () => {
    const source = { chartYaml: `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies: [{name: legacy, version: '2.0.0', repository: "https://c.example.com"}]\n` };
    const chartYaml = `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n  - name: a\n    version: 1.0.0\n    repository: https://c.example.com\n`;
    const plan = planChartEdits({ chartYaml }, [], { restore: [{ service: "legacy", version: "2.0.0", source, sourceLabel: "abc" }] });
    expect(after(plan, "Chart.yaml")).toBe(chartYaml.replace("dependencies:\n", `dependencies:\n  - {name: legacy, version: '2.0.0', repository: "https://c.example.com"}\n`));
  });

  it("keeps CRLF line endings when the earlier commit had LF", () => {
    const chartYaml = HEAD_CHART.replaceAll("\n", "\r\n");
    const chartLock = helmLock(chartYaml, HEAD_ENTRIES, { eol: "\r\n" });
    const plan = planChartEdits({ chartYaml, chartLock }, [], { restore: [restoreSearch], now: NOW });
    for (const file of plan.files) expect(file.after.replace(/\r\n/g, "")).not.toContain("\n");
    expectHelmLock(after(plan, "Chart.yaml"), after(plan, "Chart.lock"));
  });

  it("writes a lock entry when the earlier commit pinned the version exactly but had no lock", () => {
    const source = { chartYaml: `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n- name: legacy\n  version: 0.9.0\n  repository: https://c.example.com\n` };
    const chartYaml = `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n- name: a\n  version: 1.0.0\n  repository: https://c.example.com\n`;
    const chartLock = helmLock(chartYaml, [["a", "https://c.example.com", "1.0.0"]]);
    const plan = planChartEdits({ chartYaml, chartLock }, [], { restore: [{ service: "legacy", version: "0.9.0", source, sourceLabel: "abc" }], now: NOW });
    expect(after(plan, "Chart.lock")).toMatch(/^dependencies:\n- name: legacy\n  repository: https:\/\/c.example.com\n  version: 0.9.0\n- name: a\n/);
    expect(plan.notes).toEqual(["legacy: abc had no Chart.lock entry for it; one is written for 0.9.0 from its repository"]);
    expectHelmLock(after(plan, "Chart.yaml"), after(plan, "Chart.lock"));
  });

  it("brings a Helm 2 entry back into requirements.yaml and requirements.lock", () => {
    const v1 = "apiVersion: v1\nname: stack\nversion: 1.0.0\n";
    const requirementsYaml = `dependencies:\n- name: b\n  version: 2.0.0\n  repository: https://c.example.com\n`;
    const requirementsLock = helmLock(requirementsYaml, [["b", "https://c.example.com", "2.0.0"]], { scheme: "helm2" });
    const sourceYaml = `dependencies:\n- name: a\n  version: 1.0.0\n  repository: https://c.example.com\n- name: b\n  version: 2.0.0\n  repository: https://c.example.com\n`;
    const source = { chartYaml: v1, requirementsYaml: sourceYaml, requirementsLock: helmLock(sourceYaml, [["a", "https://c.example.com", "1.0.0"], ["b", "https://c.example.com", "2.0.0"]], { scheme: "helm2" }) };
    const plan = planChartEdits(files(requirementsYaml, requirementsLock, "helm2"), [], { restore: [{ service: "a", version: "1.0.0", source, sourceLabel: "abc" }], now: NOW });
    expect(after(plan, "requirements.yaml")).toBe(sourceYaml);
    expectHelmLock(after(plan, "requirements.yaml"), after(plan, "requirements.lock"), "helm2");
  });

  it("brings an entry back into an empty list", () => {
    const chartYaml = "apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies: [] # none yet\n";
    const source = { chartYaml: `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n  - name: a\n    version: 1.0.0\n    repository: https://c.example.com\n` };
    const plan = planChartEdits({ chartYaml }, [], { restore: [{ service: "a", version: "1.0.0", source, sourceLabel: "abc" }] });
    expect(after(plan, "Chart.yaml")).toBe("apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies: # none yet\n  - name: a\n    version: 1.0.0\n    repository: https://c.example.com\n");
  });
});

describe("planChartEdits — what it refuses about entries", () => {
  const chartLock = helmLock(HEAD_CHART, HEAD_ENTRIES);
  it.each([
    ["an unknown service to remove", { remove: ["nope"] }, /has no dependency "nope" to remove; its services are: storefront, mailer, orders/],
    ["bringing back a service that is there", { restore: [{ ...restoreSearch, service: "orders", version: "1.9.0" }] }, /orders is already a dependency/],
    ["bringing back a service the commit did not have", { restore: [{ ...restoreSearch, service: "ghost" }] }, /ghost is not a dependency at a1b2c3d4/],
    ["one service removed twice", { remove: ["mailer", "mailer"] }, /"mailer" appears more than once/],
  ])("refuses %s", (_case, options, message) => {
    expect(() => planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], options)).toThrow(ChartEditError);
    expect(() => planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [], options)).toThrow(message);
  });

  it("refuses to remove and change the same service", () => {
    expect(() => planChartEdits({ chartYaml: HEAD_CHART, chartLock }, [{ service: "mailer", to: "0.3.2" }], { remove: ["mailer"] })).toThrow(
      /mailer cannot both change version and be removed/,
    );
  });

  it("refuses to remove an entry whose anchor another entry uses", () => {
    const chartYaml = `apiVersion: v2\nname: s\nversion: 1.0.0\ndependencies:\n  - name: a\n    version: 1.0.0\n    repository: &repo https://c.example.com\n  - name: b\n    version: 1.0.0\n    repository: *repo\n`;
    expect(() => planChartEdits({ chartYaml }, [], { remove: ["a"] })).toThrow(/holds the anchor &repo/);
  });
});
