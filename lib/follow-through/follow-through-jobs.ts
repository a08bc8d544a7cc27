import { z } from "zod";

/**
 * The follow-through jobs: their kinds, what each one's payload holds (checked with zod when it runs, since a payload
 * stored by an older version may not match), and the idempotency key of each effect. Shared by the plan, which builds
 * payloads, and the handlers, which read them. Free of I/O.
 */

export const JOB_KINDS = [
  "jira.fix-version",
  "jira.ticket-raised",
  "jira.transition",
  "jira.release-version",
  "jira.rollback-flag",
  "jira.rollback-version",
  "slack.post",
  "slack.update",
  "slack.reply",
  "grafana.annotate",
] as const;

export type FollowThroughKind = (typeof JOB_KINDS)[number];

/** What each kind does, in words for the release request page. */
export const KIND_LABELS: Record<FollowThroughKind, string> = {
  "jira.fix-version": "Jira: create the fix version",
  "jira.ticket-raised": "Jira: fix version, link and comment on the ticket",
  "jira.transition": "Jira: move the ticket to done",
  "jira.release-version": "Jira: release the fix version",
  "jira.rollback-flag": "Jira: flag the ticket as rolled back",
  "jira.rollback-version": "Jira: unrelease (or archive) the rolled-back fix versions",
  "slack.post": "Slack: announce in the channel",
  "slack.update": "Slack: update the announcement",
  "slack.reply": "Slack: reply in the thread",
  "grafana.annotate": "Grafana: annotate the release",
};

/** One key per effect: a replayed event finds the job it enqueued the first time and adds nothing. */
export const jobKeys = {
  fixVersion: (requestId: number, service: string) => `jira.fix-version:${requestId}:${service}`,
  ticketRaised: (requestId: number, ticket: string) => `jira.ticket-raised:${requestId}:${ticket}`,
  transition: (requestId: number, ticket: string) => `jira.transition:${requestId}:${ticket}`,
  releaseVersion: (requestId: number, service: string) => `jira.release-version:${requestId}:${service}`,
  rollbackFlag: (requestId: number, ticket: string) => `jira.rollback-flag:${requestId}:${ticket}`,
  rollbackVersion: (requestId: number, service: string) => `jira.rollback-version:${requestId}:${service}`,
  slackPost: (requestId: number, channel: string) => `slack.post:${requestId}:${channel}`,
  slackUpdate: (requestId: number, channel: string, state: string) => `slack.update:${requestId}:${channel}:${state}`,
  slackReply: (requestId: number, channel: string, state: string) => `slack.reply:${requestId}:${channel}:${state}`,
  grafanaAnnotate: (requestId: number, service: string) => `grafana.annotate:${requestId}:${service}`,
};

const requestId = z.number().int().positive();
const ticketKey = z.string().min(1).max(100);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The Slack notice as stored in a payload: release-message.ts's ReleaseNotice, minus what is read when the job runs
 * (the CI checks of the pull request's head, which change after the event).
 */
export const noticeSchema = z.object({
  id: z.string(),
  kind: z.enum(["upgrade", "rollback", "promotion"]),
  environment: z.string(),
  environmentUrl: z.string().optional(),
  state: z.enum(["open", "merged", "closed", "failed"]),
  requester: z.string(),
  pullRequest: z.object({ number: z.number().int(), url: z.string() }).optional(),
  items: z.array(z.object({ service: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  tickets: z.array(z.object({ key: z.string(), url: z.string().optional() })),
  ticketsLeaving: z.array(z.object({ key: z.string(), url: z.string().optional() })).optional(),
  /** Where the request's branch is previewed (the environment's previewUrl), while it is open. */
  previewUrl: z.string().optional(),
  releasePageUrl: z.string(),
});
export type NoticePayload = z.infer<typeof noticeSchema>;

export const payloadSchemas = {
  "jira.fix-version": z.object({
    requestId,
    service: z.string(),
    /** The fix version's name, from jira.fixVersionPattern. */
    name: z.string().min(1).max(255),
    tickets: z.array(ticketKey),
  }),
  "jira.ticket-raised": z.object({
    requestId,
    /** The services whose fix versions the ticket gets (one, unless two services name the same ticket). */
    services: z.array(z.string()),
    ticket: ticketKey,
    /** Where the ticket links to: the pull request, or the change request's page in Slipway. */
    link: z.object({ url: z.string(), title: z.string(), summary: z.string() }).optional(),
    comment: z.string().min(1),
  }),
  "jira.transition": z.object({ requestId, ticket: ticketKey }),
  "jira.release-version": z.object({ requestId, service: z.string(), releaseDate: day }),
  "jira.rollback-flag": z.object({ requestId, ticket: ticketKey, comment: z.string().min(1) }),
  "jira.rollback-version": z.object({ requestId, service: z.string(), environment: z.string(), tickets: z.array(ticketKey) }),
  "slack.post": z.object({ requestId, channel: z.string(), notice: noticeSchema }),
  "slack.update": z.object({ requestId, channel: z.string(), notice: noticeSchema }),
  "slack.reply": z.object({ requestId, channel: z.string(), notice: noticeSchema, at: z.string().datetime() }),
  "grafana.annotate": z.object({
    requestId,
    kind: z.enum(["upgrade", "rollback", "promotion"]),
    environment: z.string(),
    item: z.object({ service: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
    tickets: z.array(ticketKey),
    ticketsLeaving: z.array(ticketKey).optional(),
    requestUrl: z.string().optional(),
    time: z.string().datetime(),
  }),
} satisfies Record<FollowThroughKind, z.ZodType>;

export type FollowThroughPayload<K extends FollowThroughKind> = z.input<(typeof payloadSchemas)[K]>;

/** A job the plan asks for. */
export type PlannedJob = {
  [K in FollowThroughKind]: { kind: K; key: string; payload: FollowThroughPayload<K>; maxAttempts?: number };
}[FollowThroughKind];

/** The Jira project of a ticket key: PAY of PAY-12. */
/** The description a release request's fix version gets in Jira (sent by the job, shown by the settings preview). */
export function fixVersionDescription(service: string, requestId: number): string {
  return `Released by Slipway: ${service} (change request #${requestId})`;
}

export function projectOfTicket(key: string): string {
  return key.slice(0, key.lastIndexOf("-")).toUpperCase();
}
