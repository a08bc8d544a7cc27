import "server-only";

/**
 * The Slack message for a release request, built from a domain `ReleaseNotice` as Block Kit: pure, so its structure and
 * Slack's limits are unit-tested without Slack. The same notice in a later state (merged, closed) builds the content
 * `chat.update` puts in place of the first message; `threadReply` is what is said in its thread when that happens.
 *
 * Limits kept (docs.slack.dev/reference/block-kit): at most 50 blocks, header text 150 characters, section text 3000,
 * section fields 10 × 2000, context elements 10. Long lists end in "…and N more" instead of being cut mid-line.
 * Everything that comes from outside (service names, ticket summaries, requester) is escaped for mrkdwn (&, <, >), so
 * it can neither break the markup nor mention @channel.
 */

export type ReleaseKind = "upgrade" | "rollback" | "promotion";
export type ReleaseState = "open" | "merged" | "closed" | "failed";

export interface NoticeTicket {
  key: string;
  url?: string;
  summary?: string;
}

export interface ReleaseNotice {
  /** The release request's id in Slipway. */
  id: string;
  kind: ReleaseKind;
  environment: string;
  environmentUrl?: string;
  state: ReleaseState;
  /** Who asked, as shown in Slipway. */
  requester: string;
  pullRequest?: { number: number; url: string };
  /** One entry per service whose version changes; `from: null` for a service added, `to: null` for one removed. */
  items: { service: string; from: string | null; to: string | null }[];
  tickets: NoticeTicket[];
  /** A rollback: the tickets whose changes leave the environment. */
  ticketsLeaving?: NoticeTicket[];
  /** CI checks on the pull request's head commit. */
  checks?: { state: "passing" | "pending" | "failing" | "none"; failing: string[] };
  previewUrl?: string;
  releasePageUrl: string;
}

export type SlackTextObject = { type: "plain_text"; text: string; emoji?: boolean } | { type: "mrkdwn"; text: string };
export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji?: boolean } }
  | { type: "section"; text?: SlackTextObject; fields?: SlackTextObject[] }
  | { type: "context"; elements: SlackTextObject[] }
  | { type: "divider" };

export interface SlackMessageContent {
  /** Fallback for notifications and screen readers (mrkdwn). */
  text: string;
  blocks: SlackBlock[];
}

export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Slack's advice for a message's `text`: keep under 4,000 characters (it truncates at 40,000). */
  messageText: 4000,
} as const;

const KIND_TITLE: Record<ReleaseKind, (environment: string) => string> = {
  upgrade: (environment) => `Upgrade to ${environment}`,
  rollback: (environment) => `Rollback of ${environment}`,
  promotion: (environment) => `Promotion to ${environment}`,
};

const STATE_LABEL: Record<ReleaseState, string> = {
  open: ":large_yellow_circle: Open, waiting for review",
  merged: ":white_check_mark: Merged",
  closed: ":no_entry_sign: Closed without merging",
  failed: ":x: Failed",
};

/** Escapes the three characters Slack's mrkdwn gives meaning to (docs: "Escaping text"); nothing else is encoded. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One line of outside text: escaped, whitespace collapsed, at most `max` characters. */
function inline(text: string, max = 300): string {
  return escapeMrkdwn(truncate(text.replace(/\s+/g, " ").trim(), max));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Inline code; a backtick inside would end it early, so it becomes a look-alike. */
function code(text: string): string {
  return `\`${inline(text.replace(/`/g, "ˋ"), 100)}\``;
}

function bold(text: string): string {
  return `*${inline(text.replace(/\*/g, "∗"), 200)}*`;
}

/** `<url|label>` for http(s) URLs; anything else shows the label alone, since Slack would link a `javascript:` too. */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const text = inline(label.replace(/\|/g, "¦"), 300);
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return text;
  const safe = escapeMrkdwn(url).replace(/\|/g, "%7C");
  return `<${safe}|${text}>`;
}

function versionChange(item: ReleaseNotice["items"][number]): string {
  if (item.from === null && item.to === null) return `${bold(item.service)} unchanged`;
  if (item.from === null) return `${bold(item.service)} added at ${code(item.to!)}`;
  if (item.to === null) return `${bold(item.service)} removed (was ${code(item.from)})`;
  return `${bold(item.service)} ${code(item.from)} → ${code(item.to)}`;
}

function ticketLine(ticket: NoticeTicket): string {
  const key = mrkdwnLink(ticket.url, ticket.key);
  return ticket.summary ? `${key} ${inline(ticket.summary, 200)}` : key;
}

/**
 * As many lines as fit in `max` characters under `title`, then "…and N more": a list never breaks a section's limit,
 * and never ends mid-line.
 */
export function fitList(title: string, lines: string[], max: number = SLACK_LIMITS.sectionText): string {
  let text = title;
  for (let i = 0; i < lines.length; i++) {
    const line = `\n• ${lines[i]}`;
    const rest = lines.length - i - 1;
    const more = rest > 0 ? `\n…and ${rest} more` : "";
    // The line goes in if it and the "more" note for what is left after it still fit.
    if (text.length + line.length + more.length <= max) {
      text += line;
      continue;
    }
    return `${text}\n…and ${lines.length - i} more`;
  }
  return text;
}

