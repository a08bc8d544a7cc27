import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import type { RefreshInfo } from "./dashboard-types";
import { type OverviewFilters, type OverviewMatrix, filterOverview } from "./filter-overview";
import { readSnapshotData } from "./read-snapshot-data";
import { summarizeEnvironments, toServiceCell } from "./summarize-environments";

export interface Overview extends OverviewMatrix {
  groupOptions: { dimension: string; value: string }[];
  serviceOptions: string[];
  lastRefresh?: RefreshInfo;
  registryErrors: { registry: string; error: string }[];
}

/** Everything the overview shows for this viewer, from the snapshots only: no git or registry calls. */
export async function readOverview(viewer: Viewer, filters: OverviewFilters): Promise<Overview> {
  const data = await readSnapshotData();
  const visible = new Set(viewer.environments.map((e) => e.name));
  const rows = data.rows.filter((row) => visible.has(row.environment));
  const summaries = summarizeEnvironments(viewer.environments, data.snapshots, rows);
  const matrix = filterOverview(
    summaries,
    rows.map((row) => ({ environment: row.environment, cell: toServiceCell(row) })),
    filters,
  );
  return {
    ...matrix,
    groupOptions: uniqueGroups(viewer.environments.map((e) => e.groups)),
    serviceOptions: [...new Set(rows.map((r) => r.service))].sort(),
    lastRefresh: data.lastRefresh,
    registryErrors: data.registryErrors,
  };
}

function uniqueGroups(groups: Record<string, string>[]): { dimension: string; value: string }[] {
  const seen = new Map<string, { dimension: string; value: string }>();
  for (const g of groups) {
    for (const [dimension, value] of Object.entries(g)) seen.set(`${dimension}:${value}`, { dimension, value });
  }
  return [...seen.values()];
}
