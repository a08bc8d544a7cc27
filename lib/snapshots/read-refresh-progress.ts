import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import type { EnvironmentTiming } from "./refresh-progress";

/** What the Refresh button shows while a refresh runs: n of N read, and which environments are taking their time. */
export interface RefreshProgressView {
  running: boolean;
  total: number;
  done: number;
  skipped: number;
  /** Environments being read now that this viewer may see, longest first, with seconds so far. */
  reading: { environment: string; seconds: number }[];
  startedAt?: string;
  finishedAt?: string;
}

export interface RefreshTimingsView {
  id: number;
  trigger: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  total: number;
  skipped: number;
  failed: number;
  /** Slowest first. */
  timings: EnvironmentTiming[];
}

/** The newest refresh run's progress, from the database: the same answer on every instance, whichever runs it. */
export async function readRefreshProgress(viewer: Viewer, now = new Date()): Promise<RefreshProgressView> {
  const run = await getDb().refreshRun.findFirst({ orderBy: { id: "desc" } });
  if (!run) return { running: false, total: 0, done: 0, skipped: 0, reading: [] };
  const visible = new Set(viewer.environments.map((e) => e.name));
  const reading = readingOf(run.reading)
    .filter((r) => visible.has(r.environment))
    .map((r) => ({ environment: r.environment, seconds: Math.max(0, Math.round((now.getTime() - Date.parse(r.since)) / 100) / 10) }))
    .sort((a, b) => b.seconds - a.seconds);
  return {
    running: !run.finishedAt,
    total: run.total,
    done: run.done,
    skipped: run.skipped,
    reading,
    startedAt: run.startedAt.toISOString(),
    ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
  };
}

/** The last full refresh's per-environment timings, for admins: which environment is slow, and which were skipped. */
export async function readLastRefreshTimings(): Promise<RefreshTimingsView | undefined> {
  const run = await getDb().refreshRun.findFirst({ where: { finishedAt: { not: null } }, orderBy: { id: "desc" } });
  if (!run) return undefined;
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt.toISOString(),
    ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
    ...(run.error ? { error: run.error } : {}),
    total: run.total,
    skipped: run.skipped,
    failed: run.failed,
    timings: timingsOf(run.timings).sort((a, b) => b.ms - a.ms),
  };
}

// The JSON columns are written by refresh-progress.ts alone; still, read them defensively (older rows hold null).
function readingOf(value: unknown): { environment: string; since: string }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is { environment: string; since: string } =>
      typeof r === "object" && r !== null && typeof r.environment === "string" && typeof r.since === "string",
  );
}

function timingsOf(value: unknown): EnvironmentTiming[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (t): t is EnvironmentTiming =>
      typeof t === "object" && t !== null && typeof t.environment === "string" && typeof t.ms === "number" && typeof t.outcome === "string",
  );
}
