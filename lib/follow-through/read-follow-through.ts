import type { SecretSource } from "@/lib/config/environment";
import { NotFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { annotationUrl } from "@/lib/integrations/grafana/dashboard-url";
import { jiraEndpoint } from "@/lib/integrations/jira/jira-config";
import { rerunFailedJob } from "@/lib/jobs/job-queue";
import { type FollowThroughKind, KIND_LABELS } from "./follow-through-jobs";
import { type IntegrationName, readIntegrations } from "./integration-status";
import { wakeJobRunner } from "./process-job-runner";
import type { FollowThroughConfig } from "./record-release-event";

/**
 * A release request's follow-through for its page, as plain data: each job with its state, attempts and last error,
 * what it had to leave out ("PAY-9: no permission"), and what it left behind (Jira fix versions, Grafana annotations)
 * with links. Nothing here reaches a secret or a vendor.
 */

export interface FollowThroughJobView {
  id: number;
  kind: string;
  label: string;
  /** What it acts on: a ticket, a service, a channel. */
  subject: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  /** When a pending job runs next. */
  nextAttemptAt?: string;
  lastError?: string;
  finishedAt?: string;
  /** What it could not do, per ticket or project: reported, never a failure. */
  problems: string[];
  /** What it found already done ("PAY-3 is already Done"). */
  notes: string[];
}

export interface FollowThroughView {
  /** The integrations slipway.yaml configures, and why one is off. */
  integrations: { name: IntegrationName; on: boolean; reason?: string }[];
  jobs: FollowThroughJobView[];
  fixVersions: { service: string; project: string; name: string; url: string }[];
  annotations: { service: string; id: number; url?: string }[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

export async function readFollowThrough(
  db: PrismaClient,
  config: FollowThroughConfig,
  secret: SecretSource,
  requestId: number,
): Promise<FollowThroughView> {
  const [jobs, fixVersions] = await Promise.all([
    db.job.findMany({
      where: { releaseRequestId: requestId },
      orderBy: { id: "asc" },
      select: { id: true, kind: true, idempotencyKey: true, state: true, attempts: true, maxAttempts: true, runAfter: true, lastError: true, finishedAt: true, result: true },
    }),
    db.releaseFixVersion.findMany({ where: { releaseRequestId: requestId }, orderBy: [{ service: "asc" }, { project: "asc" }] }),
  ]);
  const siteUrl = config.jira ? jiraEndpoint(config.jira).siteUrl : undefined;
  const template = config.grafana?.dashboardUrlTemplate;
  const annotations: FollowThroughView["annotations"] = [];
  const views = jobs.map((job): FollowThroughJobView => {
    const result = (job.result ?? {}) as { skipped?: unknown; unchanged?: unknown; annotationId?: unknown; service?: unknown; environment?: unknown; time?: unknown };
    if (job.kind === "grafana.annotate" && job.state === "done" && typeof result.annotationId === "number" && typeof result.service === "string") {
      const time = typeof result.time === "string" ? new Date(result.time) : undefined;
      const url =
        template && time && typeof result.environment === "string"
          ? annotationUrl(template, { environment: result.environment, service: result.service, time })
          : undefined;
      annotations.push({ service: result.service, id: result.annotationId, ...(url ? { url } : {}) });
    }
    return {
      id: job.id,
      kind: job.kind,
      label: KIND_LABELS[job.kind as FollowThroughKind] ?? job.kind,
      // Keys are kind:request:subject[:state] (follow-through-jobs.ts); a channel name has no colon.
      subject: job.idempotencyKey.split(":").slice(2).join(" · "),
      state: job.state,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      ...(job.state === "pending" ? { nextAttemptAt: job.runAfter.toISOString() } : {}),
      ...(job.lastError && job.state !== "done" ? { lastError: job.lastError } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
      problems: strings(result.skipped),
      notes: job.kind === "jira.transition" ? strings(result.unchanged) : [],
    };
  });
  const { status } = readIntegrations(config, secret);
  return {
    integrations: status.filter((entry) => entry.configured).map(({ name, on, reason }) => ({ name, on, ...(reason ? { reason } : {}) })),
    jobs: views,
    fixVersions: fixVersions.map((version) => ({
      service: version.service,
      project: version.project,
      name: version.name,
      url: `${siteUrl ?? ""}/projects/${encodeURIComponent(version.project)}/versions/${encodeURIComponent(version.versionId)}`,
    })),
    annotations,
  };
}

/**
 * An admin's "Run again" for one of a request's failed jobs (the caller has asked the policy: job.rerun). The job must
 * belong to that request, so a request's page cannot re-run another's jobs.
 */
export async function rerunReleaseJob(db: PrismaClient, requestId: number, jobId: number): Promise<void> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { releaseRequestId: true } });
  if (!job || job.releaseRequestId !== requestId) throw new NotFoundError(`Change request #${requestId} has no job #${jobId}.`);
  await rerunFailedJob(db, jobId);
  wakeJobRunner();
}
