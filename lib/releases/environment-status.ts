import type { LockSyncReport } from "@/lib/charts/check-lock-sync";
import type { ChartFormat, ResolutionSource } from "@/lib/charts/types";
import type { VersionStatus } from "@/lib/versions/types";

/**
 * What one environment runs against what is published: the domain result of reading a stack. The refresher stores
 * it as a snapshot, the CLI prints it; both go through readEnvironmentStatus so they can never disagree.
 */
export interface ServiceStatus {
  service: string;
  chart: string;
  /** The dependency's repository as written in the chart. */
  repository: string;
  constraint: string;
  running?: string;
  resolvedFrom?: ResolutionSource;
  /** A range with no lock: what runs is whatever the registry's highest match was at deploy time. */
  unpinned: boolean;
  imageTag?: string;
  version: VersionStatus;
  /** Why the status is incomplete for this service only. */
  error?: string;
}

export interface EnvironmentStatus {
  environment: string;
  readAt: Date;
  durationMs: number;
  commit?: { sha: string; date: Date };
  chart?: { name: string; version: string; format: ChartFormat };
  services: ServiceStatus[];
  /** Chart-level problems that did not stop the read. */
  warnings: string[];
  /** Whether the lock matches the dependencies, as `helm dependency build` judges it; absent when the chart was not read. */
  lock?: LockSyncReport;
  /** Set when the environment could not be read at all. */
  error?: string;
}
