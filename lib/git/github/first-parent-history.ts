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
