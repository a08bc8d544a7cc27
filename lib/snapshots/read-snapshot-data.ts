import "server-only";
import { cache } from "react";
import { getDb } from "@/lib/db";
import type { RefreshInfo } from "./dashboard-types";
import type { ServiceRow, SnapshotRow } from "./summarize-environments";

export interface SnapshotData {
  snapshots: SnapshotRow[];
  rows: ServiceRow[];
  lastRefresh?: RefreshInfo;
  registryErrors: { registry: string; error: string }[];
  /**
   * What the overview matrix is made of, as a key: it stays the same while no environment's services, error, commit,
   * chart or warnings changed, however often the environments were read again meanwhile (a refresh that finds what
   * the last one found moves every snapshot's times, and nothing else).
   */
  contentKey: string;
}

/**
 * All snapshot rows, read once per change rather than once per page view. Each page view asks for the environments'
 * snapshot heads (one small row per environment) and the last run; an environment's service rows are read again only
 * when its last successful read changed (lastSuccessAt and commit), so during a refresh that saves environment after
 * environment, a page view reads the few that changed instead of all 4,000 rows. Each app instance keeps its own copy; the heads come from the shared database, so instances never
 * serve rows older than their last page view's check.
 */
interface SnapshotCache {
  key: string;
  data: SnapshotData;
  rowsByEnvironment: Map<string, EnvironmentRows>;
  /** The last revision given to an environment's rows: kept with the cache, which every bundle's copy shares. */
  lastRevision: number;
}

interface EnvironmentRows {
  stamp: string;
  rows: ServiceRow[];
  /** Changes when the rows' content does, not when the same rows are read again. */
  revision: number;
}

const holder = globalThis as typeof globalThis & { slipwaySnapshotCache?: SnapshotCache };

/** What SnapshotRow needs: not the lock report, which is the largest column and only the environment page reads. */
const SNAPSHOT_FIELDS = {
  environment: true, refreshedAt: true, lastSuccessAt: true, error: true, warnings: true, commitSha: true,
  chartName: true, chartVersion: true,
} as const;

const SERVICE_FIELDS = {
  environment: true, service: true, chart: true, running: true, latest: true, status: true,
  releasesBehind: true, step: true, daysBehind: true, badgeColor: true, badgeLabel: true,
  badgeLevel: true, unpinned: true, error: true,
} as const;

/** Once per request: the layout's navigation and the page both ask (React's cache lasts one server render). */
export const readSnapshotData = cache(readSnapshotDataNow);

async function readSnapshotDataNow(): Promise<SnapshotData> {
  const db = getDb();
  const [snapshots, lastRun, registries] = await Promise.all([
    db.environmentSnapshot.findMany({ select: SNAPSHOT_FIELDS, orderBy: { environment: "asc" } }),
    db.refreshRun.findFirst({ orderBy: { id: "desc" } }),
    db.registrySnapshot.findMany({ where: { error: { not: null } } }),
  ]);
  const key = JSON.stringify([
    snapshots.map((s) => [s.environment, s.refreshedAt.getTime(), s.lastSuccessAt?.getTime(), s.commitSha, s.error]),
    lastRun?.id,
    lastRun?.finishedAt?.getTime(),
    registries.map((r) => [r.registry, r.error]),
  ]);
  const cached = holder.slipwaySnapshotCache;
  if (cached?.key === key) return cached.data;

  const stampOf = (s: (typeof snapshots)[number]) => `${s.lastSuccessAt?.getTime() ?? ""}|${s.commitSha ?? ""}`;
  const previous = cached?.rowsByEnvironment ?? new Map<string, EnvironmentRows>();
  const changed = snapshots.filter((s) => previous.get(s.environment)?.stamp !== stampOf(s)).map((s) => s.environment);
  const fresh = new Map<string, ServiceRow[]>(changed.map((environment) => [environment, []]));
  if (changed.length) {
    const read = await db.serviceSnapshot.findMany({
      where: { environment: { in: changed } },
      select: SERVICE_FIELDS,
      orderBy: [{ environment: "asc" }, { service: "asc" }],
    });
    for (const row of read) fresh.get(row.environment)?.push(row);
  }
  const rowsByEnvironment = new Map<string, EnvironmentRows>();
  let lastRevision = cached?.lastRevision ?? 0;
  for (const snapshot of snapshots) {
    const kept = previous.get(snapshot.environment);
    const stamp = stampOf(snapshot);
    const rows = fresh.get(snapshot.environment);
    if (!rows) rowsByEnvironment.set(snapshot.environment, kept!);
    // Read again and found as they were: the same rows, so what was computed from them still holds.
    else if (kept && sameRows(kept.rows, rows)) rowsByEnvironment.set(snapshot.environment, { ...kept, stamp });
    else rowsByEnvironment.set(snapshot.environment, { stamp, rows, revision: ++lastRevision });
  }

  const data: SnapshotData = {
    snapshots,
    rows: [...rowsByEnvironment.values()].flatMap((entry) => entry.rows),
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
    contentKey: JSON.stringify(
      snapshots.map((s) => [s.environment, s.error, s.warnings, s.commitSha, s.chartName, s.chartVersion, rowsByEnvironment.get(s.environment)!.revision]),
    ),
  };
  holder.slipwaySnapshotCache = { key, data, rowsByEnvironment, lastRevision };
  return data;
}

function sameRows(a: ServiceRow[], b: ServiceRow[]): boolean {
  if (a.length !== b.length) return false;
  const fields = Object.keys(SERVICE_FIELDS) as (keyof typeof SERVICE_FIELDS)[];
  return a.every((row, i) => fields.every((field) => row[field] === b[i]![field]));
}
