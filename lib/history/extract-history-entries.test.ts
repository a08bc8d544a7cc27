import { describe, expect, it } from "vitest";
import type { StackFiles } from "@/lib/charts/types";
import type { GitCommit } from "@/lib/git/git-provider";
import { extractHistoryEntries } from "./extract-history-entries";
import type { StackState } from "./history-types";
import { parseChangeReference } from "./parse-change-reference";
import { readStackState } from "./read-stack-state";

interface Dep {
  name: string;
  alias?: string;
  version: string;
  /** Lock entry version; absent = not locked. */
  locked?: string;
}

const REPO = "https://charts.example.com";

function dependencyList(deps: Dep[]): string {
  return deps
    .map((d) => [`  - name: ${d.name}`, ...(d.alias ? [`    alias: ${d.alias}`] : []), `    version: "${d.version}"`, `    repository: ${REPO}`].join("\n"))
    .join("\n");
}

function lock(deps: Dep[]): string | undefined {
  const locked = deps.filter((d) => d.locked);
  if (locked.length === 0) return undefined;
  const entries = locked.map((d) => `- name: ${d.name}\n  repository: ${REPO}\n  version: ${d.locked}`).join("\n");
  return `dependencies:\n${entries}\ndigest: sha256:0000\ngenerated: "2026-01-01T00:00:00Z"\n`;
}

/** Helm 3: dependencies in Chart.yaml, Chart.lock. */
function helm3(deps: Dep[]): StackFiles {
  return { chartYaml: `apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n${dependencyList(deps)}\n`, chartLock: lock(deps) };
}

/** Helm 2: apiVersion v1 Chart.yaml, requirements.yaml and requirements.lock. */
function helm2(deps: Dep[]): StackFiles {
  return {
    chartYaml: "apiVersion: v1\nname: legacy\nversion: 0.9.0\n",
    requirementsYaml: `dependencies:\n${dependencyList(deps)}\n`,
    requirementsLock: lock(deps),
  };
}

let clock = Date.parse("2026-03-01T10:00:00Z");
function commit(subject: string, options: { merge?: boolean } = {}): GitCommit {
  clock += 3_600_000;
  const sha = `${(clock / 1000).toString(16)}`.padStart(40, "0");
  return {
    sha,
    subject,
    message: subject,
    authorName: "Dana",
    authorEmail: "dana@example.com",
    date: new Date(clock),
    parents: options.merge ? ["p1".padEnd(40, "0"), "p2".padEnd(40, "0")] : ["p1".padEnd(40, "0")],
  };
}

/** Commits oldest first, as a story reads; extraction takes them newest first. */
function history(before: StackState, steps: [GitCommit, StackFiles | StackState][]) {
  const commits = steps.map(([c, files]) => ({ commit: c, state: "kind" in files ? (files as StackState) : readStackState(files as StackFiles) }));
  return extractHistoryEntries([...commits].reverse(), before);
}

const ABSENT: StackState = { kind: "absent" };

