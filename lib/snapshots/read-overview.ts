import "server-only";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import type { RefreshInfo } from "./dashboard-types";
import { type OverviewFilters, type OverviewMatrix, filterOverview } from "./filter-overview";
import { summarizeEnvironments, toServiceCell } from "./summarize-environments";

export interface Overview extends OverviewMatrix {
  groupOptions: { dimension: string; value: string }[];
  serviceOptions: string[];
  lastRefresh?: RefreshInfo;
  registryErrors: { registry: string; error: string }[];
}

/** Everything the overview page shows, from the snapshots only: one query per table, no git or registry calls. */
export async function readOverview(filters: OverviewFilters): Promise<Overview> {
  const { config } = getWorkspace();
  const db = getDb();
  const [snapshots, rows, lastRun, registries] = await Promise.all([
    db.environmentSnapshot.findMany(),
    db.serviceSnapshot.findMany({
      select: {
        environment: true, service: true, chart: true, running: true, latest: true, status: true,
        releasesBehind: true, step: true, daysBehind: true, badgeColor: true, badgeLabel: true,
        badgeLevel: true, unpinned: true, error: true,
      },
    }),
    db.refreshRun.findFirst({ orderBy: { id: "desc" } }),
    db.registrySnapshot.findMany({ where: { error: { not: null } } }),
  ]);

  const summaries = summarizeEnvironments(config.environments, snapshots, rows);
  const matrix = filterOverview(
    summaries,
    rows.map((row) => ({ environment: row.environment, cell: toServiceCell(row) })),
    filters,
  );
  const groupOptions = uniqueGroups(config.environments.map((e) => e.groups));
  return {
    ...matrix,
    groupOptions,
    serviceOptions: [...new Set(rows.map((r) => r.service))].sort(),
    lastRefresh: lastRun
      ? {
          startedAt: lastRun.startedAt.toISOString(),
          finishedAt: lastRun.finishedAt?.toISOString(),
          trigger: lastRun.trigger,
          failed: lastRun.failed,
          environments: lastRun.environments,
        }
      : undefined,
    registryErrors: registries.map((r) => ({ registry: r.registry, error: r.error ?? "" })),
  };
}

function uniqueGroups(groups: Record<string, string>[]): { dimension: string; value: string }[] {
  const seen = new Map<string, { dimension: string; value: string }>();
  for (const g of groups) {
    for (const [dimension, value] of Object.entries(g)) seen.set(`${dimension}:${value}`, { dimension, value });
  }
  return [...seen.values()];
}
