import type { GitProvider } from "@/lib/git/git-provider";

export interface GitCost {
  /** Calls per port method during the measured span. */
  calls: Record<string, number>;
  /** Time spent inside git calls, summed over concurrent calls (so it can exceed the wall time). */
  busyMs: number;
}

/**
 * Wraps a git provider to count what a refresh asks of git. The local adapter runs one git process per call, so
 * calls are also the number of processes spawned. A Proxy rather than a hand-written wrapper, so that methods added
 * to the GitProvider port later are counted too and this file never needs to follow the port.
 */
export function countGitCalls(inner: GitProvider): { git: GitProvider; take: () => GitCost } {
  let cost: GitCost = { calls: {}, busyMs: 0 };
  const wrapped = new Map<PropertyKey, unknown>();
  const git = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (!wrapped.has(property)) {
        const name = String(property);
        wrapped.set(property, async (...args: unknown[]) => {
          cost.calls[name] = (cost.calls[name] ?? 0) + 1;
          const started = performance.now();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            cost.busyMs += performance.now() - started;
          }
        });
      }
      return wrapped.get(property);
    },
  });
  return {
    git,
    take: () => {
      const taken = cost;
      cost = { calls: {}, busyMs: 0 };
      return taken;
    },
  };
}
