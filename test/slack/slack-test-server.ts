import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer, type TestHttpServer } from "../support/start-http-server";
import { validateBlocks } from "./slack-test-blocks";
import { FaultRules } from "../support/fault-rules";

/**
 * A Slack Web API for tests, on node:http, that the real `@slack/web-api` WebClient talks to through `slackApiUrl`
 * (`server.apiUrl`). Methods are `POST /api/<method>` with form-encoded or JSON bodies, answered as Slack answers: HTTP
 * 200 with `{ ok: true, … }` or `{ ok: false, error }` (plus `errors` and `response_metadata.messages` for
 * invalid_blocks, `needed`/`provided` for missing_scope), and HTTP 429 with `Retry-After` and
 * `{ ok: false, error: "ratelimited" }` when rate limited.
 *
 * As strict as Slack where Slipway could get it wrong (docs.slack.dev/reference/methods):
 * - tokens from the Authorization header (or a `token` form field; JSON bodies must use the header): not_authed,
 *   invalid_auth, and scopes per token (missing_scope with needed/provided);
 * - channels by ID or, for chat.postMessage only, by name; private channels the bot is not in are channel_not_found,
 *   public ones not_in_channel (unless the token has chat:write.public), archived ones is_archived;
 * - chat.update needs the channel ID and the ts of a message the same bot posted (message_not_found,
 *   cant_update_message), keeps the previous blocks when none are sent;
 * - `text` or `blocks` required (no_text), text over 40,000 characters is msg_too_long, blocks checked to Block Kit's
 *   documented limits (slack-test-blocks.ts);
 * - a reply's `thread_ts` naming a reply lands in its parent's thread; one naming no message is posted to the channel
 *   as a new top-level message, which `effects` counts as such, so a lost thread reference shows up as a second post.
 *
 * Faults can be injected per method for reliability tests, and every effect (top-level post, update, thread reply) is
 * counted per channel, so a test can prove a notice went out exactly once.
 */

export interface SlackTestBot {
  userId: string;
  botId: string;
  appId: string;
  /** Scopes the token was granted (default: chat:write, channels:history, groups:history, channels:read, groups:read). */
  scopes?: string[];
}

export interface SlackTestChannel {
  id: string;
  /** Without the leading #. */
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** User IDs of members (bots are members through their bot user). */
  members: string[];
}

export interface SlackTestServerOptions {
  /** token → bot (default: `xoxb-test` → U0SLIPWAY/B0SLIPWAY). */
  tokens?: Record<string, SlackTestBot>;
  /** Default: #releases (C0RELEASES) with the default bot in it. */
  channels?: SlackTestChannel[];
  /** Slack's per-channel posting limit ("1 per second, short bursts allowed"); off unless given. */
  postRateLimit?: { burst: number; perSecond: number };
}

export type SlackFault =
  /** An HTTP error from Slack's edge (HTML body, as a load balancer sends). */
  | { status: number; body?: string; headers?: Record<string, string> }
  /** HTTP 429, `Retry-After: retryAfterSeconds` (default 1), `{ ok: false, error: "ratelimited" }`. */
  | { kind: "ratelimited"; retryAfterSeconds?: number }
  /** HTTP 200 `{ ok: false, error }`: internal_error, fatal_error, service_unavailable, request_timeout… */
  | { kind: "error"; error: string }
  /** Never answers (the socket stays open until the client gives up or the server closes). Nothing is done. */
  | { kind: "timeout" }
  /** Drops the connection without an answer. Nothing is done. */
  | { kind: "disconnect" }
  /** Does the work (the message is posted), then drops the connection: the answer is lost, not the effect. */
  | { kind: "drop-response" }
  /** Answers normally after a delay. */
  | { kind: "latency"; ms: number };

export type SlackFaultRule = SlackFault & {
  /** A Slack method name: "chat.postMessage". */
  method?: string;
  /** Only calls naming this channel (ID or name as sent). */
  channel?: string;
  /** How many matching calls the fault applies to (default: until cleared). */
  times?: number;
};

export interface SlackServedCall {
  /** Slack method: "chat.postMessage". */
  method: string;
  httpMethod: string;
  contentType: string;
  /** Arguments as Slack read them (blocks and metadata parsed), without the token. */
  args: Record<string, unknown>;
  status: number;
  /** `error` of an ok:false answer. */
  error?: string;
  faulted: boolean;
  headers: IncomingMessage["headers"];
}

