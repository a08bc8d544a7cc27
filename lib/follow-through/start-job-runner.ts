import "server-only";
import { errorMessage } from "@/lib/errors";
import { createJobRunner } from "@/lib/jobs/job-runner";
import { logger } from "@/lib/logger";
import { getServerClients } from "@/lib/server-clients";
import { createFollowThroughHandlers } from "./follow-through-handlers";
import { readIntegrations } from "./integration-status";
import { processJobRunner, setProcessJobRunner } from "./process-job-runner";
import { catchUpReleaseEvents } from "./record-release-event";

/** How often the runner looks for due jobs when nothing wakes it (a retry's time has come, another instance enqueued). */
const POLL_MS = 5_000;
/** How often, and how far back, events whose recording failed are recorded again. */
const CATCH_UP_MS = 5 * 60_000;
const CATCH_UP_WINDOW_MS = 24 * 3600_000;

/**
 * Starts this process's job runner (one per process, on globalThis like the refresher) when Jira, Slack or Grafana is
 * configured and has its secret. Every instance of Slipway may run one: jobs are claimed with FOR UPDATE SKIP LOCKED,
 * so no job runs twice at once. Integrations that are configured but lack a secret are logged as off, with the fix.
 */
export function startJobRunner(): void {
  if (processJobRunner()) return;
  let clients: ReturnType<typeof getServerClients>;
  try {
    clients = getServerClients();
  } catch (error) {
    logger.error({ error: errorMessage(error) }, "job runner not started: the workspace configuration is invalid");
    return;
  }
  const { config, db, environment } = clients;
  if (!config.jira && !config.slack && !config.grafana) return;
  const { status, enabled } = readIntegrations(config, environment.secret);
  for (const entry of status) if (entry.configured && !entry.on) logger.warn({ integration: entry.name }, entry.reason ?? `${entry.name} is off`);
  if (!enabled.jira && !enabled.slack && !enabled.grafana) return;

  const runner = createJobRunner({
    db,
    handlers: createFollowThroughHandlers({ db, config, secret: environment.secret, checks: clients.pullRequests }),
    onSettled: (job, outcome, error) => {
      const fields = { job: job.id, kind: job.kind, releaseRequest: job.releaseRequestId, attempts: job.attempts };
      if (outcome === "failed") logger.warn({ ...fields, error }, "follow-through job gave up");
      else if (outcome === "retry") logger.info({ ...fields, error }, "follow-through job will be retried");
      else logger.debug(fields, "follow-through job done");
    },
  });
  setProcessJobRunner(runner);
  runner.start(POLL_MS);

  const catchUp = () =>
    catchUpReleaseEvents({ db, config, secret: environment.secret, appUrl: environment.nextAuthUrl }, new Date(Date.now() - CATCH_UP_WINDOW_MS))
      .then(({ enqueued }) => {
        if (enqueued > 0) logger.info({ enqueued }, "follow-through jobs recorded by the catch-up");
      })
      .catch((error) => logger.error({ err: error }, "follow-through catch-up failed"));
  void catchUp();
  setInterval(() => void catchUp(), CATCH_UP_MS).unref();
}
