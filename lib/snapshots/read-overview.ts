import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { allows } from "@/lib/auth/policy";
import { readDiscoveryStatus } from "@/lib/config/discover-environments";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import type { RefreshInfo } from "./dashboard-types";
import { type OverviewFilters, type OverviewMatrix, filterOverview } from "./filter-overview";
import { readSnapshotData } from "./read-snapshot-data";
import { summarizeEnvironments, toServiceCell } from "./summarize-environments";

export interface Overview extends OverviewMatrix {
  groupOptions: { dimension: string; value: string }[];
  serviceOptions: string[];
  lastRefresh?: RefreshInfo;
  registryErrors: { registry: string; error: string }[];
  /** Release files (slipway.yaml `discover:`) that could not be read, or had entries skipped: admins only. */
  discoveryProblems: { source: string; error?: string; problems: string[] }[];
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
    discoveryProblems: await readDiscoveryProblems(viewer),
  };
}

/** Only an admin can fix a release file, and its errors name repositories: others see the environments it gave. */
async function readDiscoveryProblems(viewer: Viewer): Promise<Overview["discoveryProblems"]> {
  const { config } = getWorkspace();
  if (config.discover.length === 0) return [];
  if (!allows(viewer.principal, "audit.view", { type: "workspace", environments: viewer.environments }, viewer.access)) return [];
  return (await readDiscoveryStatus(getDb(), config))
    .filter((status) => status.error || status.problems.length > 0)
    .map(({ source, error, problems }) => ({ source, ...(error ? { error } : {}), problems }));
}

function uniqueGroups(groups: Record<string, string>[]): { dimension: string; value: string }[] {
  const seen = new Map<string, { dimension: string; value: string }>();
  for (const g of groups) {
    for (const [dimension, value] of Object.entries(g)) seen.set(`${dimension}:${value}`, { dimension, value });
  }
  return [...seen.values()];
}