export interface SlackTestMessage {
  channel: string;
  ts: string;
  user: string;
  botId: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set on thread replies: the parent's ts. */
  threadTs?: string;
  /** Replies' ts, for a top-level message. */
  replies: string[];
  /** Every content the message had, first to last (chat.update appends). */
  history: { text: string; blocks?: unknown[] }[];
}

export interface SlackEffects {
  posts: number;
  updates: number;
  replies: number;
}

export interface SlackTestServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** What WebClient's `slackApiUrl` should be: `<url>/api/`. */
  apiUrl: string;
  addToken(token: string, bot: SlackTestBot): void;
  addChannel(channel: SlackTestChannel): void;
  /** Puts a user (or bot user) in a channel, or takes them out. */
  setMember(channelId: string, userId: string, member: boolean): void;
  archiveChannel(channelId: string): void;
  /** Posts a message as another bot or person, e.g. to test cant_update_message. */
  seedMessage(channelId: string, message: { user: string; botId?: string; text: string; threadTs?: string }): SlackTestMessage;
  /** Faults apply in the order injected; returns a function that removes the rule. */
  inject(rule: SlackFaultRule): () => void;
  injectOnce(rule: SlackFaultRule): () => void;
  clearFaults(): void;
  calls: SlackServedCall[];
  /** Calls of `method`, optionally only those answered ok (or failed with `error`). */
  count(method: string, filter?: { ok?: boolean; error?: string }): number;
  /** Effects that landed, in one channel (by ID) or all of them. */
  effects(channelId?: string): SlackEffects;
  /** Top-level messages of a channel, oldest first. */
  messages(channelId: string): SlackTestMessage[];
  /** Replies in a message's thread, oldest first. */
  replies(channelId: string, threadTs: string): SlackTestMessage[];
  message(channelId: string, ts: string): SlackTestMessage | undefined;
  close(): Promise<void>;
}

export const DEFAULT_SLACK_TOKEN = "xoxb-test";
export const DEFAULT_SLACK_BOT: SlackTestBot = { userId: "U0SLIPWAY", botId: "B0SLIPWAY", appId: "A0SLIPWAY" };
const DEFAULT_SCOPES = ["chat:write", "channels:history", "groups:history", "channels:read", "groups:read"];
const TEAM = { id: "T0SLIPWAY", name: "Slipway Test", domain: "slipway-test" };
const MAX_TEXT = 40_000;

/** An `{ ok: false }` answer, thrown from method handlers. */
class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

type Caller = { token: string; bot: SlackTestBot; scopes: Set<string> };
type MethodHandler = (args: Record<string, unknown>, caller: Caller) => Record<string, unknown>;

