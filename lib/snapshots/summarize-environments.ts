import type { EnvironmentConfig } from "@/lib/config/schema";
import type { VersionStatusKind } from "@/lib/versions/types";
import type { EnvironmentSummary, ServiceCell } from "./dashboard-types";

export interface SnapshotRow {
  environment: string;
  refreshedAt: Date;
  lastSuccessAt: Date | null;
  error: string | null;
  warnings: string[];
  commitSha: string | null;
  chartName: string | null;
  chartVersion: string | null;
}

export interface ServiceRow {
  environment: string;
  service: string;
  chart: string;
  running: string | null;
  latest: string | null;
  status: string;
  releasesBehind: number;
  step: string;
  daysBehind: number | null;
  badgeColor: string;
  badgeLabel: string;
  badgeLevel: number;
  unpinned: boolean;
  error: string | null;
}

export function toServiceCell(row: ServiceRow): ServiceCell {
  return {
    service: row.service,
    chart: row.chart,
    running: row.running ?? undefined,
    latest: row.latest ?? undefined,
    status: row.status as VersionStatusKind,
    releasesBehind: row.releasesBehind,
    step: row.step,
    daysBehind: row.daysBehind ?? undefined,
    badgeColor: row.badgeColor,
    badgeLabel: row.badgeLabel,
    badgeLevel: row.badgeLevel,
    unpinned: row.unpinned,
    error: row.error ?? undefined,
  };
}

/**
 * Joins slipway.yaml's environments (the list of what should exist, in config order) with their snapshots
 * (what was last read). An environment never refreshed still appears, without a refresh time.
 */
export function summarizeEnvironments(
  environments: EnvironmentConfig[],
  snapshots: SnapshotRow[],
  services: Pick<ServiceRow, "environment" | "status" | "badgeLevel">[],
): EnvironmentSummary[] {
  const byName = new Map(snapshots.map((s) => [s.environment, s]));
  const counts = new Map<string, { counts: Partial<Record<VersionStatusKind, number>>; total: number; worst: number }>();
  for (const row of services) {
    const entry = counts.get(row.environment) ?? { counts: {}, total: 0, worst: -1 };
    const status = row.status as VersionStatusKind;
    entry.counts[status] = (entry.counts[status] ?? 0) + 1;
    entry.total += 1;
    entry.worst = Math.max(entry.worst, row.badgeLevel);
    counts.set(row.environment, entry);
  }
  return environments.map((env) => {
    const snapshot = byName.get(env.name);
    const tally = counts.get(env.name);
    return {
      name: env.name,
      groups: env.groups,
      url: env.url,
      branch: env.branch,
      repo: env.repo,
      refreshedAt: snapshot?.refreshedAt.toISOString(),
      lastSuccessAt: snapshot?.lastSuccessAt?.toISOString(),
      error: snapshot?.error ?? undefined,
      warnings: snapshot?.warnings ?? [],
      commitSha: snapshot?.commitSha ?? undefined,
      chart: snapshot?.chartName ? `${snapshot.chartName} ${snapshot.chartVersion ?? ""}`.trim() : undefined,
      counts: tally?.counts ?? {},
      serviceCount: tally?.total ?? 0,
      worstLevel: tally?.worst ?? -1,
    };
  });
}
