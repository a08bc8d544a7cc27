import { describe, expect, it } from "vitest";
import type { ChecksSummary } from "@/lib/git/github/combine-checks";
import { blockedByPullRequest, judgeAutoMerge, readAutoMergeStatus } from "./auto-merge-pull-request";

const RAISED = "a".repeat(40);
const pull = (overrides: Partial<{ headSha: string; mergeable: boolean | null }> = {}) => ({
  headSha: RAISED,
  headBranch: "slipway/upgrade-dev",
  baseBranch: "dev",
  mergeable: true as boolean | null,
  ...overrides,
});
const checks = (state: ChecksSummary["state"], pending: string[] = [], failing: string[] = []): ChecksSummary => ({ state, pending, failing });

describe("judgeAutoMerge", () => {
  it("merges on passing checks, or on none reported at all, when GitHub says it merges cleanly", () => {
    expect(judgeAutoMerge(pull(), RAISED, checks("passing"))).toEqual({ action: "merge", detail: "checks passed" });
    expect(judgeAutoMerge(pull(), RAISED, checks("none"))).toEqual({ action: "merge", detail: "no checks reported" });
  });

  it("waits for running checks, and for GitHub's mergeability", () => {
    expect(judgeAutoMerge(pull(), RAISED, checks("pending", ["build", "lint"]))).toEqual({ action: "wait", detail: "waiting for checks: 2 pending (build, lint)" });
    expect(judgeAutoMerge(pull({ mergeable: null }), RAISED, checks("passing"))).toEqual({
      action: "wait",
      detail: "waiting for GitHub to work out whether it merges cleanly into dev",
    });
  });

  it("stops on a failed check, naming it, even while others run", () => {
    expect(judgeAutoMerge(pull({ mergeable: null }), RAISED, checks("failing", ["lint"], ["e2e"]))).toEqual({
      action: "fail",
      detail: "checks failed: e2e; Slipway merges once they pass on a re-run",
    });
  });

  it("is blocked by a head that moved or a conflict, whatever the checks say", () => {
    const moved = judgeAutoMerge(pull({ headSha: "b".repeat(40) }), RAISED, checks("passing"));
    expect(moved.action).toBe("block");
    expect(moved.detail).toContain(`slipway/upgrade-dev now points at bbbbbbbbbb, not the commit Slipway raised (aaaaaaaaaa)`);
    expect(judgeAutoMerge(pull({ mergeable: false }), RAISED, checks("passing"))).toEqual({
      action: "block",
      detail: "it conflicts with dev: resolve the conflict on GitHub, or close it",
    });
    expect(blockedByPullRequest(pull(), RAISED)).toBeUndefined();
  });
});

describe("readAutoMergeStatus", () => {
  it("finds the auto-merge entry among the follow-ups, and nothing in anything else", () => {
    const status = { kind: "auto-merge", state: "waiting", detail: "x", headSha: RAISED, checkedAt: "2026-01-01T00:00:00.000Z" };
    expect(readAutoMergeStatus([{ kind: "reverse-promotion" }, status])).toEqual(status);
    expect(readAutoMergeStatus([{ kind: "reverse-promotion" }])).toBeUndefined();
    expect(readAutoMergeStatus(null)).toBeUndefined();
    expect(readAutoMergeStatus({ kind: "auto-merge" })).toBeUndefined();
  });
});