describe("extractHistoryEntries", () => {
  it("turns merge and squash commits of a Helm 3 stack into entries, newest first, with their pull requests", () => {
    const created = commit("Add the shop environment");
    const merged = commit("Merge pull request #12 from acme/upgrade-orders", { merge: true });
    const squashed = commit("Upgrade payments to 2.1.0 and orders to 1.5.0 (#13)");
    const entries = history(ABSENT, [
      [created, helm3([{ name: "orders", version: "1.2.0" }, { name: "payments", version: "2.0.0" }])],
      [merged, helm3([{ name: "orders", version: "1.4.0" }, { name: "payments", version: "2.0.0" }])],
      [squashed, helm3([{ name: "orders", version: "1.5.0" }, { name: "payments", version: "2.1.0" }])],
    ]);
    expect(entries.map((e) => e.sha)).toEqual([squashed.sha, merged.sha, created.sha]);
    expect(entries[0]).toMatchObject({
      kind: "changed",
      merge: false,
      pullRequest: 13,
      subject: squashed.subject,
      authorName: "Dana",
      changes: [
        { service: "orders", chart: "orders", kind: "changed", from: "1.4.0", to: "1.5.0" },
        { service: "payments", chart: "payments", kind: "changed", from: "2.0.0", to: "2.1.0" },
      ],
    });
    expect(entries[1]).toMatchObject({ merge: true, pullRequest: 12, changes: [{ service: "orders", from: "1.2.0", to: "1.4.0" }] });
    expect(entries[2]!.changes).toEqual([
      { service: "orders", chart: "orders", kind: "added", from: null, to: "1.2.0" },
      { service: "payments", chart: "payments", kind: "added", from: null, to: "2.0.0" },
    ]);
    expect(entries[2]!.pullRequest).toBeUndefined();
  });

  it("reads Helm 2 stacks: requirements.yaml with requirements.lock", () => {
    const entries = history(readStackState(helm2([{ name: "billing", version: "~3.1.0", locked: "3.1.2" }])), [
      [commit("Lock billing 3.1.4"), helm2([{ name: "billing", version: "~3.1.0", locked: "3.1.4" }])],
      [commit("Refresh the lock digest only"), helm2([{ name: "billing", version: "~3.1.0", locked: "3.1.4" }])],
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.changes).toEqual([{ service: "billing", chart: "billing", kind: "changed", from: "3.1.2", to: "3.1.4" }]);
  });

  it("takes a range's version from the lock, and the range as written when nothing locks it", () => {
    const entries = history(readStackState(helm3([{ name: "search", version: "^4.0.0", locked: "4.0.1" }])), [
      // The range moves but the lock still says 4.0.1: nothing that runs changed.
      [commit("Widen the search range"), helm3([{ name: "search", version: ">=4.0.0 <6.0.0", locked: "4.0.1" }])],
      [commit("Lock search 4.2.0"), helm3([{ name: "search", version: ">=4.0.0 <6.0.0", locked: "4.2.0" }])],
      [commit("Drop the lock"), helm3([{ name: "search", version: "^5.0.0" }])],
    ]);
    expect(entries.map((e) => e.subject)).toEqual(["Drop the lock", "Lock search 4.2.0"]);
    expect(entries[1]!.changes[0]).toMatchObject({ from: "4.0.1", to: "4.2.0" });
    expect(entries[0]!.changes[0]).toMatchObject({ from: "4.2.0", to: "^5.0.0" });
  });

  it("names services by alias: two aliases of one chart are two services", () => {
    const before = readStackState(helm3([
      { name: "redis", alias: "sessions", version: "18.6.1" },
      { name: "redis", alias: "queue", version: "17.15.6" },
    ]));
    const entries = history(before, [
      [commit("Upgrade the queue's redis (#40)"), helm3([
        { name: "redis", alias: "sessions", version: "18.6.1" },
        { name: "redis", alias: "queue", version: "18.6.1" },
      ])],
    ]);
    expect(entries[0]!.changes).toEqual([{ service: "queue", chart: "redis", kind: "changed", from: "17.15.6", to: "18.6.1" }]);
  });

  it("shows a renamed service (new alias, same chart) as the old name removed and the new one added", () => {
    const entries = history(readStackState(helm3([{ name: "orders", alias: "orders-api", version: "1.2.0" }])), [
      [commit("Rename orders-api to orders"), helm3([{ name: "orders", alias: "orders", version: "1.2.0" }])],
    ]);
    expect(entries[0]!.changes).toEqual([
      { service: "orders", chart: "orders", kind: "added", from: null, to: "1.2.0" },
      { service: "orders-api", chart: "orders", kind: "removed", from: "1.2.0", to: null },
    ]);
  });

  it("records a commit whose chart cannot be read, and the one that makes it readable again", () => {
    const good = helm3([{ name: "orders", version: "1.2.0" }]);
    const entries = history(readStackState(good), [
      [commit("Break the chart"), { chartYaml: "apiVersion: v2\nname: [unclosed\n" }],
      [commit("Still broken, differently"), { chartYaml: "- just\n- a list\n" }],
      [commit("Fix the chart and upgrade orders"), helm3([{ name: "orders", version: "1.3.0" }])],
      [commit("Upgrade orders to 1.4.0"), helm3([{ name: "orders", version: "1.4.0" }])],
    ]);
    expect(entries.map((e) => [e.subject, e.kind])).toEqual([
      ["Upgrade orders to 1.4.0", "changed"],
      ["Fix the chart and upgrade orders", "readable"],
      ["Break the chart", "unreadable"],
    ]);
    expect(entries[2]!.error).toMatch(/Chart\.yaml/);
    expect(entries[2]!.changes).toEqual([]);
    expect(entries[0]!.changes).toEqual([{ service: "orders", chart: "orders", kind: "changed", from: "1.3.0", to: "1.4.0" }]);
  });

  it("leaves out commits that change nothing pinned, and records a chart removed as every service removed", () => {
    const chart = helm3([{ name: "orders", version: "1.2.0" }]);
    const entries = history(readStackState(chart), [
      [commit("Bump the umbrella chart's own version"), { ...chart, chartYaml: chart.chartYaml!.replace("version: 1.0.0", "version: 1.0.1") }],
      [commit("Tidy comments"), { ...chart, chartYaml: `# stack\n${chart.chartYaml}` }],
      [commit("Retire the environment"), ABSENT],
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ subject: "Retire the environment", changes: [{ service: "orders", kind: "removed", from: "1.2.0", to: null }] });
  });
});

describe("parseChangeReference", () => {
  it.each([
    ["Merge pull request #12 from acme/upgrade-orders", { pullRequest: 12 }],
    ["Upgrade orders to 1.4.0 (#13)", { pullRequest: 13 }],
    ["Upgrade orders to 1.4.0 (#13)  ", { pullRequest: 13 }],
    ["Merge change request #7: Upgrade orders to 1.4.0", { changeRequest: 7 }],
    ["Fix #12 in orders", {}],
    ["Upgrade (#99999999999)", {}],
    ["Merge pull request #0 from x/y", {}],
  ])("%s", (subject, expected) => {
    expect(parseChangeReference(subject)).toEqual(expected);
  });
});