export async function startSlackTestServer(options: SlackTestServerOptions = {}): Promise<SlackTestServer> {
  const tokens = new Map<string, SlackTestBot>(Object.entries(options.tokens ?? { [DEFAULT_SLACK_TOKEN]: DEFAULT_SLACK_BOT }));
  const channels = new Map<string, SlackTestChannel & { members: string[] }>();
  for (const channel of options.channels ?? [{ id: "C0RELEASES", name: "releases", members: [DEFAULT_SLACK_BOT.userId] }]) {
    channels.set(channel.id, { ...channel, members: [...channel.members] });
  }
  const messagesByChannel = new Map<string, SlackTestMessage[]>();
  const effectsByChannel = new Map<string, SlackEffects>();
  const faults = new FaultRules<SlackFaultRule>();
  const calls: SlackServedCall[] = [];
  const postBuckets = new Map<string, { tokens: number; at: number }>();
  let lastTs = 0;

  /** Slack message timestamps: unique per channel, increasing, "seconds.micro". */
  function nextTs(): string {
    const now = Math.max(Date.now() * 1000, lastTs + 1);
    lastTs = now;
    return `${Math.floor(now / 1_000_000)}.${String(now % 1_000_000).padStart(6, "0")}`;
  }

  function effectsOf(channelId: string): SlackEffects {
    let effects = effectsByChannel.get(channelId);
    if (!effects) effectsByChannel.set(channelId, (effects = { posts: 0, updates: 0, replies: 0 }));
    return effects;
  }

  function channelMessages(channelId: string): SlackTestMessage[] {
    let list = messagesByChannel.get(channelId);
    if (!list) messagesByChannel.set(channelId, (list = []));
    return list;
  }

  function requireScope(caller: Caller, ...accepted: string[]) {
    if (accepted.some((scope) => caller.scopes.has(scope))) return;
    throw new SlackApiError("missing_scope", { needed: accepted.join(","), provided: [...caller.scopes].join(",") });
  }

  /** A channel the caller may read or write; names (with or without #) only where `byName`. */
  function resolveChannel(value: unknown, caller: Caller, { byName }: { byName: boolean }): SlackTestChannel {
    if (typeof value !== "string" || value === "") throw new SlackApiError("channel_not_found");
    const name = value.replace(/^#/, "");
    const channel = channels.get(value) ?? (byName ? [...channels.values()].find((c) => c.name === name) : undefined);
    if (!channel) throw new SlackApiError("channel_not_found");
    const member = channel.members.includes(caller.bot.userId);
    if (channel.isPrivate && !member) throw new SlackApiError("channel_not_found");
    return channel;
  }

  function requireWritable(channel: SlackTestChannel, caller: Caller) {
    if (channel.isArchived) throw new SlackApiError("is_archived");
    if (!channel.members.includes(caller.bot.userId) && !caller.scopes.has("chat:write.public")) {
      throw new SlackApiError("not_in_channel");
    }
  }

  function readContent(args: Record<string, unknown>, { required }: { required: boolean }) {
    const text = args.text === undefined ? undefined : String(args.text);
    const blocks = args.blocks;
    if (required && (text === undefined || text === "") && (blocks === undefined || (Array.isArray(blocks) && blocks.length === 0))) {
      throw new SlackApiError("no_text");
    }
    if (text !== undefined && text.length > MAX_TEXT) throw new SlackApiError("msg_too_long");
    if (blocks !== undefined) {
      const problems = validateBlocks(blocks);
      if (problems.length > 0) {
        throw new SlackApiError("invalid_blocks", {
          errors: problems,
          response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
        });
      }
    }
    return { text, blocks: blocks as unknown[] | undefined };
  }

  function readMetadata(value: unknown): SlackTestMessage["metadata"] {
    if (value === undefined) return undefined;
    const metadata = value as { event_type?: unknown; event_payload?: unknown };
    if (
      typeof metadata !== "object" ||
      metadata === null ||
      typeof metadata.event_type !== "string" ||
      !/^[A-Za-z0-9_]{1,255}$/.test(metadata.event_type) ||
      typeof metadata.event_payload !== "object" ||
      metadata.event_payload === null ||
      Array.isArray(metadata.event_payload)
    ) {
      throw new SlackApiError("invalid_metadata_format");
    }
    return { event_type: metadata.event_type, event_payload: metadata.event_payload as Record<string, unknown> };
  }

  function takePostToken(channelId: string) {
    const limit = options.postRateLimit;
    if (!limit) return;
    const now = Date.now();
    const bucket = postBuckets.get(channelId) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    postBuckets.set(channelId, bucket);
    if (bucket.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      throw new RateLimited(seconds);
    }
    bucket.tokens -= 1;
  }

  function wireMessage(message: SlackTestMessage, { withMetadata }: { withMetadata: boolean }): Record<string, unknown> {
    const parent = message.threadTs === undefined && message.replies.length > 0;
    return {
      type: "message",
      ...(message.botId ? { subtype: "bot_message", bot_id: message.botId, app_id: appIdOf(message) } : {}),
      user: message.user,
      text: message.text,
      ts: message.ts,
      team: TEAM.id,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: parentUser(message) } : {}),
      ...(parent
        ? { thread_ts: message.ts, reply_count: message.replies.length, latest_reply: message.replies.at(-1) }
        : {}),
      ...(message.history.length > 1 ? { edited: { user: message.user, ts: message.ts } } : {}),
      ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
    };
  }

  function appIdOf(message: SlackTestMessage): string | undefined {
    return [...tokens.values()].find((bot) => bot.botId === message.botId)?.appId;
  }

  function parentUser(message: SlackTestMessage): string | undefined {
    return message.threadTs ? server.message(message.channel, message.threadTs)?.user : undefined;
  }

  function post(channel: SlackTestChannel, message: Omit<SlackTestMessage, "ts" | "channel" | "replies" | "history">): SlackTestMessage {
    const list = channelMessages(channel.id);
    let threadTs = message.threadTs;
    if (threadTs !== undefined) {
      const parent = list.find((candidate) => candidate.ts === threadTs);
      // Slack threads are one level deep: a reply to a reply lands in the parent's thread.
      threadTs = parent ? (parent.threadTs ?? parent.ts) : undefined;
    }
    const created: SlackTestMessage = {
      ...message,
      channel: channel.id,
      ts: nextTs(),
      threadTs,
      replies: [],
      history: [{ text: message.text, blocks: message.blocks }],
    };
    list.push(created);
    if (threadTs !== undefined) {
      list.find((candidate) => candidate.ts === threadTs)!.replies.push(created.ts);
      effectsOf(channel.id).replies += 1;
    } else {
      effectsOf(channel.id).posts += 1;
    }
    return created;
  }

  const methods: Record<string, MethodHandler> = {
    "auth.test": (_args, caller) => ({
      url: `https://${TEAM.domain}.slack.com/`,
      team: TEAM.name,
      user: "slipway",
      team_id: TEAM.id,
      user_id: caller.bot.userId,
      bot_id: caller.bot.botId,
      is_enterprise_install: false,
    }),

    "chat.postMessage": (args, caller) => {
      requireScope(caller, "chat:write");
      const channel = resolveChannel(args.channel, caller, { byName: true });
      requireWritable(channel, caller);
      const { text, blocks } = readContent(args, { required: true });
      const metadata = readMetadata(args.metadata);
      const threadTs = args.thread_ts === undefined ? undefined : String(args.thread_ts);
      if (threadTs === undefined) takePostToken(channel.id);
      const message = post(channel, { user: caller.bot.userId, botId: caller.bot.botId, text: text ?? "", blocks, metadata, threadTs });
      return { channel: channel.id, ts: message.ts, message: wireMessage(message, { withMetadata: true }) };
    },

    "chat.update": (args, caller) => {
      requireScope(caller, "chat:write");
      const channel = resolveChannel(args.channel, caller, { byName: false });
      if (channel.isArchived) throw new SlackApiError("is_archived");
      const ts = args.ts === undefined ? "" : String(args.ts);
      const message = channelMessages(channel.id).find((candidate) => candidate.ts === ts);
      if (!message) throw new SlackApiError("message_not_found");
      if (message.botId !== caller.bot.botId || message.user !== caller.bot.userId) throw new SlackApiError("cant_update_message");
      const { text, blocks } = readContent(args, { required: true });
      message.text = text ?? message.text;
      // Slack keeps the previous blocks when the update sends none; an empty array removes them.
      if (blocks !== undefined) message.blocks = blocks.length > 0 ? blocks : undefined;
      if (args.metadata !== undefined) message.metadata = readMetadata(args.metadata);
      message.history.push({ text: message.text, blocks: message.blocks });
      effectsOf(channel.id).updates += 1;
      return { channel: channel.id, ts: message.ts, text: message.text, message: wireMessage(message, { withMetadata: true }) };
    },

    "conversations.history": (args, caller) => {
      const channel = resolveChannel(args.channel, caller, { byName: false });
      requireScope(caller, channel.isPrivate ? "groups:history" : "channels:history");
      if (!channel.members.includes(caller.bot.userId)) throw new SlackApiError("not_in_channel");
      const withMetadata = isTrue(args.include_all_metadata);
      const oldest = Number(args.oldest ?? 0);
      const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
      // Newest first, top-level messages only (thread replies are read with conversations.replies).
      const all = channelMessages(channel.id)
        .filter((m) => m.threadTs === undefined && Number(m.ts) > oldest && Number(m.ts) < latest)
        .reverse();
      return page(all, args, (m) => wireMessage(m, { withMetadata }), "messages", 100, 999);
    },

    "conversations.replies": (args, caller) => {
      const channel = resolveChannel(args.channel, caller, { byName: false });
      requireScope(caller, channel.isPrivate ? "groups:history" : "channels:history");
      if (!channel.members.includes(caller.bot.userId)) throw new SlackApiError("not_in_channel");
      const ts = args.ts === undefined ? "" : String(args.ts);
      const parent = channelMessages(channel.id).find((m) => m.ts === ts);
      if (!parent) throw new SlackApiError("thread_not_found");
      const root = parent.threadTs ? server.message(channel.id, parent.threadTs)! : parent;
      const withMetadata = isTrue(args.include_all_metadata);
      const thread = [root, ...server.replies(channel.id, root.ts)];
      return page(thread, args, (m) => wireMessage(m, { withMetadata }), "messages", 1000, 1000);
    },

    "conversations.list": (args, caller) => {
      requireScope(caller, "channels:read", "groups:read");
      const types = String(args.types ?? "public_channel").split(",");
      const excludeArchived = isTrue(args.exclude_archived);
      const visible = [...channels.values()].filter(
        (c) =>
          (c.isPrivate ? types.includes("private_channel") && c.members.includes(caller.bot.userId) : types.includes("public_channel")) &&
          !(excludeArchived && c.isArchived),
      );
      return page(
        visible,
        args,
        (c) => ({
          id: c.id,
          name: c.name,
          is_channel: !c.isPrivate,
          is_group: false,
          is_private: Boolean(c.isPrivate),
          is_archived: Boolean(c.isArchived),
          is_member: c.members.includes(caller.bot.userId),
        }),
        "channels",
        100,
        1000,
      );
    },
  };

  /** Cursor pagination as Slack does it: `limit`, opaque `cursor`, `response_metadata.next_cursor` ("" at the end). */
  function page<T>(
    items: T[],
    args: Record<string, unknown>,
    shape: (item: T) => unknown,
    key: string,
    defaultLimit: number,
    maxLimit: number,
  ): Record<string, unknown> {
    const limit = Math.min(maxLimit, Math.max(1, Number(args.limit) || defaultLimit));
    let offset = 0;
    if (args.cursor !== undefined && args.cursor !== "") {
      const decoded = Number(Buffer.from(String(args.cursor), "base64").toString("utf8").replace(/^offset:/, ""));
      if (!Number.isInteger(decoded) || decoded < 0) throw new SlackApiError("invalid_cursor");
      offset = decoded;
    }
    const slice = items.slice(offset, offset + limit);
    const more = offset + limit < items.length;
    return {
      [key]: slice.map(shape),
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "" },
    };
  }

  function matchFault(method: string, channel: unknown): SlackFault | undefined {
    return faults.take((rule) => (rule.method === undefined || rule.method === method) && (rule.channel === undefined || rule.channel === channel));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const httpMethod = (request.method ?? "GET").toUpperCase();
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const contentType = String(request.headers["content-type"] ?? "");
    const raw = await readBody(request);
    const call: SlackServedCall = {
      method: url.pathname.replace(/^\/api\//, ""),
      httpMethod,
      contentType,
      args: {},
      status: 0,
      faulted: false,
      headers: request.headers,
    };
    calls.push(call);

    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      call.status = status;
      if (body.ok === false) call.error = String(body.error);
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      response.end(JSON.stringify(body));
    };
    const fail = (error: string, extra: Record<string, unknown> = {}) => send(200, { ok: false, error, ...extra });

    if (!url.pathname.startsWith("/api/") || !methods[call.method]) {
      return send(404, { ok: false, error: "unknown_method", req_method: call.method });
    }

    // Arguments: query string (GET or POST), then the body.
    let args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let bodyToken: string | undefined;
    if (httpMethod === "POST" && raw.length > 0) {
      if (/^application\/json\b/i.test(contentType)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          return fail("invalid_json");
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return fail("json_not_object");
        // Slack reads the token of a JSON request from the Authorization header only.
        const { token: _ignored, ...fields } = parsed as Record<string, unknown>;
        args = { ...args, ...fields };
      } else if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
        const form = Object.fromEntries(new URLSearchParams(raw));
        bodyToken = form.token;
        delete form.token;
        args = { ...args, ...form };
        // Form fields carry JSON as strings ("presented as a URL-encoded string").
        for (const key of ["blocks", "metadata", "attachments"] as const) {
          if (typeof args[key] !== "string") continue;
          try {
            args[key] = JSON.parse(args[key] as string);
          } catch {
            if (key === "blocks") return fail("invalid_blocks_format");
            if (key === "metadata") return fail("invalid_metadata_format");
            return fail("invalid_attachments");
          }
        }
      } else if (contentType === "") {
        return fail("missing_post_type");
      } else {
        return fail("invalid_post_type");
      }
    } else if (httpMethod !== "POST" && httpMethod !== "GET") {
      return fail("method_not_supported_for_channel_type");
    }
    const queryToken = typeof args.token === "string" ? args.token : undefined;
    delete args.token;
    call.args = args;

    const fault = matchFault(call.method, args.channel);
    let dropResponse = false;
    if (fault) {
      call.faulted = true;
      if ("status" in fault) {
        call.status = fault.status;
        response.writeHead(fault.status, { "content-type": "text/html", ...fault.headers });
        response.end(fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`);
        return;
      }
      switch (fault.kind) {
        case "timeout":
          return; // the response stays open until the client aborts or the server closes
        case "disconnect":
          request.socket.destroy();
          return;
        case "latency":
          call.faulted = false;
          await sleep(fault.ms);
          break;
        case "ratelimited":
          return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(fault.retryAfterSeconds ?? 1) });
        case "error":
          return fail(fault.error);
        case "drop-response":
          dropResponse = true;
          break;
      }
    }

    const header = request.headers.authorization;
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? bodyToken ?? queryToken;
    if (!token) return fail("not_authed");
    const bot = tokens.get(token);
    if (!bot) return fail("invalid_auth");
    const caller: Caller = { token, bot, scopes: new Set(bot.scopes ?? DEFAULT_SCOPES) };

    let result: Record<string, unknown>;
    try {
      result = methods[call.method]!(args, caller);
    } catch (error) {
      if (error instanceof RateLimited) {
        return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(error.seconds) });
      }
      if (error instanceof SlackApiError) return fail(error.error, error.extra);
      throw error;
    }
    if (dropResponse) {
      call.status = 0;
      request.socket.destroy();
      return;
    }
    send(200, { ok: true, ...result }, { "x-oauth-scopes": [...caller.scopes].join(",") });
  }

  const http: TestHttpServer = await startHttpServer(handle);

  const server: SlackTestServer = {
    url: http.url,
    apiUrl: `${http.url}/api/`,
    calls,

    addToken(token, bot) {
      tokens.set(token, bot);
    },

    addChannel(channel) {
      channels.set(channel.id, { ...channel, members: [...channel.members] });
    },

    setMember(channelId, userId, member) {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`no channel ${channelId}`);
      channel.members = channel.members.filter((id) => id !== userId);
      if (member) channel.members.push(userId);
    },

    archiveChannel(channelId) {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`no channel ${channelId}`);
      channel.isArchived = true;
    },

    seedMessage(channelId, message) {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`no channel ${channelId}`);
      return post(channel, { user: message.user, botId: message.botId ?? "", text: message.text, threadTs: message.threadTs });
    },

    inject(rule) {
      return faults.inject(rule);
    },

    injectOnce(rule) {
      return faults.injectOnce(rule);
    },

    clearFaults() {
      faults.clear();
    },

    count(method, filter = {}) {
      return calls.filter(
        (call) =>
          call.method === method &&
          (filter.ok === undefined || filter.ok === (call.status === 200 && call.error === undefined)) &&
          (filter.error === undefined || call.error === filter.error),
      ).length;
    },

    effects(channelId) {
      if (channelId !== undefined) return { ...effectsOf(channelId) };
      const total: SlackEffects = { posts: 0, updates: 0, replies: 0 };
      for (const effects of effectsByChannel.values()) {
        total.posts += effects.posts;
        total.updates += effects.updates;
        total.replies += effects.replies;
      }
      return total;
    },

    messages(channelId) {
      return channelMessages(channelId).filter((m) => m.threadTs === undefined);
    },

    replies(channelId, threadTs) {
      return channelMessages(channelId).filter((m) => m.threadTs === threadTs);
    },

    message(channelId, ts) {
      return channelMessages(channelId).find((m) => m.ts === ts);
    },

    close: () => http.close(),
  };
  return server;
}

class RateLimited extends Error {
  constructor(readonly seconds: number) {
    super("ratelimited");
  }
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === "1" || value === 1;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
