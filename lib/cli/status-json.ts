import type { LockSyncReport } from "@/lib/charts/check-lock-sync";
import type { EnvironmentConfig } from "@/lib/config/schema";
import type { EnvironmentStatus } from "@/lib/releases/environment-status";

/**
 * The JSON that `slipway status --json` prints: a contract other tools script against. Documented in the README
 * ("CLI"); add fields freely, never rename or remove one without a major version.
 */
export interface StatusDocument {
  schemaVersion: 1;
  generatedAt: string;
  config: string;
  environments: EnvironmentStatusJson[];
}

export interface EnvironmentStatusJson {
  name: string;
  groups: Record<string, string>;
  repo: string;
  branch: string;
  path: string;
  commit: { sha: string; date: string } | null;
  chart: { name: string; version: string; format: string } | null;
  error: string | null;
  warnings: string[];
  /** Added in 0.2 (additive): the lock report, as `helm dependency build` judges the lock; null when the chart was not read. */
  lock: LockSyncReport | null;
  services: ServiceStatusJson[];
}

export interface ServiceStatusJson {
  service: string;
  chart: string;
  repository: string;
  constraint: string;
  running: string | null;
  resolvedFrom: "lock" | "pin" | "range" | null;
  unpinned: boolean;
  imageTag: string | null;
  latest: string | null;
  status: string;
  releasesBehind: number;
  step: string;
  daysBehind: number | null;
  badge: { level: number; color: string; label: string };
  error: string | null;
}

export function toStatusJson(env: EnvironmentConfig, status: EnvironmentStatus): EnvironmentStatusJson {
  return {
    name: env.name,
    groups: env.groups,
    repo: env.repo,
    branch: env.branch,
    path: env.path,
    commit: status.commit ? { sha: status.commit.sha, date: status.commit.date.toISOString() } : null,
    chart: status.chart ?? null,
    error: status.error ?? null,
    warnings: status.warnings,
    lock: status.lock ?? null,
    services: status.services.map((s) => ({
      service: s.service,
      chart: s.chart,
      repository: s.repository,
      constraint: s.constraint,
      running: s.running ?? null,
      resolvedFrom: s.resolvedFrom ?? null,
      unpinned: s.unpinned,
      imageTag: s.imageTag ?? null,
      latest: s.version.latest ?? null,
      status: s.version.status,
      releasesBehind: s.version.releasesBehind,
      step: s.version.step,
      daysBehind: s.version.daysBehind ?? null,
      badge: s.version.badge,
      error: s.error ?? null,
    })),
  };
}
