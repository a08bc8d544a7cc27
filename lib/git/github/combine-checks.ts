/**
 * What GitHub says about a commit's CI, in one answer. GitHub reports CI two ways that a repository may mix: commit
 * statuses (the older API: Jenkins, CircleCI, external services; the combined status endpoint gives the latest per
 * context) and check runs (GitHub Actions and Apps; the latest per name). Slipway merges only on "passing", or on
 * "none" when nothing reports at all — as GitHub's own auto-merge does when branch protection requires no check (make
 * a check required in branch protection to have GitHub refuse such a merge).
 */
export interface ChecksSummary {
  state: "passing" | "pending" | "failing" | "none";
  /** Status contexts and check run names still running (or queued), sorted. */
  pending: string[];
  /** Those that failed (or errored, were cancelled, timed out, need action), sorted. */
  failing: string[];
}

/** One commit status, as the combined status endpoint lists it: its state is error, failure, pending or success. */
export interface CommitStatusInput {
  context: string;
  state: string;
}

/** One check run: status queued, in_progress, waiting, requested, pending or completed; conclusion once completed. */
export interface CheckRunInput {
  name: string;
  status: string;
  conclusion: string | null;
}

/** Conclusions that let a merge through: GitHub's own branch protection treats these three as passing. */
const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

/**
 * Combines the commit's statuses and check runs. Failing wins over pending (a failed check will not turn green by
 * waiting), pending over passing. GitHub's combined `state` is not used: it says "pending" for a commit with no
 * status at all, which would read as "wait forever" for a repository whose CI only uses check runs.
 */
export function combineChecks(statuses: readonly CommitStatusInput[], checkRuns: readonly CheckRunInput[]): ChecksSummary {
  const pending = new Set<string>();
  const failing = new Set<string>();
  for (const status of statuses) {
    if (status.state === "pending") pending.add(status.context);
    else if (status.state !== "success") failing.add(status.context);
  }
  for (const run of checkRuns) {
    if (run.status !== "completed") pending.add(run.name);
    else if (!PASSING_CONCLUSIONS.has(run.conclusion ?? "")) failing.add(run.name);
  }
  const sorted = (names: Set<string>) => [...names].sort((a, b) => a.localeCompare(b));
  const state = failing.size > 0 ? "failing" : pending.size > 0 ? "pending" : statuses.length + checkRuns.length === 0 ? "none" : "passing";
  return { state, pending: sorted(pending), failing: sorted(failing) };
}

/** "waiting for checks: 2 pending (build, lint)", "checks failed: e2e", "checks passed", "no checks reported". */
export function describeChecks(checks: ChecksSummary): string {
  switch (checks.state) {
    case "failing":
      return `checks failed: ${checks.failing.join(", ")}`;
    case "pending":
      return `waiting for checks: ${checks.pending.length} pending (${checks.pending.join(", ")})`;
    case "passing":
      return "checks passed";
    case "none":
      return "no checks reported";
  }
}
