import "server-only";
import { randomUUID } from "node:crypto";
import type { Viewer } from "@/lib/auth/authorize";
import { allows } from "@/lib/auth/policy";
import { readDiscoveryStatus } from "@/lib/config/discover-environments";
import { getWorkspace } from "@/lib/config/workspace";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { getDb } from "@/lib/db";
import type { RefreshInfo } from "./dashboard-types";
import { type CompactMatrix, encodeOverviewMatrix } from "./encode-overview-matrix";
import { type OverviewFilters, type OverviewMatrix, filterOverview } from "./filter-overview";
import { type SnapshotData, readSnapshotData } from "./read-snapshot-data";
import { summarizeEnvironments, toServiceCell } from "./summarize-environments";

export interface Overview extends OverviewMatrix {
  /** The matrix as the page sends it to the browser (lib/snapshots/encode-overview-matrix.ts). */
  compact: CompactMatrix;
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
  return {
    ...computeOverviewMatrix(data, viewer.environments, filters),
    lastRefresh: data.lastRefresh,
    registryErrors: data.registryErrors,
    discoveryProblems: await readDiscoveryProblems(viewer),
  };
}

type ComputedMatrix = OverviewMatrix & Pick<Overview, "compact" | "groupOptions" | "serviceOptions">;

/**
 * The overview changes only when a snapshot does: each snapshot state (readSnapshotData returns the same object until
 * one changes) keeps the matrices computed from it, per set of visible environments and filters, so ten people
 * looking at the same overview cost one computation (about 40 ms at 50 × 80) between two refreshes. A new state drops
 * the old one's matrices with it; a state keeps at most MAX_MATRICES_PER_STATE (the oldest goes first).
 */
const matrices = new WeakMap<SnapshotData, Map<string, ComputedMatrix>>();
const MAX_MATRICES_PER_STATE = 64;
/** Each computed matrix's id: this module's own prefix (the server may load it more than once) and a counter. */
const MATRIX_ID_PREFIX = randomUUID().slice(0, 8);
let matricesComputed = 0;

export function computeOverviewMatrix(data: SnapshotData, visibleEnvironments: EnvironmentConfig[], filters: OverviewFilters): ComputedMatrix {
  // Every field of slipway.yaml the matrix shows (summarizeEnvironments): a reloaded configuration is a new key.
  const environments = visibleEnvironments.map((e) => [e.name, e.groups, e.url, e.branch, e.repo]);
  const key = JSON.stringify([environments, filters.group, filters.services, filters.onlyBehind]);
  let computed = matrices.get(data);
  if (!computed) matrices.set(data, (computed = new Map()));
  const known = computed.get(key);
  if (known) return known;

  const visible = new Set(visibleEnvironments.map((e) => e.name));
  const rows = data.rows.filter((row) => visible.has(row.environment));
  const summaries = summarizeEnvironments(visibleEnvironments, data.snapshots, rows);
  const matrix = filterOverview(
    summaries,
    rows.map((row) => ({ environment: row.environment, cell: toServiceCell(row) })),
    filters,
  );
  const result: ComputedMatrix = {
    ...matrix,
    compact: { ...encodeOverviewMatrix(matrix), id: `${MATRIX_ID_PREFIX}-${++matricesComputed}` },
    groupOptions: uniqueGroups(visibleEnvironments.map((e) => e.groups)),
    serviceOptions: [...new Set(rows.map((r) => r.service))].sort(),
  };
  if (computed.size >= MAX_MATRICES_PER_STATE) computed.delete(computed.keys().next().value!);
  computed.set(key, result);
  return result;
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
