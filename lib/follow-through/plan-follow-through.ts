import type { WorkspaceConfig } from "@/lib/config/schema";
import { jiraEndpoint } from "@/lib/integrations/jira/jira-config";
import { fixVersionName } from "@/lib/integrations/jira/fix-version-name";
import { channelsForEnvironment } from "@/lib/integrations/slack/slack-config";
import { previewUrlFor } from "@/lib/releases/preview-url";
import type { ReleaseKind } from "@/lib/releases/release-types";
import { type NoticePayload, type PlannedJob, jobKeys } from "./follow-through-jobs";

/**
 * What a release event asks of Jira, Slack and Grafana, as jobs to store: pure, so which effects an event has (and
 * their keys) is tested without any of them. Every key names one effect, so planning the same event again — a retried
 * merge, a sync and a webhook seeing one merge, a catch-up after a failed enqueue — plans the same keys, and the queue
 * adds nothing.
 *
 * A later event plans the earlier one's effects too (a merge also plans the fix version and the announcement): if the
 * earlier event was never recorded, nothing is lost; if it was, those keys exist already.
 */

export type ReleaseEventType = "raised" | "merged" | "closed";

export interface ReleaseEventItem {
  service: string;
  chart: string;
  from: string;
  to: string;
  /** Jira keys: the tickets it brings, or for a rollback the tickets that leave. */
  tickets: string[];
}

export interface ReleaseEventRequest {
  id: number;
  kind: ReleaseKind;
  environment: string;
  title: string;
  requester: string;
  /** The pull request on GitHub; none for a change request on plain git. */
  url?: string;
  number?: number;
  /** The stack repository and the request's branch in it, for the environment's preview link. */
  repo?: string;
  branch?: string;
  items: ReleaseEventItem[];
  createdAt: Date;
  mergedAt?: Date;
  closedAt?: Date;
}

export interface ReleaseEvent {
  type: ReleaseEventType;
  request: ReleaseEventRequest;
  /** When it happened (the merge, the close); for a raise, when it opened. */
  at: Date;
}

/** What is on, and how, for one environment. */
export interface FollowThroughSettings {
  jira?: { fixVersionPattern: string; siteUrl: string };
  slack?: { channels: string[] };
  grafana?: Record<string, never>;
  /** Where Slipway is reached (NEXTAUTH_URL): links to the release request page. */
  appUrl?: string;
  /** Where the environment is reached (its url in slipway.yaml). */
  environmentUrl?: string;
  /** The environment's previewUrl template (lib/releases/preview-url.ts): where a request's branch is previewed. */
  previewUrl?: string;
}

export interface EnabledIntegrations {
  jira: boolean;
  slack: boolean;
  grafana: boolean;
}

/** The settings for one environment's events: its Slack channels (by name or group), Jira's pattern, links. */
export function followThroughSettings(
  config: Pick<WorkspaceConfig, "jira" | "slack" | "grafana" | "environments">,
  environmentName: string,
  enabled: EnabledIntegrations,
  appUrl?: string,
): FollowThroughSettings {
  const environment = config.environments.find((e) => e.name === environmentName);
  const channels = config.slack && enabled.slack ? channelsForEnvironment(config.slack, { name: environmentName, groups: environment?.groups ?? {} }) : [];
  return {
    ...(config.jira && enabled.jira ? { jira: { fixVersionPattern: config.jira.fixVersionPattern, siteUrl: jiraEndpoint(config.jira).siteUrl } } : {}),
    ...(channels.length > 0 ? { slack: { channels } } : {}),
    ...(config.grafana && enabled.grafana ? { grafana: {} } : {}),
    ...(appUrl ? { appUrl: appUrl.replace(/\/+$/, "") } : {}),
    ...(environment?.url ? { environmentUrl: environment.url } : {}),
    ...(environment?.previewUrl ? { previewUrl: environment.previewUrl } : {}),
  };
}

/** Jobs that need another job's outcome (a message's ts, a version's id) wait for it, so they get more attempts. */
const DEPENDENT_ATTEMPTS = 16;

