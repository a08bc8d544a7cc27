import type { WorkspaceConfig } from "@/lib/config/schema";
import { type FollowThroughKind, KIND_LABELS, fixVersionDescription, type NoticePayload, type PlannedJob, projectOfTicket } from "@/lib/follow-through/follow-through-jobs";
import type { IntegrationName, IntegrationStatus } from "@/lib/follow-through/integration-status";
import {
  type FollowThroughSettings,
  type ReleaseEvent,
  type ReleaseEventRequest,
  type ReleaseEventType,
  followThroughSettings,
  planFollowThrough,
} from "@/lib/follow-through/plan-follow-through";
import { annotationOfJob } from "@/lib/follow-through/job-annotation";
import { commentText, toAdf } from "@/lib/integrations/jira/comment-body";
import { type JiraConfig, doneTransitionFor, jiraConfigSchema, jiraEndpoint } from "@/lib/integrations/jira/jira-config";
import { buildReleaseMessage, threadReply } from "@/lib/integrations/slack/release-message";
import { NOTICE_EVENT_TYPE } from "@/lib/integrations/slack/slack-client";
import { type RenderedBlock, renderSlackBlocks } from "./render-slack-blocks";

/**
 * What Slipway would send to Jira, Slack and Grafana for one release request, event by event, without sending
 * anything: the jobs the follow-through plan stores (planFollowThrough, the same function the real events run), and
 * from their payloads the Jira calls, the Slack messages (Block Kit, rendered) and the Grafana annotations. Pure.
 *
 * It previews the configuration as it is, as if every secret were set: an integration that is off (its secret unset)
 * shows what it would send once it is set. One that slipway.yaml does not configure at all is previewed with its
 * defaults (Jira: a Cloud `jira:` section; Slack: no channel yet), so a fresh install — the demo — still shows every
 * payload; `integrations` says which is which, for the page to say.
 */

export interface PreviewRequest extends ReleaseEventRequest {
  /** The stored state: open (or raising/merging), merged, closed, failed, deferred. */
  state: string;
}

export interface PreviewInput {
  request: PreviewRequest;
  config: Pick<WorkspaceConfig, "jira" | "slack" | "grafana" | "environments">;
  /** readIntegrations(config, secret).status: which integrations are on, and why one is off. */
  status: IntegrationStatus[];
  /** Slipway's own URL (NEXTAUTH_URL), for links. */
  appUrl?: string;
  /** "If it merges now": the time of an event that has not happened. */
  now: Date;
}

export interface PreviewIntegration {
  name: IntegrationName;
  /** slipway.yaml has its section. */
  configured: boolean;
  on: boolean;
  /** Why it is off, or what the preview assumed. */
  note?: string;
}

export interface JobPreview {
  key: string;
  kind: FollowThroughKind;
  integration: IntegrationName;
  /** "Jira: move the ticket to done" */
  label: string;
  /** What it acts on: a ticket, a service, a channel. */
  subject: string;
}

export interface JiraCallPreview {
  /** The job it belongs to, in words, and what it acts on. */
  job: string;
  subject: string;
  method: "GET" | "POST" | "PUT";
  /** From Jira's root: /rest/api/3/issue/PAY-1/comment. `{…}` parts are ids Jira gives at run time. */
  path: string;
  body?: unknown;
  /** When the call is made, or left out. */
  note?: string;
}

export interface SlackPreview {
  kind: "slack.post" | "slack.update" | "slack.reply";
  label: string;
  /** The channels it goes to; empty when slipway.yaml routes none to this environment. */
  channels: string[];
  /** The Web API method and the arguments Slipway sends (for the first channel; the others get the same). */
  method: "chat.postMessage" | "chat.update";
  body: Record<string, unknown>;
  /** The message as Slack shows it. */
  rendered: RenderedBlock[];
}

export interface GrafanaPreview {
  service: string;
  method: "POST";
  path: "/api/annotations";
  /** ISO time of the annotation. */
  time: string;
  tags: string[];
  text: string;
  body: Record<string, unknown>;
}

export interface EventPreview {
  type: ReleaseEventType;
  /** "Raised", "Merged", "If it merges" */
  title: string;
  /** When it happened, or (hypothetical) now. */
  at: string;
  /** Not happened yet: what would be sent if it did now. */
  hypothetical: boolean;
  /** The jobs this event adds (those an earlier event stored already are counted in `repeated`). */
  jobs: JobPreview[];
  /** Jobs the plan asks for again with the same keys as an earlier event: the queue adds nothing for them. */
  repeated: number;
  jira: JiraCallPreview[];
  slack: SlackPreview[];
  grafana: GrafanaPreview[];
}

