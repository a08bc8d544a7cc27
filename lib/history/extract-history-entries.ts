import type { GitCommit } from "@/lib/git/git-provider";
import { diffPinnedVersions } from "./diff-pinned-versions";
import type { HistoryEntry, StackState, VersionChange } from "./history-types";
import { parseChangeReference } from "./parse-change-reference";

export interface CommitWithState {
  commit: GitCommit;
  /** The stack as this commit leaves it. */
  state: StackState;
}

const NOTHING = new Map();

/**
 * The history entries of a run of consecutive commits of the first-parent chain that touch the stack, newest first.
 * `before` is the stack at the oldest commit's first parent (absent for a root commit). Each commit is compared with
 * the one before it in the run, so the run must hold every commit in between that touched the stack folder: commits
 * that did not touch it change nothing and may be left out.
 *
 * A commit becomes an entry when it changes at least one pinned version (a service added or removed counts), when
 * the chart becomes unreadable, or when it becomes readable again. Anything else (values.yaml, a comment, the chart's
 * own version) is not a release and is left out.
 */
export function extractHistoryEntries(commits: readonly CommitWithState[], before: StackState): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let previous = before;
  for (let i = commits.length - 1; i >= 0; i--) {
    const { commit, state } = commits[i]!;
    const entry = compareStates(previous, state);
    if (entry) entries.push({ ...describeCommit(commit), ...entry });
    previous = state;
  }
  return entries.reverse();
}

function compareStates(
  previous: StackState,
  next: StackState,
): Pick<HistoryEntry, "kind" | "changes" | "error"> | undefined {
  if (next.kind === "unreadable") {
    return previous.kind === "unreadable" ? undefined : { kind: "unreadable", changes: [], error: next.error };
  }
  if (previous.kind === "unreadable") return { kind: "readable", changes: [] };
  const changes: VersionChange[] = diffPinnedVersions(versionsOf(previous), versionsOf(next));
  return changes.length > 0 ? { kind: "changed", changes } : undefined;
}

function versionsOf(state: Exclude<StackState, { kind: "unreadable" }>) {
  return state.kind === "pinned" ? state.versions : NOTHING;
}

function describeCommit(commit: GitCommit): Omit<HistoryEntry, "kind" | "changes" | "error"> {
  return {
    sha: commit.sha,
    date: commit.date,
    authorName: commit.authorName,
    authorEmail: commit.authorEmail,
    subject: commit.subject,
    merge: commit.parents.length > 1,
    ...parseChangeReference(commit.subject),
  };
}
