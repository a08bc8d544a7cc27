import { describe, expect, it } from "vitest";
import { combineChecks, describeChecks } from "./combine-checks";

const status = (context: string, state: string) => ({ context, state });
const run = (name: string, status: string, conclusion: string | null = null) => ({ name, status, conclusion });

describe("combineChecks", () => {
  it("passes when every status succeeded and every check run completed with success, neutral or skipped", () => {
    const checks = combineChecks([status("ci/jenkins", "success")], [run("build", "completed", "success"), run("lint", "completed", "neutral"), run("docs", "completed", "skipped")]);
    expect(checks).toEqual({ state: "passing", pending: [], failing: [] });
    expect(describeChecks(checks)).toBe("checks passed");
  });

  it("passes on check runs alone: no statuses is not 'pending' (GitHub's combined state would say so)", () => {
    expect(combineChecks([], [run("build", "completed", "success")]).state).toBe("passing");
    expect(combineChecks([status("ci", "success")], []).state).toBe("passing");
  });

  it("says 'none' when nothing reports at all", () => {
    const checks = combineChecks([], []);
    expect(checks).toEqual({ state: "none", pending: [], failing: [] });
    expect(describeChecks(checks)).toBe("no checks reported");
  });

  it("waits for queued, running and pending ones, named", () => {
    const checks = combineChecks(
      [status("ci/jenkins", "pending"), status("deploy-preview", "success")],
      [run("build", "in_progress"), run("lint", "queued"), run("test", "completed", "success")],
    );
    expect(checks).toEqual({ state: "pending", pending: ["build", "ci/jenkins", "lint"], failing: [] });
    expect(describeChecks(checks)).toBe("waiting for checks: 3 pending (build, ci/jenkins, lint)");
  });

  it("fails on any failed, errored, cancelled, timed out or action-required one, even while others still run", () => {
    const checks = combineChecks(
      [status("ci/jenkins", "error"), status("security", "failure")],
      [
        run("build", "in_progress"),
        run("e2e", "completed", "failure"),
        run("flaky", "completed", "cancelled"),
        run("slow", "completed", "timed_out"),
        run("manual", "completed", "action_required"),
        run("old", "completed", "stale"),
      ],
    );
    expect(checks.state).toBe("failing");
    expect(checks.failing).toEqual(["ci/jenkins", "e2e", "flaky", "manual", "old", "security", "slow"]);
    expect(checks.pending).toEqual(["build"]);
    expect(describeChecks(checks)).toBe("checks failed: ci/jenkins, e2e, flaky, manual, old, security, slow");
  });

  it("names a context reported twice once", () => {
    expect(combineChecks([status("ci", "failure")], [run("ci", "completed", "failure")]).failing).toEqual(["ci"]);
  });
});
