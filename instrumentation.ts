// Next.js calls register() once when a server instance starts: the refresher reads every stack on start.
export async function register() {
  // NEXT_RUNTIME is Next's own; Slipway's variables are read by lib/config/environment.ts.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { readEnvironment } = await import("@/lib/config/environment");
  const environment = readEnvironment();
  const { applyHeapGrowth } = await import("@/lib/heap-growth");
  applyHeapGrowth(environment.heapGrowthPercent);
  // Environments discovered from stack repositories before are there from the first page on, refresher or not.
  const { restoreDiscoveredEnvironments } = await import("@/lib/config/discover-environments");
  await restoreDiscoveredEnvironments();
  // On PostgreSQL every instance started with the refresher competes for its lead and only the leader refreshes
  // (lib/snapshots/refresher.ts); an instance started without it hands the refreshes it is asked for to the leader.
  if (environment.refreshOnStart) {
    const { startRefresher } = await import("@/lib/snapshots/refresher");
    startRefresher();
  }
  // Jira, Slack and Grafana calls of release requests run as stored jobs in this process (when any is configured).
  const { startJobRunner } = await import("@/lib/follow-through/start-job-runner");
  startJobRunner();
}
