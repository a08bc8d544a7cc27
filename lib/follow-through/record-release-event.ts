import { type SecretSource, readEnvironment } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { enqueueJob } from "@/lib/jobs/job-queue";
import { logger } from "@/lib/logger";
import type { ReleaseKind } from "@/lib/releases/release-types";
import { readIntegrations } from "./integration-status";
import { type ReleaseEvent, type ReleaseEventType, followThroughSettings, planFollowThrough } from "./plan-follow-through";
import { wakeJobRunner } from "./process-job-runner";

export type FollowThroughConfig = Pick<WorkspaceConfig, "jira" | "slack" | "grafana" | "environments">;

export interface RecordEventDeps {
  db: PrismaClient;
  /** Without it (a caller that has no configuration at hand), nothing is recorded here; the runner's catch-up will. */
  config?: FollowThroughConfig;
  /** Where the secrets slipway.yaml names are read (default: the process environment). */
  secret?: SecretSource;
  /** Slipway's own URL for links (default: NEXTAUTH_URL). */
  appUrl?: string;
}

/** The request states an event stands for: a raise is recorded once the request is open (or already settled). */
const STATES_FOR: Record<ReleaseEventType, string[]> = {
  raised: ["open", "merged", "closed"],
  merged: ["merged"],
  closed: ["closed"],
};

/**
 * Stores the jobs a release event asks for (Jira, Slack, Grafana) and wakes the runner. Called where a request opens,
 * merges or closes; it never throws, so a database hiccup here cannot fail a merge that already happened: it is logged,
 * and the runner's catch-up (catchUpReleaseEvents) records the event again later. Recording is idempotent — each
 * effect's key is stored once — so calling it again for the same event, from any instance, adds nothing.
 */
export async function recordReleaseEvent(deps: RecordEventDeps, event: { type: ReleaseEventType; requestId: number; at?: Date }): Promise<{ enqueued: number }> {
  try {
    return await record(deps, event);
  } catch (error) {
    logger.warn({ err: error, releaseRequest: event.requestId, event: event.type }, "follow-through jobs not recorded; the runner's catch-up records them later");
    return { enqueued: 0 };
  }
}

async function record(deps: RecordEventDeps, event: { type: ReleaseEventType; requestId: number; at?: Date }): Promise<{ enqueued: number }> {
  const config = deps.config;
  if (!config || (!config.jira && !config.slack && !config.grafana)) return { enqueued: 0 };
  const environment = deps.secret && deps.appUrl !== undefined ? undefined : readEnvironment();
  const secret = deps.secret ?? environment!.secret;
  const appUrl = deps.appUrl ?? environment?.nextAuthUrl;
  const { enabled } = readIntegrations(config, secret);
  if (!enabled.jira && !enabled.slack && !enabled.grafana) return { enqueued: 0 };

  const row = await deps.db.releaseRequest.findUnique({ where: { id: event.requestId }, include: { items: { orderBy: { id: "asc" } } } });
  if (!row || !STATES_FOR[event.type].includes(row.state)) return { enqueued: 0 };
  const releaseEvent: ReleaseEvent = {
    type: event.type,
    at: event.at ?? (event.type === "merged" ? row.mergedAt : event.type === "closed" ? row.closedAt : null) ?? new Date(),
    request: {
      id: row.id,
      kind: (["upgrade", "rollback", "promotion"].includes(row.kind) ? row.kind : "upgrade") as ReleaseKind,
      environment: row.environment,
      title: row.title,
      requester: row.requester,
      ...(row.url ? { url: row.url } : {}),
      ...(row.number !== null ? { number: row.number } : {}),
      repo: row.repo,
      ...(row.branch ? { branch: row.branch } : {}),
      items: row.items.map((item) => ({ service: item.service, chart: item.chart, from: item.fromVersion, to: item.toVersion, tickets: item.tickets })),
      createdAt: row.createdAt,
      ...(row.mergedAt ? { mergedAt: row.mergedAt } : {}),
      ...(row.closedAt ? { closedAt: row.closedAt } : {}),
    },
  };
  const planned = planFollowThrough(releaseEvent, followThroughSettings(config, row.environment, enabled, appUrl));
  if (planned.length === 0) return { enqueued: 0 };

  // One read finds what an earlier recording stored; only the rest is enqueued (each still once per key, should
  // another instance record the same event at this moment).
  const existing = new Set(
    (await deps.db.job.findMany({ where: { idempotencyKey: { in: planned.map((job) => job.key) } }, select: { idempotencyKey: true } })).map((job) => job.idempotencyKey),
  );
  let enqueued = 0;
  for (const job of planned) {
    if (existing.has(job.key)) continue;
    const { created } = await enqueueJob(deps.db, {
      kind: job.kind,
      key: job.key,
      payload: job.payload,
      releaseRequestId: row.id,
      ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
    });
    if (created) enqueued++;
  }
  if (enqueued > 0) wakeJobRunner();
  return { enqueued };
}

/**
 * Records again the events of requests that moved recently, for those whose recording failed (or happened in a
 * process without the configuration): keys make it a no-op for the rest. Run by the job runner now and then.
 */
export async function catchUpReleaseEvents(deps: RecordEventDeps, since: Date): Promise<{ enqueued: number }> {
  const config = deps.config;
  if (!config || (!config.jira && !config.slack && !config.grafana)) return { enqueued: 0 };
  const rows = await deps.db.releaseRequest.findMany({
    where: { updatedAt: { gte: since }, state: { in: ["open", "merged", "closed"] } },
    select: { id: true, state: true },
    orderBy: { id: "asc" },
    take: 500,
  });
  let enqueued = 0;
  for (const row of rows) {
    const type: ReleaseEventType = row.state === "open" ? "raised" : (row.state as ReleaseEventType);
    enqueued += (await recordReleaseEvent(deps, { type, requestId: row.id })).enqueued;
  }
  return { enqueued };
}
