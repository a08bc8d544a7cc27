import type { GitCommit } from "../git-provider";

/**
 * GitHub's REST API has no `git log --first-parent`: "list commits" returns everything reachable from a ref (merged
 * branches included) in git log order. We rebuild the first-parent chain from the listing's parent links: start at the
 * head (always the first commit listed) and follow `parents[0]` through the commits fetched so far.
 *
 * The approximation: the chain is exact as far as it reaches inside the fetched window. The caller fetches more pages
 * while the chain runs off the end of the window (`needsMore`).
 */
export function walkFirstParents(
  commits: ReadonlyMap<string, GitCommit>,
  head: string,
  limit: number,
): { chain: GitCommit[]; needsMore: boolean } {
  const chain: GitCommit[] = [];
  let sha: string | undefined = head;
  while (sha && chain.length < limit) {
    const commit = commits.get(sha);
    if (!commit) return { chain, needsMore: true };
    chain.push(commit);
    sha = commit.parents[0];
  }
  return { chain, needsMore: false };
}

/**
 * `git log --first-parent -- path` keeps the chain commits whose change against their first parent touches `path`.
 * GitHub's path filter cannot say that about a merge (git's default history simplification drops a merge that takes
 * the path unchanged from its second parent), so we attribute every fetched commit to the chain commit that brought it
 * in — the chain commit itself, or the merge whose second-side history first reaches it — and keep the chain commits
 * that brought in at least one commit of the path-filtered listing (`touching`).
 *
 * Approximation: attribution only sees fetched commits. A merged branch forked from history older than the window is
 * attributed to the oldest merge that reaches it inside the window, which is the right one unless an older merge beyond
 * the window reached it first.
 */
export function chainTouchingPath(
  chain: readonly GitCommit[],
  commits: ReadonlyMap<string, GitCommit>,
  touching: ReadonlySet<string>,
): GitCommit[] {
  const onChain = new Set(chain.map((commit) => commit.sha));
  const seen = new Set<string>();
  const kept = new Set<string>();
  // Oldest first, so a commit reachable from an older merge is credited to that merge, not to a later one.
  for (const link of [...chain].reverse()) {
    let brought = touching.has(link.sha);
    const queue = link.parents.slice(1);
    while (queue.length > 0) {
      const sha = queue.pop()!;
      if (onChain.has(sha) || seen.has(sha)) continue;
      seen.add(sha);
      if (touching.has(sha)) brought = true;
      const commit = commits.get(sha);
      if (commit) queue.push(...commit.parents);
    }
    if (brought) kept.add(link.sha);
  }
  return chain.filter((commit) => kept.has(commit.sha));
}

/** `chain` up to and including `until`, or undefined when `until` is not on it. */
export function chainUntil(chain: readonly GitCommit[], until: string | undefined): GitCommit[] | undefined {
  if (!until) return undefined;
  const at = chain.findIndex((commit) => commit.sha === until);
  return at < 0 ? undefined : chain.slice(0, at + 1);
}

/** The newest commits from a head as a prefetch read them (lib/git/github/branch-prefetch.ts). */
export interface HistoryWindow {
  commits: readonly GitCommit[];
  /** The window holds the whole history of its head. */
  complete: boolean;
  /** The window's commits touching the path listHistory filters by, when it does. */
  touching?: { shas: readonly string[]; complete: boolean };
}

/**
 * listHistory's first-parent answer from a window alone, or undefined when the window cannot say it (then REST lists,
 * from the start). Without a path: the chain up to `limit` or `until` while it stays inside the window, or all of it
 * when the window is the whole history. With a path, the listing of touching commits must be complete, and the
 * window must be too, or reach `until` along the chain — attribution then sees what REST's would: the fetched commits.
 */
export function firstParentsFromWindow(window: HistoryWindow, head: string, limit: number, until?: string): GitCommit[] | undefined {
  const commits = new Map(window.commits.map((commit) => [commit.sha, commit]));
  if (!commits.has(head)) return undefined;
  const { chain, needsMore } = walkFirstParents(commits, head, window.touching ? Number.POSITIVE_INFINITY : limit);
  // The chain ran off the end of a window cut short: only what the window does hold can answer.
  const cutShort = needsMore && !window.complete;
  if (!window.touching) return chainUntil(chain, until) ?? (cutShort ? undefined : chain);
  if (!window.touching.complete) return undefined;
  const all = chainTouchingPath(chain, commits, new Set(window.touching.shas));
  const kept = all.slice(0, limit);
  // Inside a window cut short, as REST does: enough once more than `limit` are kept (the edge is past them).
  return chainUntil(kept, until) ?? (cutShort && all.length <= limit ? undefined : kept);
}
