import type { GitProvider } from "@/lib/git/git-provider";

export interface GitCost {
  /** Calls per port method during the measured span. */
  calls: Record<string, number>;
  /** Time spent inside git calls, summed over concurrent calls (so it can exceed the wall time). */
  busyMs: number;
}

/**
 * Wraps a git provider to count what a refresh asks of git. The local adapter runs one git process per call,
 * so calls are also the number of processes spawned.
 */
export function countGitCalls(inner: GitProvider): { git: GitProvider; take: () => GitCost } {
  let cost: GitCost = { calls: {}, busyMs: 0 };
  function timed<A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      cost.calls[name] = (cost.calls[name] ?? 0) + 1;
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        cost.busyMs += performance.now() - started;
      }
    };
  }
  const git: GitProvider = {
    kind: inner.kind,
    branchHead: timed("branchHead", (repo: string, branch: string) => inner.branchHead(repo, branch)),
    readFiles: timed("readFiles", (repo: string, sha: string, paths: string[]) => inner.readFiles(repo, sha, paths)),
    listHistory: timed("listHistory", (repo: string, ref: string, options?: Parameters<GitProvider["listHistory"]>[2]) =>
      inner.listHistory(repo, ref, options),
    ),
    listTags: timed("listTags", (repo: string) => inner.listTags(repo)),
  };
  return {
    git,
    take: () => {
      const taken = cost;
      cost = { calls: {}, busyMs: 0 };
      return taken;
    },
  };
}
