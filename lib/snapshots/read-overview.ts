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
 * The overview changes only when a snapshot's content does: the matrices computed from one content (SnapshotData's
 * contentKey), per set of visible environments and filters, are kept until it changes, so ten people looking at the
 * same overview cost one computation (about 40 ms at 50 × 80) between two changes, and a refresh that reads every
 * environment again and finds what it found before costs none. Only the environments' read times move then: they are
 * taken from the snapshot state at hand. A content keeps at most MAX_MATRICES_PER_CONTENT (the oldest goes first).
 */
let matrices: { contentKey: string; kept: Map<string, KeptMatrix> } = { contentKey: "", kept: new Map() };
const MAX_MATRICES_PER_CONTENT = 64;

/** A kept matrix, and the snapshot state whose read times it carries. */
interface KeptMatrix {
  matrix: ComputedMatrix;
  state: SnapshotData;
}
/** Each computed matrix's id: this module's own prefix (the server may load it more than once) and a counter. */
const MATRIX_ID_PREFIX = randomUUID().slice(0, 8);
let matricesComputed = 0;

export function computeOverviewMatrix(data: SnapshotData, visibleEnvironments: EnvironmentConfig[], filters: OverviewFilters): ComputedMatrix {
  // Every field of slipway.yaml the matrix shows (summarizeEnvironments): a reloaded configuration is a new key.
  const environments = visibleEnvironments.map((e) => [e.name, e.groups, e.url, e.branch, e.repo]);
  const key = JSON.stringify([environments, filters.group, filters.services, filters.onlyBehind]);
  if (matrices.contentKey !== data.contentKey) matrices = { contentKey: data.contentKey, kept: new Map() };
  const { kept } = matrices;
  const known = kept.get(key);
  if (known?.state === data) return known.matrix;
  if (known) {
    const matrix = withReadTimes(known.matrix, data);
    kept.set(key, { matrix, state: data });
    return matrix;
  }

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
  if (kept.size >= MAX_MATRICES_PER_CONTENT) kept.delete(kept.keys().next().value!);
  kept.set(key, { matrix: result, state: data });
  return result;
}

/** The same matrix with the environments' read times of `data`: all that moves while the content stays. */
function withReadTimes(matrix: ComputedMatrix, data: SnapshotData): ComputedMatrix {
  const times = new Map(data.snapshots.map((s) => [s.environment, s]));
  const environments = matrix.environments.map((env) => {
    const snapshot = times.get(env.name);
    return { ...env, refreshedAt: snapshot?.refreshedAt.toISOString(), lastSuccessAt: snapshot?.lastSuccessAt?.toISOString() };
  });
  return { ...matrix, environments };
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
