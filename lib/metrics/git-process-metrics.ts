import { Counter } from "prom-client";
import { sharedMetric } from "./metrics-registry";

export const GIT_PROCESSES_METRIC = "slipway_git_processes_total";

/**
 * Git processes started, by git command (`log`, `cat-file`, `fetch`, …: Slipway's own argument, never a repository's
 * text). Each costs the process that starts it ~5-25 ms of its event loop (fork copies its page tables), so a refresh
 * that finds nothing changed should start almost none.
 */
export function gitProcessesCounter(): Counter<"command"> {
  return sharedMetric(
    GIT_PROCESSES_METRIC,
    (registry) =>
      new Counter({
        name: GIT_PROCESSES_METRIC,
        help: "git processes started, by git command.",
        labelNames: ["command"] as const,
        registers: [registry],
      }),
  );
}
