import "server-only";
import type { SecretSource } from "@/lib/config/environment";
import { errorMessage } from "@/lib/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { ChecksSummary, GitHubPullRequests } from "@/lib/git/github/github-pull-requests";
import { annotateOnce, createGrafana, type CreateGrafanaOptions, type GrafanaPort } from "@/lib/integrations/grafana/grafana-client";
import { annotationOfJob } from "./job-annotation";
import { createJira, isJiraError, type Jira, type JiraClientOptions, type TicketChange } from "@/lib/integrations/jira/jira-client";
import { doneTransitionFor } from "@/lib/integrations/jira/jira-config";
import { buildReleaseMessage, createSlack, type CreateSlackOptions, type SlackPort, threadReply } from "@/lib/integrations/slack/slack-client";
import type { JobContext, JobHandler } from "@/lib/jobs/job-runner";
import { logger } from "@/lib/logger";
import { type FollowThroughKind, type NoticePayload, fixVersionDescription, jobKeys, payloadSchemas, projectOfTicket } from "./follow-through-jobs";
import { readIntegrations } from "./integration-status";
import type { FollowThroughConfig } from "./record-release-event";

/**
 * The job handlers of the follow-through, one per kind, over the Jira, Slack and Grafana adapters built from
 * slipway.yaml and the secrets it names. Each is idempotent at the vendor, because a job runs at least once (and again
 * when an answer is lost after the effect):
 * - Jira writes read before they write (the adapter's find-or-create, "already there", marked comments);
 * - a Slack post or reply carries its job's key as message metadata, and a retry looks for it before posting again;
 *   the message's reference is stored (ReleaseNotice) the moment it is known;
 * - a Grafana annotation carries a key tag and is looked for before it is created.
 *
 * A job that needs another's outcome (an update needs the message's ts, releasing needs the version's id) reads it
 * from the database and, when it is not there yet, fails with "waiting for …", which the runner retries with backoff.
 * Problems with one ticket (unknown, another project, no permission, already done) are the job's result, shown on
 * the release request page, never a failure.
 */

export interface FollowThroughHandlerDeps {
  db: PrismaClient;
  config: FollowThroughConfig;
  secret: SecretSource;
  /** Adapter options (tests shorten timeouts). */
  adapters?: { jira?: JiraClientOptions; slack?: CreateSlackOptions; grafana?: CreateGrafanaOptions };
  /**
   * Where the CI checks of a pull request's head commit are read, for the Slack message (the server's git router:
   * GitHub repositories only). Without it, messages have no checks line.
   */
  checks?: { pullRequestsFor(repo: string): Pick<GitHubPullRequests, "readChecks"> | undefined };
}

const log = logger.child({ component: "follow-through" });

/** What a job reports back: effects made, things already so, and tickets or projects it had to leave out. */
type JobReport = {
  changes: string[];
  unchanged: string[];
  skipped: string[];
};

class WaitingError extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = "WaitingError";
  }
}

/** A failure retrying cannot fix (the integration is off, what it waited for gave up). */
function permanent(message: string): Error {
  return Object.assign(new Error(message), { retryable: false });
}

function newReport(): JobReport {
  return { changes: [], unchanged: [], skipped: [] };
}

function note(report: JobReport, change: TicketChange): TicketChange {
  if (change.outcome === "changed") report.changes.push(change.detail);
  else if (change.outcome === "unchanged") report.unchanged.push(change.detail);
  else report.skipped.push(change.message);
  return change;
}

function asJson(report: JobReport & { [extra: string]: unknown }): Prisma.InputJsonValue {
  return report as unknown as Prisma.InputJsonValue;
}