function checksText(checks: NonNullable<ReleaseNotice["checks"]>): string {
  switch (checks.state) {
    case "passing":
      return ":white_check_mark: Passing";
    case "pending":
      return ":hourglass_flowing_sand: Pending";
    case "none":
      return "No checks reported";
    case "failing": {
      const shown = checks.failing.slice(0, 5).map((name) => inline(name, 100));
      const rest = checks.failing.length - shown.length;
      const names = shown.length ? `: ${shown.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}` : "";
      return truncate(`:x: Failing${names}`, SLACK_LIMITS.fieldText);
    }
  }
}

function field(label: string, value: string): SlackTextObject {
  return { type: "mrkdwn", text: truncate(`*${label}*\n${value}`, SLACK_LIMITS.fieldText) };
}

function title(notice: ReleaseNotice): string {
  return KIND_TITLE[notice.kind](notice.environment.replace(/\s+/g, " "));
}

/** The message announcing a release request, and (same notice, later state) what replaces it. */
export function buildReleaseMessage(notice: ReleaseNotice): SlackMessageContent {
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(title(notice), SLACK_LIMITS.headerText), emoji: true } },
  ];

  const fields: SlackTextObject[] = [
    field("Status", notice.kind === "rollback" && notice.state === "merged" ? ":white_check_mark: Merged, rolled back" : STATE_LABEL[notice.state]),
    field("Environment", mrkdwnLink(notice.environmentUrl, notice.environment)),
    field("Requested by", inline(notice.requester, 200)),
  ];
  if (notice.pullRequest) fields.push(field("Pull request", mrkdwnLink(notice.pullRequest.url, `#${notice.pullRequest.number}`)));
  if (notice.checks) fields.push(field("CI checks", checksText(notice.checks)));
  blocks.push({ type: "section", fields: fields.slice(0, SLACK_LIMITS.fields) });

  const changes = notice.items.map(versionChange);
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text: changes.length ? fitList(`*Changes* (${changes.length})`, changes) : "*Changes*\nNo version changes" },
  });

  if (notice.tickets.length > 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: fitList(`*Tickets* (${notice.tickets.length})`, notice.tickets.map(ticketLine)) } });
  }
  if (notice.kind === "rollback" && notice.ticketsLeaving && notice.ticketsLeaving.length > 0) {
    const heading = `*Tickets leaving ${inline(notice.environment, 100)}* (${notice.ticketsLeaving.length})`;
    blocks.push({ type: "section", text: { type: "mrkdwn", text: fitList(heading, notice.ticketsLeaving.map(ticketLine)) } });
  }

  const links = [mrkdwnLink(notice.releasePageUrl, "Open in Slipway")];
  if (notice.previewUrl) links.push(mrkdwnLink(notice.previewUrl, "Preview"));
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: links.join("  ·  ") }] });

  return { text: fallbackText(notice), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** The `text` Slack shows in notifications: the whole story in a sentence or two. */
function fallbackText(notice: ReleaseNotice): string {
  const state = { open: "open", merged: "merged", closed: "closed without merging", failed: "failed" }[notice.state];
  const pr = notice.pullRequest ? ` (PR #${notice.pullRequest.number})` : "";
  const services = notice.items.map((item) => `${item.service} ${item.from ?? "new"} → ${item.to ?? "removed"}`);
  const shown = services.slice(0, 10).join(", ");
  const more = services.length > 10 ? ` and ${services.length - 10} more` : "";
  return truncate(escapeMrkdwn(`${title(notice)}: ${state}${pr}. ${shown}${more}`.replace(/\s+/g, " ").trim()), 1000);
}

/** `<!date^…>`: Slack shows the time in each reader's own time zone; the fallback is UTC. */
export function slackDate(at: Date): string {
  const fallback = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

function joinWithin(items: string[], max: number): string {
  let text = "";
  for (let i = 0; i < items.length; i++) {
    const next = `${i === 0 ? "" : ", "}${items[i]}`;
    const rest = items.length - i - 1;
    if (text.length + next.length + (rest > 0 ? ` and ${rest} more`.length : 0) > max) return `${text} and ${items.length - i} more`;
    text += next;
  }
  return text;
}

/**
 * What is said in the announcement's thread when the request settles (or opens): what went out and when; for a
 * rollback, which tickets left the environment. Plain mrkdwn text, within Slack's advised 4,000 characters.
 */
export function threadReply(notice: ReleaseNotice, at: Date): string {
  const when = slackDate(at);
  const environment = inline(notice.environment, 100);
  const budget = SLACK_LIMITS.messageText - 400;
  const changes = joinWithin(notice.items.map(versionChange), budget / 2);
  const tickets = (list: NoticeTicket[]) => joinWithin(list.map((t) => mrkdwnLink(t.url, t.key)), budget / 2);

  let text: string;
  switch (notice.state) {
    case "open":
      text = `Opened ${when} by ${inline(notice.requester, 100)}.`;
      break;
    case "closed":
      text = `Closed without merging ${when}: nothing went out to ${environment}.`;
      break;
    case "failed":
      text = `Failed ${when}: nothing went out to ${environment}.`;
      break;
    case "merged":
      if (notice.kind === "rollback") {
        const leaving = notice.ticketsLeaving ?? [];
        text =
          `Rolled back ${environment} ${when}: ${changes || "no version changes"}.` +
          (leaving.length ? ` Tickets leaving ${environment}: ${tickets(leaving)}.` : ` No tickets left ${environment}.`);
      } else {
        text =
          `Went out to ${environment} ${when}: ${changes || "no version changes"}.` +
          (notice.tickets.length ? ` Tickets: ${tickets(notice.tickets)}.` : "");
      }
      break;
  }
  return truncate(text, SLACK_LIMITS.messageText);
}
