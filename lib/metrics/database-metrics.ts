import "server-only";
import { Gauge, Histogram } from "prom-client";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { sharedMetric } from "./metrics-registry";
import { type MetricsFigures, readMetricsFigures } from "./read-metrics-figures";

/**
 * Refreshes and jobs, as the database records them, read at scrape time: the refresher and the job runner may run in
 * another process (or another replica on the same PostgreSQL), and the database is what they all share.
 *
 * prom-client asks each metric for its values at once; they all wait on one read per scrape (`loadOnce`), so a
 * scrape costs one set of queries whatever the number of metrics.
 */

interface State {
  /** Refresh runs that finished after this are not yet in the histogram. Starts at process start. */
  runsCursor: Date;
  inFlight?: Promise<MetricsFigures | undefined>;
}

const holder = globalThis as typeof globalThis & { slipwayDatabaseMetrics?: State };

function state(): State {
  holder.slipwayDatabaseMetrics ??= { runsCursor: new Date(performance.timeOrigin) };
  return holder.slipwayDatabaseMetrics;
}

const REFRESH_BUCKETS_SECONDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200];

function loadOnce(): Promise<MetricsFigures | undefined> {
  const current = state();
  current.inFlight ??= load(current).finally(() => {
    current.inFlight = undefined;
  });
  return current.inFlight;
}

async function load(current: State): Promise<MetricsFigures | undefined> {
  try {
    const figures = await readMetricsFigures(getDb(), {
      now: new Date(),
      environments: configuredEnvironments(),
      runsFinishedAfter: current.runsCursor,
    });
    // Observed here, inside the one read per scrape, so that two scrapes never count a run twice.
    const histogram = refreshRunHistogram();
    for (const run of figures.newlyFinishedRuns) {
      histogram.observe(run.durationSeconds);
      current.runsCursor = run.finishedAt;
    }
    return figures;
  } catch (error) {
    logger.warn({ error: errorMessage(error) }, "metrics: database figures not read");
    return undefined;
  }
}

/** Label values come from slipway.yaml (and discovery), never from a request: a bounded set. */
function configuredEnvironments(): string[] {
  try {
    return getWorkspace().config.environments.map((env) => env.name);
  } catch (error) {
    logger.warn({ error: errorMessage(error) }, "metrics: slipway.yaml not readable, environment figures left out");
    return [];
  }
}

function refreshRunHistogram(): Histogram {
  return sharedMetric(
    "slipway_refresh_run_duration_seconds",
    (registry) =>
      new Histogram({
        name: "slipway_refresh_run_duration_seconds",
        help: "Duration of refresh runs (all environments, or those a refresh asked for) finished since this process started, from the database.",
        buckets: REFRESH_BUCKETS_SECONDS,
        registers: [registry],
        async collect() {
          await loadOnce();
        },
      }),
  );
}

function databaseGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  fill: (gauge: Gauge<L>, figures: MetricsFigures) => void,
): void {
  sharedMetric(
    name,
    (registry) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          const figures = await loadOnce();
          this.reset();
          if (figures) fill(this, figures);
        },
      }),
  );
}

/** A gauge of the last finished refresh run; absent until one has finished. */
function lastRefreshGauge(name: string, help: string, value: (run: NonNullable<MetricsFigures["lastRefresh"]>) => number): void {
  databaseGauge(name, help, [], (gauge, figures) => {
    if (figures.lastRefresh) gauge.set(value(figures.lastRefresh));
  });
}

export function registerDatabaseMetrics(): void {
  sharedMetric(
    "slipway_database_up",
    (registry) =>
      new Gauge({
        name: "slipway_database_up",
        help: "1 when this scrape read its figures from the database, 0 when the database could not be read.",
        registers: [registry],
        async collect() {
          this.set((await loadOnce()) ? 1 : 0);
        },
      }),
  );

  databaseGauge(
    "slipway_environment_refresh_duration_seconds",
    "How long the last read of each environment took (git and registries).",
    ["environment"],
    (gauge, figures) => {
      for (const env of figures.environments) gauge.set({ environment: env.name }, env.refreshDurationSeconds);
    },
  );
  databaseGauge(
    "slipway_environment_snapshot_age_seconds",
    "Seconds since each environment was last read (successfully or not: see slipway_environment_read_failing).",
    ["environment"],
    (gauge, figures) => {
      for (const env of figures.environments) gauge.set({ environment: env.name }, env.snapshotAgeSeconds);
    },
  );
  databaseGauge(
    "slipway_environment_read_failing",
    "1 when the last read of the environment failed (the dashboard shows its last good read), else 0.",
    ["environment"],
    (gauge, figures) => {
      for (const env of figures.environments) gauge.set({ environment: env.name }, env.failing ? 1 : 0);
    },
  );

  refreshRunHistogram();
  lastRefreshGauge("slipway_refresh_last_duration_seconds", "Duration of the last finished refresh run.", (run) => run.durationSeconds);
  lastRefreshGauge(
    "slipway_refresh_last_finished_timestamp_seconds",
    "When the last refresh run finished (Unix time).",
    (run) => run.finishedAt.getTime() / 1000,
  );
  lastRefreshGauge("slipway_refresh_last_environments", "Environments the last refresh run read.", (run) => run.environments);
  lastRefreshGauge("slipway_refresh_last_failed_environments", "Environments the last refresh run could not read.", (run) => run.failed);
  lastRefreshGauge("slipway_refresh_last_registry_requests", "Registry requests the last refresh run made.", (run) => run.requests);
  lastRefreshGauge(
    "slipway_refresh_last_registry_not_modified",
    "Registry requests of the last refresh run answered 304 Not Modified (the cached index was reused).",
    (run) => run.notModified,
  );
  lastRefreshGauge("slipway_refresh_last_registry_bytes", "Bytes the last refresh run read from registries.", (run) => run.bytes);

  databaseGauge(
    "slipway_jobs",
    "Jobs (Jira, Slack, Grafana follow-through) in the job table, by state (pending, running, done, failed) and kind.",
    ["state", "kind"],
    (gauge, figures) => {
      for (const group of figures.jobs) gauge.set({ state: group.state, kind: group.kind }, group.count);
    },
  );
  databaseGauge(
    "slipway_job_errored_attempts",
    "Job attempts that ended in an error, over the jobs in the table, by kind (re-running a failed job starts its count over).",
    ["kind"],
    (gauge, figures) => {
      const byKind = new Map<string, number>();
      for (const group of figures.jobs) byKind.set(group.kind, (byKind.get(group.kind) ?? 0) + group.erroredAttempts);
      for (const [kind, attempts] of byKind) gauge.set({ kind }, attempts);
    },
  );
  databaseGauge(
    "slipway_job_oldest_due_wait_seconds",
    "How long the longest-waiting due job has been waiting to run; grows when no job runner is working.",
    [],
    (gauge, figures) => gauge.set(figures.oldestDueJobWaitSeconds),
  );
}