export function createFollowThroughHandlers(deps: FollowThroughHandlerDeps): Record<FollowThroughKind, JobHandler> {
  const { db, config } = deps;
  const { status, secrets } = readIntegrations(config, deps.secret);
  const off = (name: "jira" | "slack" | "grafana") => permanent(status.find((entry) => entry.name === name)?.reason ?? `${name} is off`);

  let jira: Jira | undefined;
  let slack: SlackPort | undefined;
  let grafana: GrafanaPort | undefined;
  const jiraPort = () => {
    if (!config.jira || !secrets.jira) throw off("jira");
    return (jira ??= createJira(config.jira, secrets.jira, deps.adapters?.jira));
  };
  const slackPort = () => {
    if (!config.slack || !secrets.slack) throw off("slack");
    return (slack ??= createSlack(config.slack, secrets.slack, deps.adapters?.slack));
  };
  const grafanaPort = () => {
    if (!config.grafana || !secrets.grafana) throw off("grafana");
    return (grafana ??= createGrafana(config.grafana, secrets.grafana, deps.adapters?.grafana));
  };

  /** The state of another job of the same request, by its key; "missing" when it was never enqueued. */
  async function stateOf(key: string): Promise<string> {
    const job = await db.job.findUnique({ where: { idempotencyKey: key }, select: { state: true } });
    return job?.state ?? "missing";
  }

  function parse<K extends FollowThroughKind>(kind: K, payload: unknown) {
    const parsed = payloadSchemas[kind].safeParse(payload);
    if (!parsed.success) throw permanent(`the stored ${kind} job is not readable: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return parsed.data as ReturnType<(typeof payloadSchemas)[K]["parse"]>;
  }

  /** Whether a failure of one project's version is one to report rather than retry. */
  const reportable = (error: unknown) => isJiraError(error) && ["not-found", "forbidden", "invalid"].includes(error.reason);

  /**
   * The CI checks of the request's pull request, as GitHub reports them on its head commit now: best effort, so a
   * message goes out without the line rather than not at all when GitHub cannot say (or the request is not GitHub's).
   */
  async function checksOf(requestId: number): Promise<ChecksSummary | undefined> {
    if (!deps.checks) return undefined;
    let where: { repo: string; headSha: string } | undefined;
    try {
      const row = await db.releaseRequest.findUnique({ where: { id: requestId }, select: { provider: true, repo: true, headSha: true, number: true } });
      if (!row || row.provider !== "github" || !row.headSha || row.number === null) return undefined;
      where = { repo: row.repo, headSha: row.headSha };
      const pullRequests = deps.checks.pullRequestsFor(row.repo);
      return pullRequests ? await pullRequests.readChecks(row.repo, row.headSha) : undefined;
    } catch (error) {
      log.warn({ releaseRequest: requestId, ...where, error: errorMessage(error) }, "CI checks not read for the Slack message; it goes out without them");
      return undefined;
    }
  }

  /** The stored notice with what is read as the job runs. */
  async function messageOf(requestId: number, notice: NoticePayload) {
    const checks = await checksOf(requestId);
    return buildReleaseMessage({ ...notice, ...(checks ? { checks } : {}) });
  }

  async function noticeRef(requestId: number, channel: string) {
    const notice = await db.releaseNotice.findUnique({ where: { releaseRequestId_channel: { releaseRequestId: requestId, channel } } });
    if (notice) return { channel: notice.channelId, ts: notice.ts };
    const post = await stateOf(jobKeys.slackPost(requestId, channel));
    if (post === "failed") throw permanent(`the announcement in ${channel} was never posted (its job failed): run that job again first`);
    throw new WaitingError(`waiting for the announcement in ${channel} to be posted`);
  }

  const handlers: Record<FollowThroughKind, JobHandler> = {
    async "jira.fix-version"(payload) {
      const { requestId, service, name, tickets } = parse("jira.fix-version", payload);
      const port = jiraPort();
      const report = newReport();
      const versions: { project: string; id: string; name: string }[] = [];
      for (const project of [...new Set(tickets.map(projectOfTicket))]) {
        if (config.jira!.projects && !config.jira!.projects.includes(project)) {
          report.skipped.push(`${tickets.filter((t) => projectOfTicket(t) === project).join(", ")}: project ${project} is not in jira.projects`);
          continue;
        }
        let version;
        try {
          version = await port.findOrCreateFixVersion(project, name, { description: fixVersionDescription(service, requestId) });
        } catch (error) {
          if (!reportable(error)) throw error;
          report.skipped.push(`${project}: ${(error as Error).message}`);
          continue;
        }
        await db.releaseFixVersion.upsert({
          where: { releaseRequestId_service_project: { releaseRequestId: requestId, service, project } },
          create: { releaseRequestId: requestId, service, project, versionId: version.id, name: version.name },
          update: { versionId: version.id, name: version.name },
        });
        versions.push({ project, id: version.id, name: version.name });
        report.changes.push(`fix version ${version.name} in ${project}`);
      }
      return asJson({ ...report, versions });
    },

    async "jira.ticket-raised"(payload) {
      const { requestId, services, ticket, link, comment } = parse("jira.ticket-raised", payload);
      const port = jiraPort();
      const report = newReport();
      const project = projectOfTicket(ticket);
      for (const service of services) {
        const fix = await db.releaseFixVersion.findUnique({ where: { releaseRequestId_service_project: { releaseRequestId: requestId, service, project } } });
        if (!fix) {
          const state = await stateOf(jobKeys.fixVersion(requestId, service));
          if (state === "pending" || state === "running" || state === "missing") throw new WaitingError(`waiting for the fix version of ${service}`);
          report.skipped.push(`${ticket}: no fix version of ${service} in ${project} (${state === "failed" ? "creating it failed" : "the project was left out"})`);
          continue;
        }
        const added = note(report, await port.addFixVersion(ticket, fix.versionId));
        // An unknown ticket, or one of another project: nothing else will work on it either.
        if (added.outcome === "skipped" && (added.reason === "unknown-ticket" || added.reason === "other-project")) return asJson(report);
      }
      if (link && /^https?:\/\//.test(link.url)) {
        note(report, await port.linkPullRequest(ticket, { ...link, globalId: `slipway-release-${requestId}` }));
      }
      note(report, await port.comment(ticket, comment, { marker: `release-${requestId}-raised` }));
      return asJson(report);
    },

    async "jira.transition"(payload) {
      const { ticket } = parse("jira.transition", payload);
      const report = newReport();
      const name = doneTransitionFor(config.jira!, projectOfTicket(ticket));
      note(report, await jiraPort().transition(ticket, name, { unlessCategory: ["done"] }));
      return asJson(report);
    },

    async "jira.release-version"(payload) {
      const { requestId, service, releaseDate } = parse("jira.release-version", payload);
      const port = jiraPort();
      const state = await stateOf(jobKeys.fixVersion(requestId, service));
      if (state === "pending" || state === "running" || state === "missing") throw new WaitingError(`waiting for the fix version of ${service}`);
      const report = newReport();
      const versions = await db.releaseFixVersion.findMany({ where: { releaseRequestId: requestId, service }, orderBy: { project: "asc" } });
      if (versions.length === 0) report.skipped.push(`${service} has no fix version to release (${state === "failed" ? "creating it failed" : "every project was left out"})`);
      for (const version of versions) {
        try {
          const change = await port.setVersionReleased(version.versionId, true, releaseDate);
          (change.outcome === "changed" ? report.changes : report.unchanged).push(`${version.name} in ${version.project} released ${releaseDate}`);
        } catch (error) {
          if (!reportable(error)) throw error;
          report.skipped.push(`${version.name} in ${version.project}: ${(error as Error).message}`);
        }
      }
      return asJson(report);
    },

    async "jira.rollback-flag"(payload, context: JobContext) {
      const { requestId, ticket, comment } = parse("jira.rollback-flag", payload);
      // An earlier request's "done" still on its way would land after the flag and undo it: let it land first.
      const earlier = await db.job.count({
        where: { kind: "jira.transition", releaseRequestId: { lt: context.job.releaseRequestId ?? requestId }, idempotencyKey: { endsWith: `:${ticket}` }, state: { in: ["pending", "running"] } },
      });
      if (earlier > 0) throw new WaitingError(`waiting for the earlier transition of ${ticket} to finish`);
      const port = jiraPort();
      const report = newReport();
      const commented = note(report, await port.comment(ticket, comment, { marker: `release-${requestId}-rollback` }));
      if (commented.outcome === "skipped" && (commented.reason === "unknown-ticket" || commented.reason === "other-project")) return asJson(report);
      const rollback = config.jira!.rollback;
      if (rollback.label) note(report, await port.addLabel(ticket, rollback.label));
      // Only a ticket that is done goes back: one still open has nothing to undo (and a retry finds it moved already).
      if (rollback.transition) note(report, await port.transition(ticket, rollback.transition, { unlessCategory: ["todo", "in-progress"] }));
      return asJson(report);
    },

    async "jira.rollback-version"(payload) {
      const { requestId, service, environment, tickets } = parse("jira.rollback-version", payload);
      // The earlier merges in this environment that brought these tickets with this service.
      const items = await db.releaseItem.findMany({
        where: { service, tickets: { hasSome: tickets }, request: { environment, state: "merged", kind: { not: "rollback" }, id: { lt: requestId } } },
        select: { requestId: true },
      });
      const requestIds = [...new Set(items.map((item) => item.requestId))];
      for (const earlier of requestIds) {
        const state = await stateOf(jobKeys.releaseVersion(earlier, service));
        if (state === "pending" || state === "running") throw new WaitingError(`waiting for change request #${earlier}'s fix version of ${service} to be released first`);
      }
      const report = newReport();
      const versions = await db.releaseFixVersion.findMany({ where: { releaseRequestId: { in: requestIds }, service }, orderBy: [{ releaseRequestId: "asc" }, { project: "asc" }] });
      if (versions.length === 0) report.unchanged.push(`no fix version of ${service} in ${environment} carries these tickets`);
      const port = versions.length > 0 ? jiraPort() : undefined;
      for (const version of versions) {
        try {
          const change = await port!.setVersionReleased(version.versionId, false);
          (change.outcome === "changed" ? report.changes : report.unchanged).push(`${version.name} in ${version.project} unreleased`);
          if (config.jira?.rollback.fixVersion === "archive") {
            const archived = await port!.archiveVersion(version.versionId);
            (archived.outcome === "changed" ? report.changes : report.unchanged).push(`${version.name} in ${version.project} archived`);
          }
        } catch (error) {
          if (!reportable(error)) throw error;
          report.skipped.push(`${version.name} in ${version.project}: ${(error as Error).message}`);
        }
      }
      return asJson(report);
    },

    async "slack.post"(payload, context) {
      const { requestId, channel, notice } = parse("slack.post", payload);
      const stored = await db.releaseNotice.findUnique({ where: { releaseRequestId_channel: { releaseRequestId: requestId, channel } } });
      if (stored) return { channel: stored.channelId, ts: stored.ts };
      const port = slackPort();
      const key = context.job.idempotencyKey;
      // Only a retry can find its own earlier post (one whose answer was lost); the first attempt posts at once.
      const found = context.job.attempts > 1 ? await port.findMessage(channel, key) : undefined;
      const ref = found ?? (await port.postMessage(channel, await messageOf(requestId, notice), { key }));
      await db.releaseNotice.createMany({ data: [{ releaseRequestId: requestId, channel, channelId: ref.channel, ts: ref.ts }], skipDuplicates: true });
      return { channel: ref.channel, ts: ref.ts, ...(found ? { found: true } : {}) };
    },

    async "slack.update"(payload) {
      const { requestId, channel, notice } = parse("slack.update", payload);
      const ref = await noticeRef(requestId, channel);
      // chat.update sets the content: a repeat puts the same content in place again.
      await slackPort().updateMessage(ref, await messageOf(requestId, notice));
      return { channel: ref.channel, ts: ref.ts, state: notice.state };
    },

    async "slack.reply"(payload, context) {
      const { requestId, channel, notice, at } = parse("slack.reply", payload);
      const ref = await noticeRef(requestId, channel);
      const port = slackPort();
      const key = context.job.idempotencyKey;
      const found = context.job.attempts > 1 ? await port.findReply(ref, key) : undefined;
      const reply = found ?? (await port.replyInThread(ref, threadReply(notice, new Date(at)), { key }));
      return { channel: reply.channel, ts: reply.ts, thread: ref.ts };
    },

    async "grafana.annotate"(payload, context) {
      const input = parse("grafana.annotate", payload);
      const built = annotationOfJob(input);
      const annotation = await annotateOnce(grafanaPort(), built.keyTag, built.annotation, { signal: context.signal });
      return { annotationId: annotation.id, created: annotation.created, service: input.item.service, environment: input.environment, time: input.time };
    },
  };
  return handlers;
}
