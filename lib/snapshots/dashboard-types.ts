import type { VersionStatusKind } from "@/lib/versions/types";

/** Plain, serialisable shapes the pages render: no Prisma types, dates as ISO strings. */

export interface EnvironmentSummary {
  name: string;
  groups: Record<string, string>;
  url?: string;
  branch: string;
  repo: string;
  refreshedAt?: string;
  lastSuccessAt?: string;
  error?: string;
  warnings: string[];
  commitSha?: string;
  chart?: string;
  counts: Partial<Record<VersionStatusKind, number>>;
  serviceCount: number;
  /** Highest badge level among its services: how red the environment is overall. */
  worstLevel: number;
}

export interface ServiceCell {
  service: string;
  chart: string;
  running?: string;
  latest?: string;
  status: VersionStatusKind;
  releasesBehind: number;
  step: string;
  daysBehind?: number;
  badgeColor: string;
  badgeLabel: string;
  badgeLevel: number;
  unpinned: boolean;
  error?: string;
}

export interface NavigationGroup {
  /** e.g. "brand"; the first group dimension used in slipway.yaml. */
  dimension: string;
  value: string;
  environments: { name: string; worstLevel: number; error: boolean }[];
}

export interface Navigation {
  groups: NavigationGroup[];
  ungrouped: { name: string; worstLevel: number; error: boolean }[];
  configError?: string;
}

export interface RefreshInfo {
  startedAt: string;
  finishedAt?: string;
  trigger: string;
  failed: number;
  environments: number;
}

/** What a manual refresh reports back to the person who asked for it. */
export interface RefreshOutcome {
  environments: number;
  failed: number;
  seconds: number;
}