export interface FollowThroughPreview {
  requestId: number;
  integrations: PreviewIntegration[];
  events: EventPreview[];
}

/** A Slack channel stand-in while slipway.yaml routes none to the environment: the message is still previewed. */
const NO_CHANNEL = "(no channel routed here)";

/** Jira's defaults, for previewing Jira before slipway.yaml has a jira: section. */
const DEFAULT_JIRA: JiraConfig = jiraConfigSchema.parse({
  url: "https://jira.example.com",
  deployment: "cloud",
  auth: { emailEnv: "JIRA_EMAIL", tokenEnv: "JIRA_API_TOKEN" },
});

const OPEN_STATES = ["open", "raising", "merging"];

export function previewFollowThrough(input: PreviewInput): FollowThroughPreview {
  const { request, config } = input;
  const settings = previewSettings(input);
  const seen = new Set<string>();
  const events = eventsOf(request, input.now).map(({ event, title, hypothetical }): EventPreview => {
    const planned = planFollowThrough(event, settings);
    const fresh = planned.filter((job) => !seen.has(job.key));
    for (const job of planned) seen.add(job.key);
    return {
      type: event.type,
      title,
      at: event.at.toISOString(),
      hypothetical,
      jobs: fresh.map(jobPreview),
      repeated: planned.length - fresh.length,
      jira: jiraCalls(fresh, planned, config.jira ?? DEFAULT_JIRA, request.id),
      slack: slackPreviews(fresh, Boolean(config.jira)),
      grafana: grafanaPreviews(fresh, config.grafana?.dashboardUID),
    };
  });
  return { requestId: request.id, integrations: previewIntegrations(input), events };
}

/** The follow-through settings as if every secret were set, with defaults for what slipway.yaml leaves out. */
function previewSettings(input: PreviewInput): FollowThroughSettings {
  const settings = followThroughSettings(input.config, input.request.environment, { jira: true, slack: true, grafana: true }, input.appUrl);
  return {
    ...settings,
    jira: settings.jira ?? { fixVersionPattern: DEFAULT_JIRA.fixVersionPattern, siteUrl: "" },
    slack: settings.slack ?? { channels: [NO_CHANNEL] },
    grafana: settings.grafana ?? {},
  };
}

function previewIntegrations(input: PreviewInput): PreviewIntegration[] {
  return (["jira", "slack", "grafana"] as const).map((name) => {
    const status = input.status.find((entry) => entry.name === name);
    const configured = Boolean(input.config[name]);
    const on = Boolean(status?.on);
    let note: string | undefined;
    if (!configured) {
      note = {
        jira: "Jira is not configured (no jira: section in slipway.yaml): shown with the defaults of a Jira Cloud section. Nothing is sent.",
        slack: "Slack is not configured (no slack: section in slipway.yaml): the message is shown, but no channel would get it. Nothing is sent.",
        grafana: "Grafana is not configured (no grafana: section in slipway.yaml): the annotations are shown as they would be created. Nothing is sent.",
      }[name];
    } else if (!on) note = `${status?.reason ?? `${name} is off`}. Shown as it would be sent once it is set; nothing is sent now.`;
    return { name, configured, on, ...(note ? { note } : {}) };
  });
}

/** The events a request has had, and those it could still have ("if it merges now"). */
function eventsOf(request: PreviewRequest, now: Date): { event: ReleaseEvent; title: string; hypothetical: boolean }[] {
  const open = OPEN_STATES.includes(request.state);
  const events: { event: ReleaseEvent; title: string; hypothetical: boolean }[] = [];
  const raisedYet = open || request.state === "merged" || request.state === "closed";
  events.push({ event: { type: "raised", request, at: request.createdAt }, title: raisedYet ? "Raised" : "When it opens", hypothetical: !raisedYet });
  const rollback = request.kind === "rollback" ? " (rollback)" : "";
  if (request.state === "merged") {
    const at = request.mergedAt ?? now;
    events.push({ event: { type: "merged", request: { ...request, mergedAt: at }, at }, title: `Merged${rollback}`, hypothetical: false });
  } else if (request.state === "closed") {
    const at = request.closedAt ?? now;
    events.push({ event: { type: "closed", request: { ...request, closedAt: at }, at }, title: "Closed without merging", hypothetical: false });
  } else {
    events.push({ event: { type: "merged", request: { ...request, mergedAt: now }, at: now }, title: `If it merges now${rollback}`, hypothetical: true });
    events.push({ event: { type: "closed", request: { ...request, closedAt: now }, at: now }, title: "If it is closed now", hypothetical: true });
  }
  return events;
}

