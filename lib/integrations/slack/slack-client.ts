import "server-only";
import { LogLevel, WebClient, type Logger as SlackLogger } from "@slack/web-api";
import { ConfigError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { SlackConfig } from "./slack-config";
import { SlackError, toSlackError } from "./slack-errors";
import type { SlackMessageContent } from "./release-message";

export type { SlackConfig, SlackChannelRoute } from "./slack-config";
export { slackConfigSchema, channelsForEnvironment } from "./slack-config";
export { SlackError, toSlackError } from "./slack-errors";
export { buildReleaseMessage, threadReply, type ReleaseNotice, type SlackMessageContent } from "./release-message";

/**
 * Slack for Slipway: post a release request's announcement, update it in place, reply in its thread. The entry point
 * of lib/integrations/slack; callers see this port and domain types only, never WebClient's.
 *
 * WebClient runs with retries off and `rejectRateLimitedCalls`: the durable job layer owns retries, and a 429 comes
 * back at once as a SlackError with `retryAfter` for it to honour, instead of WebClient sleeping inside a job.
 *
 * Exactly once: a post is not idempotent in Slack, so posts and replies can carry a `key`, stored in the message's
 * metadata. Before posting again after a failure whose outcome is unknown (a timeout, a dropped connection, Slack's
 * internal_error), the caller asks `findMessage` / `findReply` whether the first attempt landed.
 */

/** Where a message lives: what Slipway stores so updates and replies survive restarts. */
export interface SlackMessageRef {
  /** The conversation ID (C…), also when the message was posted to a `#name`. */
  channel: string;
  ts: string;
}

export interface SlackPort {
  /** Posts a top-level message; `channel` may be an ID or `#name`. */
  postMessage(channel: string, content: SlackMessageContent, options?: { key?: string }): Promise<SlackMessageRef>;
  /** Replaces a message's text and blocks (chat.update); its thread and metadata stay. */
  updateMessage(ref: SlackMessageRef, content: SlackMessageContent): Promise<void>;
  replyInThread(ref: SlackMessageRef, text: string, options?: { key?: string }): Promise<SlackMessageRef>;
  /** The top-level message posted with `key` since `since` (default: the last 7 days), if any. */
  findMessage(channel: string, key: string, options?: { since?: Date }): Promise<SlackMessageRef | undefined>;
  /** The reply posted with `key` in `ref`'s thread, if any. */
  findReply(ref: SlackMessageRef, key: string): Promise<SlackMessageRef | undefined>;
  /** auth.test: the token works, and for which workspace and bot user. */
  testConnection(): Promise<{ team: string; url: string; botUserId: string }>;
}

/** The metadata event type Slipway's messages carry; the key is its payload. */
export const NOTICE_EVENT_TYPE = "slipway_notice";

const DEFAULT_TIMEOUT_MS = 10_000;
const FIND_WINDOW_MS = 7 * 24 * 3600_000;
/** conversations.history pages read when looking for a message (200 messages each). */
const FIND_MAX_PAGES = 5;

export interface CreateSlackOptions {
  /** Per HTTP request (default 10 s). */
  timeoutMs?: number;
}

/** A Slack port for `config`, authenticating with the bot token `secret` (the value of `config.tokenEnv`). */
export function createSlack(
  config: Pick<SlackConfig, "apiUrl" | "tokenEnv">,
  secret: string | undefined,
  options: CreateSlackOptions = {},
): SlackPort {
  if (!secret?.trim()) {
    throw new ConfigError(`${config.tokenEnv} is not set: put the Slack app's bot token (xoxb-…) in it, or remove slack: from slipway.yaml`);
  }
  const client = new WebClient(secret.trim(), {
    slackApiUrl: config.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logger: webClientLogger(),
  });
  const channelIds = new Map<string, string>();

  async function call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toSlackError(error, { action, tokenEnv: config.tokenEnv, apiUrl: config.apiUrl });
    }
  }

  function metadata(key: string | undefined) {
    return key === undefined ? undefined : { event_type: NOTICE_EVENT_TYPE, event_payload: { key } };
  }

  function refFrom(result: { channel?: string; ts?: string }, action: string): SlackMessageRef {
    if (!result.channel || !result.ts) {
      throw new SlackError(`Slack answered without a channel and ts while ${action}`, "invalid_response", true);
    }
    return { channel: result.channel, ts: result.ts };
  }

  /** conversations.history needs an ID; a `#name` is looked up once (conversations.list) and remembered. */
  async function channelId(channel: string): Promise<string | undefined> {
    if (!channel.startsWith("#")) return channel;
    const known = channelIds.get(channel);
    if (known) return known;
    const name = channel.slice(1);
    const action = `looking up Slack channel ${channel}`;
    let cursor: string | undefined;
    do {
      const page = await call(action, () =>
        client.conversations.list({ types: "public_channel,private_channel", exclude_archived: true, limit: 200, cursor }),
      );
      const found = page.channels?.find((candidate) => candidate.name === name);
      if (found?.id) {
        channelIds.set(channel, found.id);
        return found.id;
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  function carriesKey(message: { metadata?: { event_type?: string; event_payload?: unknown } }, key: string): boolean {
    const payload = message.metadata?.event_payload as { key?: unknown } | undefined;
    return message.metadata?.event_type === NOTICE_EVENT_TYPE && payload?.key === key;
  }

  return {
    async postMessage(channel, content, postOptions = {}) {
      const action = `posting to Slack channel ${channel}`;
      const result = await call(action, () =>
        client.chat.postMessage({
          channel,
          text: content.text,
          blocks: content.blocks,
          metadata: metadata(postOptions.key),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return refFrom(result, action);
    },

    async updateMessage(ref, content) {
      await call(`updating Slack message ${ref.ts} in ${ref.channel}`, () =>
        client.chat.update({ channel: ref.channel, ts: ref.ts, text: content.text, blocks: content.blocks }),
      );
    },

    async replyInThread(ref, text, replyOptions = {}) {
      const action = `replying in the thread of Slack message ${ref.ts} in ${ref.channel}`;
      const result = await call(action, () =>
        client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.ts,
          text,
          metadata: metadata(replyOptions.key),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return refFrom(result, action);
    },

    async findMessage(channel, key, findOptions = {}) {
      const id = await channelId(channel);
      if (!id) return undefined;
      const since = findOptions.since ?? new Date(Date.now() - FIND_WINDOW_MS);
      const action = `looking for an earlier Slipway message in Slack channel ${channel}`;
      let cursor: string | undefined;
      for (let pages = 0; pages < FIND_MAX_PAGES; pages++) {
        const page = await call(action, () =>
          client.conversations.history({
            channel: id,
            oldest: (since.getTime() / 1000).toFixed(6),
            include_all_metadata: true,
            limit: 200,
            cursor,
          }),
        );
        const found = page.messages?.find((message) => carriesKey(message, key));
        if (found?.ts) return { channel: id, ts: found.ts };
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return undefined;
    },

    async findReply(ref, key) {
      const action = `looking for an earlier Slipway reply in Slack thread ${ref.ts}`;
      let cursor: string | undefined;
      do {
        const page = await call(action, () =>
          client.conversations.replies({ channel: ref.channel, ts: ref.ts, include_all_metadata: true, limit: 200, cursor }),
        );
        const found = page.messages?.find((message) => message.ts !== ref.ts && carriesKey(message, key));
        if (found?.ts) return { channel: ref.channel, ts: found.ts };
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return undefined;
    },

    async testConnection() {
      const result = await call("checking the Slack token (auth.test)", () => client.auth.test());
      return { team: result.team ?? "", url: result.url ?? "", botUserId: result.user_id ?? "" };
    },
  };
}

/**
 * WebClient's own log lines go to the structured logger at debug: every failure it would warn about reaches the
 * caller as a SlackError, which is logged (or shown) where it is handled.
 */
function webClientLogger(): SlackLogger {
  const log = logger.child({ integration: "slack" });
  const write = (...msg: unknown[]) => log.debug(msg.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" "));
  let level = LogLevel.DEBUG;
  return {
    debug: write,
    info: write,
    warn: write,
    error: write,
    setLevel: (next) => (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
