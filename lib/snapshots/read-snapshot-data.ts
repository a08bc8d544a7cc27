import "server-only";
import { getDb } from "@/lib/db";
import type { RefreshInfo } from "./dashboard-types";
import type { ServiceRow, SnapshotRow } from "./summarize-environments";

export interface SnapshotData {
  snapshots: SnapshotRow[];
  rows: ServiceRow[];
  lastRefresh?: RefreshInfo;
  registryErrors: { registry: string; error: string }[];
}

/**
 * All snapshot rows, read once per change rather than once per page view: two tiny queries tell whether anything
 * was written since the cached read (a refresh stamps every snapshot it saves, and every run), so on a 50 × 80
 * workspace a page view costs them instead of reading 4,000 rows. Each app instance keeps its own copy; the key
 * comes from the shared database, so instances never serve data older than their last page view's check.
 */
const holder = globalThis as typeof globalThis & { slipwaySnapshotCache?: { key: string; data: SnapshotData } };

export async function readSnapshotData(): Promise<SnapshotData> {
  const db = getDb();
  const [latest, lastRun] = await Promise.all([
    db.environmentSnapshot.aggregate({ _max: { refreshedAt: true }, _count: { _all: true } }),
    db.refreshRun.findFirst({ orderBy: { id: "desc" } }),
  ]);
  const key = [latest._max.refreshedAt?.toISOString(), latest._count._all, lastRun?.id, lastRun?.finishedAt?.toISOString()].join("|");
  const cached = holder.slipwaySnapshotCache;
  if (cached?.key === key) return cached.data;

  const [snapshots, rows, registries] = await Promise.all([
    db.environmentSnapshot.findMany(),
    db.serviceSnapshot.findMany({
      select: {
        environment: true, service: true, chart: true, running: true, latest: true, status: true,
        releasesBehind: true, step: true, daysBehind: true, badgeColor: true, badgeLabel: true,
        badgeLevel: true, unpinned: true, error: true,
      },
      orderBy: [{ environment: "asc" }, { service: "asc" }],
    }),
    db.registrySnapshot.findMany({ where: { error: { not: null } } }),
  ]);
  const data: SnapshotData = {
    snapshots,
    rows,
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
  holder.slipwaySnapshotCache = { key, data };
  return data;
}