function integrationOf(kind: FollowThroughKind): IntegrationName {
  return kind.slice(0, kind.indexOf(".")) as IntegrationName;
}

function jobPreview(job: PlannedJob): JobPreview {
  // Keys are kind:request:subject[:state] (follow-through-jobs.ts).
  const subject = job.key.split(":").slice(2).join(" · ");
  return { key: job.key, kind: job.kind, integration: integrationOf(job.kind), label: KIND_LABELS[job.kind], subject };
}

type Of<K extends FollowThroughKind> = Extract<PlannedJob, { kind: K }>;

/**
 * The writes each Jira job makes, as jira-client sends them (REST API v3 with ADF comments on Cloud, v2 with text on
 * Data Center). Every write is preceded by a read that makes it idempotent (see jira-client.ts); the note says which.
 */
function jiraCalls(jobs: PlannedJob[], plan: PlannedJob[], jira: JiraConfig, requestId: number): JiraCallPreview[] {
  const cloud = jira.deployment === "cloud";
  const api = `${jiraEndpoint(jira).base}/rest/api/${cloud ? "3" : "2"}`;
  const issue = (key: string) => `${api}/issue/${encodeURIComponent(key)}`;
  const commentBody = (text: string, marker: string) => {
    const body = commentText(text, marker);
    return { body: cloud ? toAdf(body) : body };
  };
  const fixVersionNames = new Map(plan.filter((job): job is Of<"jira.fix-version"> => job.kind === "jira.fix-version").map((job) => [job.payload.service, job.payload.name]));
  const calls: JiraCallPreview[] = [];
  const add = (job: PlannedJob, subject: string, call: Omit<JiraCallPreview, "job" | "subject">) => calls.push({ job: KIND_LABELS[job.kind], subject, ...call });

  for (const job of jobs) {
    switch (job.kind) {
      case "jira.fix-version": {
        const { service, name, tickets } = job.payload;
        for (const project of [...new Set(tickets.map(projectOfTicket))]) {
          if (jira.projects && !jira.projects.includes(project)) {
            add(job, project, { method: "POST", path: `${api}/version`, note: `Not sent: project ${project} is not in jira.projects.` });
            continue;
          }
          add(job, `${service} in ${project}`, {
            method: "POST",
            path: `${api}/version`,
            body: { name, projectId: `{id of project ${project}}`, description: fixVersionDescription(service, requestId) },
            note: `Only when ${project} has no version of this name yet (GET ${api}/project/${project}/versions).`,
          });
        }
        break;
      }
      case "jira.ticket-raised": {
        const { ticket, services, link, comment } = job.payload;
        const project = projectOfTicket(ticket);
        for (const service of services) {
          const name = fixVersionNames.get(service) ?? `the fix version of ${service}`;
          add(job, ticket, {
            method: "PUT",
            path: issue(ticket),
            body: { update: { fixVersions: [{ add: { id: `{id of ${name} in ${project}}` } }] } },
            note: "Only when the ticket does not have the fix version yet.",
          });
        }
        if (link && /^https?:\/\//.test(link.url)) {
          add(job, ticket, {
            method: "POST",
            path: `${issue(ticket)}/remotelink`,
            body: {
              globalId: `slipway-release-${requestId}`,
              application: { type: "com.slipway", name: "Slipway" },
              relationship: "release request",
              object: { url: link.url, title: link.title, summary: link.summary },
            },
            note: "Only when the ticket does not link there already (Jira updates a link with the same globalId).",
          });
        }
        add(job, ticket, {
          method: "POST",
          path: `${issue(ticket)}/comment`,
          body: commentBody(comment, `release-${requestId}-raised`),
          note: "Only when the ticket has no comment with the marker line yet.",
        });
        break;
      }
      case "jira.transition": {
        const { ticket } = job.payload;
        const name = doneTransitionFor(jira, projectOfTicket(ticket));
        add(job, ticket, {
          method: "POST",
          path: `${issue(ticket)}/transitions`,
          body: { transition: { id: `{id of the transition "${name}" from the ticket's status}` } },
          note: `Only when the ticket is not done yet (the transition is jira.doneTransition${jira.doneTransitionByProject[projectOfTicket(ticket)] ? "ByProject" : ""}).`,
        });
        break;
      }
      case "jira.release-version": {
        const { service, releaseDate } = job.payload;
        const name = fixVersionNames.get(service) ?? `the fix version of ${service}`;
        add(job, `${service}`, {
          method: "PUT",
          path: `${api}/version/{id of ${name}}`,
          body: { id: `{id of ${name}}`, released: true, releaseDate },
          note: "In each project that got the fix version; only when it is not released on that date already.",
        });
        break;
      }
      case "jira.rollback-flag": {
        const { ticket, comment } = job.payload;
        add(job, ticket, { method: "POST", path: `${issue(ticket)}/comment`, body: commentBody(comment, `release-${requestId}-rollback`), note: "Only when the ticket has no comment with the marker line yet." });
        if (jira.rollback.label) {
          add(job, ticket, { method: "PUT", path: issue(ticket), body: { update: { labels: [{ add: jira.rollback.label }] } }, note: "Only when the ticket does not have the label yet." });
        }
        if (jira.rollback.transition) {
          add(job, ticket, {
            method: "POST",
            path: `${issue(ticket)}/transitions`,
            body: { transition: { id: `{id of the transition "${jira.rollback.transition}" from the ticket's status}` } },
            note: "Only when the ticket is done (one still open has nothing to undo).",
          });
        }
        break;
      }
      case "jira.rollback-version": {
        const { service, environment } = job.payload;
        add(job, service, {
          method: "PUT",
          path: `${api}/version/{id}`,
          body: { id: "{id}", released: false },
          note: `For each released fix version of ${service} that an earlier merged request brought to ${environment} with these tickets.`,
        });
        if (jira.rollback.fixVersion === "archive") {
          add(job, service, { method: "PUT", path: `${api}/version/{id}`, body: { id: "{id}", archived: true }, note: "Then archived (jira.rollback.fixVersion: archive)." });
        }
        break;
      }
      default:
        break;
    }
  }
  return calls;
}