export function planFollowThrough(event: ReleaseEvent, settings: FollowThroughSettings): PlannedJob[] {
  const request = event.request;
  const id = request.id;
  const rollback = request.kind === "rollback";
  const settled = event.type === "merged" || event.type === "closed";
  const merged = event.type === "merged";
  const mergedAt = request.mergedAt ?? event.at;
  const pageUrl = settings.appUrl ? `${settings.appUrl}/releases/${id}` : undefined;
  const environmentUrl = settings.environmentUrl ?? (settings.appUrl ? `${settings.appUrl}/environments/${encodeURIComponent(request.environment)}` : undefined);
  // Only while the request opens: once it settles, its branch (and the preview built from it) is gone.
  const previewUrl = event.type === "raised" ? previewOf(request, settings) : undefined;
  const withTickets = request.items.filter((item) => item.tickets.length > 0);
  const tickets = unique(request.items.flatMap((item) => item.tickets));
  const jobs: PlannedJob[] = [];

  if (settings.jira) {
    const jira = settings.jira;
    if (!rollback && event.type !== "closed") {
      for (const item of withTickets) {
        const name = fixVersionName(jira.fixVersionPattern, { service: item.service, environment: request.environment, date: request.createdAt, version: item.to });
        jobs.push({ kind: "jira.fix-version", key: jobKeys.fixVersion(id, item.service), payload: { requestId: id, service: item.service, name, tickets: item.tickets } });
      }
      const link = request.url ?? pageUrl;
      for (const ticket of tickets) {
        const services = withTickets.filter((item) => item.tickets.includes(ticket)).map((item) => item.service);
        const where = environmentUrl ? `${request.environment} (${environmentUrl})` : request.environment;
        jobs.push({
          kind: "jira.ticket-raised",
          key: jobKeys.ticketRaised(id, ticket),
          maxAttempts: DEPENDENT_ATTEMPTS,
          payload: {
            requestId: id,
            services,
            ticket,
            ...(link ? { link: { url: link, title: linkTitle(request), summary: `${request.title} (${request.environment})` } } : {}),
            comment: `Slipway raised ${describe(request)} for ${where}: ${request.title}.${link ? ` ${link}` : ""}${previewUrl ? ` Preview: ${previewUrl}` : ""}`,
          },
        });
      }
    }
    if (merged && !rollback) {
      for (const item of withTickets) {
        jobs.push({
          kind: "jira.release-version",
          key: jobKeys.releaseVersion(id, item.service),
          maxAttempts: DEPENDENT_ATTEMPTS,
          payload: { requestId: id, service: item.service, releaseDate: mergedAt.toISOString().slice(0, 10) },
        });
      }
      for (const ticket of tickets) jobs.push({ kind: "jira.transition", key: jobKeys.transition(id, ticket), payload: { requestId: id, ticket } });
    }
    if (merged && rollback) {
      const where = environmentUrl ? `${request.environment} (${environmentUrl})` : request.environment;
      for (const ticket of tickets) {
        const services = request.items.filter((item) => item.tickets.includes(ticket)).map((item) => `${item.service} ${item.from} → ${item.to}`);
        jobs.push({
          kind: "jira.rollback-flag",
          key: jobKeys.rollbackFlag(id, ticket),
          payload: {
            requestId: id,
            ticket,
            comment:
              `Rolled back: this ticket's change left ${where} on ${mergedAt.toISOString().slice(0, 10)} with ${describe(request)} ` +
              `(${services.join(", ")}).${(request.url ?? pageUrl) ? ` ${request.url ?? pageUrl}` : ""}`,
          },
        });
      }
      for (const item of withTickets) {
        jobs.push({
          kind: "jira.rollback-version",
          key: jobKeys.rollbackVersion(id, item.service),
          payload: { requestId: id, service: item.service, environment: request.environment, tickets: item.tickets },
        });
      }
    }
  }

  if (settings.slack) {
    const notice = noticeFor(event, settings, pageUrl, environmentUrl, previewUrl);
    for (const channel of settings.slack.channels) {
      jobs.push({ kind: "slack.post", key: jobKeys.slackPost(id, channel), payload: { requestId: id, channel, notice } });
      if (settled) {
        const state = notice.state;
        jobs.push({ kind: "slack.update", key: jobKeys.slackUpdate(id, channel, state), maxAttempts: DEPENDENT_ATTEMPTS, payload: { requestId: id, channel, notice } });
        jobs.push({
          kind: "slack.reply",
          key: jobKeys.slackReply(id, channel, state),
          maxAttempts: DEPENDENT_ATTEMPTS,
          payload: { requestId: id, channel, notice, at: (merged ? mergedAt : (request.closedAt ?? event.at)).toISOString() },
        });
      }
    }
  }

  if (settings.grafana && merged) {
    for (const item of request.items) {
      jobs.push({
        kind: "grafana.annotate",
        key: jobKeys.grafanaAnnotate(id, item.service),
        payload: {
          requestId: id,
          kind: request.kind,
          environment: request.environment,
          item: { service: item.service, from: item.from, to: item.to },
          tickets: rollback ? [] : item.tickets,
          ...(rollback ? { ticketsLeaving: item.tickets } : {}),
          ...((request.url ?? pageUrl) ? { requestUrl: request.url ?? pageUrl } : {}),
          time: mergedAt.toISOString(),
        },
      });
    }
  }
  return jobs;
}

/** The request's preview link, from the environment's template and the request's branch; none without either. */
function previewOf(request: ReleaseEventRequest, settings: FollowThroughSettings): string | undefined {
  if (!settings.previewUrl || !request.branch) return undefined;
  return previewUrlFor(settings.previewUrl, { repo: request.repo ?? "", branch: request.branch, environment: request.environment });
}

function noticeFor(
  event: ReleaseEvent,
  settings: FollowThroughSettings,
  pageUrl: string | undefined,
  environmentUrl: string | undefined,
  previewUrl: string | undefined,
): NoticePayload {
  const request = event.request;
  const ticketUrl = (key: string) => (settings.jira ? `${settings.jira.siteUrl}/browse/${key}` : undefined);
  const tickets = unique(request.items.flatMap((item) => item.tickets)).map((key) => ({ key, ...(ticketUrl(key) ? { url: ticketUrl(key) } : {}) }));
  const rollback = request.kind === "rollback";
  return {
    id: String(request.id),
    kind: request.kind,
    environment: request.environment,
    ...(environmentUrl ? { environmentUrl } : {}),
    state: event.type === "raised" ? "open" : event.type,
    requester: request.requester,
    ...(request.url && request.number !== undefined ? { pullRequest: { number: request.number, url: request.url } } : {}),
    items: request.items.map((item) => ({ service: item.service, from: item.from, to: item.to })),
    tickets: rollback ? [] : tickets,
    ...(rollback ? { ticketsLeaving: tickets } : {}),
    // The update on merge or close is planned without it, so the settled message drops the link.
    ...(previewUrl ? { previewUrl } : {}),
    releasePageUrl: pageUrl ?? `/releases/${request.id}`,
  };
}

function describe(request: ReleaseEventRequest): string {
  return request.url && request.number !== undefined ? `pull request #${request.number}` : `change request #${request.id}`;
}

function linkTitle(request: ReleaseEventRequest): string {
  const what = { upgrade: "Upgrade", rollback: "Rollback", promotion: "Promotion" }[request.kind];
  return `${what} in ${request.environment}: ${describe(request)}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