/** One preview per kind of Slack job: every channel gets the same message. */
function slackPreviews(jobs: PlannedJob[], jiraConfigured: boolean): SlackPreview[] {
  const previews: SlackPreview[] = [];
  for (const kind of ["slack.post", "slack.update", "slack.reply"] as const) {
    const ofKind = jobs.filter((job): job is Of<typeof kind> => job.kind === kind);
    const first = ofKind[0];
    if (!first) continue;
    const channels = ofKind.map((job) => job.payload.channel).filter((channel) => channel !== NO_CHANNEL);
    const channel = channels[0] ?? "{channel}";
    // Without a jira: section the real plan has no ticket links; the preview's stand-in Jira must not add any.
    const notice = jiraConfigured ? first.payload.notice : withoutTicketLinks(first.payload.notice);
    const metadata = { event_type: NOTICE_EVENT_TYPE, event_payload: { key: first.key.replace(first.payload.channel, channel) } };
    if (first.kind === "slack.reply") {
      const text = threadReply(notice, new Date(first.payload.at));
      previews.push({
        kind,
        label: KIND_LABELS[kind],
        channels,
        method: "chat.postMessage",
        body: { channel, thread_ts: "{ts of the announcement}", text, metadata, unfurl_links: false, unfurl_media: false },
        rendered: renderSlackBlocks([{ type: "section", text: { type: "mrkdwn", text } }]),
      });
      continue;
    }
    const content = buildReleaseMessage(notice);
    previews.push({
      kind,
      label: KIND_LABELS[kind],
      channels,
      method: kind === "slack.post" ? "chat.postMessage" : "chat.update",
      body:
        kind === "slack.post"
          ? { channel, text: content.text, blocks: content.blocks, metadata, unfurl_links: false, unfurl_media: false }
          : { channel: `{id of ${channel}}`, ts: "{ts of the announcement}", text: content.text, blocks: content.blocks },
      rendered: renderSlackBlocks(content.blocks),
    });
  }
  return previews;
}

function withoutTicketLinks(notice: NoticePayload): NoticePayload {
  const strip = (tickets: NoticePayload["tickets"]) => tickets.map(({ key }) => ({ key }));
  return { ...notice, tickets: strip(notice.tickets), ...(notice.ticketsLeaving ? { ticketsLeaving: strip(notice.ticketsLeaving) } : {}) };
}

/** The annotations a merge creates, with the body POST /api/annotations gets (grafana-client.ts createAnnotation). */
function grafanaPreviews(jobs: PlannedJob[], dashboardUID: string | undefined): GrafanaPreview[] {
  return jobs
    .filter((job): job is Of<"grafana.annotate"> => job.kind === "grafana.annotate")
    .map((job) => {
      const input = job.payload;
      const annotation = annotationOfJob(input).annotation;
      return {
        service: input.item.service,
        method: "POST",
        path: "/api/annotations",
        time: annotation.time.toISOString(),
        tags: annotation.tags,
        text: annotation.text,
        body: { ...(dashboardUID ? { dashboardUID } : {}), time: annotation.time.getTime(), tags: annotation.tags, text: annotation.text },
      };
    });
}
