import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlack, type SlackPort } from "@/lib/integrations/slack/slack-client";
import { SlackError } from "@/lib/integrations/slack/slack-errors";
import { buildReleaseMessage, threadReply, type ReleaseNotice } from "@/lib/integrations/slack/release-message";
import { DEFAULT_SLACK_BOT, DEFAULT_SLACK_TOKEN, startSlackTestServer, type SlackTestServer } from "./slack-test-server";
import { validateBlocks } from "./slack-test-blocks";

const config = (server: SlackTestServer) => ({ apiUrl: server.apiUrl, tokenEnv: "SLACK_BOT_TOKEN" });

const notice: ReleaseNotice = {
  id: "42",
  kind: "upgrade",
  environment: "shop-production",
  environmentUrl: "https://shop.example.com",
  state: "open",
  requester: "Ada",
  pullRequest: { number: 12, url: "https://github.com/acme/stack/pull/12" },
  items: [{ service: "checkout", from: "1.2.0", to: "1.3.0" }],
  tickets: [{ key: "SHOP-1", url: "https://jira.example.com/browse/SHOP-1", summary: "Pay by invoice" }],
  checks: { state: "pending", failing: [] },
  releasePageUrl: "https://slipway.example.com/requests/42",
};

async function rejection(promise: Promise<unknown>): Promise<SlackError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SlackError);
  return error as SlackError;
}

describe("Slack through the real WebClient", () => {
  let server: SlackTestServer;
  let slack: SlackPort;

  beforeAll(async () => {
    server = await startSlackTestServer({
      channels: [
        { id: "C0RELEASES", name: "releases", members: [DEFAULT_SLACK_BOT.userId] },
        { id: "C0PUBLIC01", name: "general", members: [] },
        { id: "G0PRIVATE1", name: "secret", isPrivate: true, members: [] },
      ],
    });
    slack = createSlack(config(server), DEFAULT_SLACK_TOKEN);
  });
  afterAll(() => server.close());
  afterEach(() => server.clearFaults());

  it("posts once, updates that same message and replies in its thread", async () => {
    const before = server.effects("C0RELEASES");
    const ref = await slack.postMessage("#releases", buildReleaseMessage(notice), { key: "request-42" });
    // A name goes in, the conversation ID comes back: that is what is stored for updates.
    expect(ref.channel).toBe("C0RELEASES");

    const merged = { ...notice, state: "merged" as const };
    await slack.updateMessage(ref, buildReleaseMessage(merged));
    const reply = await slack.replyInThread(ref, threadReply(merged, new Date("2025-03-01T10:00:00Z")), { key: "request-42-merged" });

    const message = server.message("C0RELEASES", ref.ts)!;
    expect(message.history).toHaveLength(2);
    expect(message.text).toContain("merged");
    expect(JSON.stringify(message.blocks)).toContain(":white_check_mark: Merged");
    expect(server.replies("C0RELEASES", ref.ts).map((m) => m.ts)).toEqual([reply.ts]);
    expect(server.effects("C0RELEASES")).toEqual({
      posts: before.posts + 1,
      updates: before.updates + 1,
      replies: before.replies + 1,
    });

    // WebClient speaks form-encoded bodies with the token in the Authorization header.
    const post = server.calls.find((call) => call.method === "chat.postMessage")!;
    expect(post.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(post.headers.authorization).toBe(`Bearer ${DEFAULT_SLACK_TOKEN}`);
    expect(post.args).toMatchObject({ channel: "#releases", unfurl_links: "false", metadata: { event_type: "slipway_notice", event_payload: { key: "request-42" } } });
  });

  it("finds a post and a reply by key, so a retry after a lost answer does not post twice", async () => {
    server.injectOnce({ method: "chat.postMessage", kind: "drop-response" });
    const before = server.effects("C0RELEASES").posts;
    const lost = await rejection(slack.postMessage("#releases", buildReleaseMessage(notice), { key: "request-77" }));
    expect(lost.retryable).toBe(true);
    expect(server.effects("C0RELEASES").posts).toBe(before + 1);

    const found = await slack.findMessage("#releases", "request-77");
    expect(found).toEqual({ channel: "C0RELEASES", ts: server.messages("C0RELEASES").at(-1)!.ts });
    expect(await slack.findMessage("C0RELEASES", "request-78")).toBeUndefined();

    await slack.replyInThread(found!, "went out", { key: "request-77-merged" });
    expect(await slack.findReply(found!, "request-77-merged")).toMatchObject({ channel: "C0RELEASES" });
    expect(await slack.findReply(found!, "request-77-closed")).toBeUndefined();
  });

  it("maps ok:false answers to SlackErrors that say what to do", async () => {
    const badToken = await rejection(createSlack(config(server), "xoxb-wrong").postMessage("C0RELEASES", buildReleaseMessage(notice)));
    expect(badToken).toMatchObject({ code: "invalid_auth", retryable: false });
    expect(badToken.message).toContain("SLACK_BOT_TOKEN");

    const notIn = await rejection(slack.postMessage("C0PUBLIC01", buildReleaseMessage(notice)));
    expect(notIn).toMatchObject({ code: "not_in_channel", retryable: false });
    expect(notIn.message).toMatch(/invite/);

    const hidden = await rejection(slack.postMessage("#secret", buildReleaseMessage(notice)));
    expect(hidden).toMatchObject({ code: "channel_not_found", retryable: false });
    expect(hidden.message).toMatch(/invite the bot/);

    const transient = server.injectOnce({ method: "chat.postMessage", kind: "error", error: "internal_error" });
    const internal = await rejection(slack.postMessage("C0RELEASES", buildReleaseMessage(notice)));
    transient();
    expect(internal).toMatchObject({ code: "internal_error", retryable: true });
  });

  it("refuses updates Slack refuses: unknown ts, another bot's message, a channel given by name", async () => {
    const missing = await rejection(slack.updateMessage({ channel: "C0RELEASES", ts: "1.000001" }, buildReleaseMessage(notice)));
    expect(missing).toMatchObject({ code: "message_not_found", retryable: false });

    const theirs = server.seedMessage("C0RELEASES", { user: "U0OTHER", botId: "B0OTHER", text: "deploy bot" });
    const foreign = await rejection(slack.updateMessage({ channel: "C0RELEASES", ts: theirs.ts }, buildReleaseMessage(notice)));
    expect(foreign).toMatchObject({ code: "cant_update_message", retryable: false });

    const ref = await slack.postMessage("C0RELEASES", buildReleaseMessage(notice));
    const byName = await rejection(slack.updateMessage({ channel: "#releases", ts: ref.ts }, buildReleaseMessage(notice)));
    expect(byName.code).toBe("channel_not_found");
  });

  it("returns a 429 at once as a retryable error with Slack's Retry-After, without retrying", async () => {
    server.injectOnce({ method: "chat.postMessage", kind: "ratelimited", retryAfterSeconds: 30 });
    const callsBefore = server.count("chat.postMessage");
    const postsBefore = server.effects("C0RELEASES").posts;
    const started = Date.now();
    const limited = await rejection(slack.postMessage("C0RELEASES", buildReleaseMessage(notice)));
    expect(limited).toMatchObject({ code: "ratelimited", retryable: true });
    expect(limited.retryAfter!.getTime()).toBeGreaterThanOrEqual(started + 29_000);
    expect(limited.retryAfter!.getTime()).toBeLessThanOrEqual(Date.now() + 31_000);
    expect(server.count("chat.postMessage")).toBe(callsBefore + 1);
    expect(server.effects("C0RELEASES").posts).toBe(postsBefore);
  });

  it("reports a 500 and a timeout as retryable, each after a single request", async () => {
    server.injectOnce({ method: "chat.update", status: 500 });
    const ref = await slack.postMessage("C0RELEASES", buildReleaseMessage(notice));
    const callsBefore = server.count("chat.update");
    const unavailable = await rejection(slack.updateMessage(ref, buildReleaseMessage(notice)));
    expect(unavailable).toMatchObject({ code: "http_500", retryable: true });
    expect(server.count("chat.update")).toBe(callsBefore + 1);

    const impatient = createSlack(config(server), DEFAULT_SLACK_TOKEN, { timeoutMs: 300 });
    server.injectOnce({ method: "chat.postMessage", kind: "timeout" });
    const timedOut = await rejection(impatient.postMessage("C0RELEASES", buildReleaseMessage(notice)));
    expect(timedOut).toMatchObject({ code: "request_failed", retryable: true });
  });

  it("has invalid blocks refused by the server, and the builder's output accepted at its largest", async () => {
    const tooLong = await rejection(
      slack.postMessage("C0RELEASES", { text: "x", blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] }),
    );
    expect(tooLong).toMatchObject({ code: "invalid_blocks", retryable: false });
    expect(tooLong.message).toContain("must be less than 151 characters [json-pointer:/blocks/0/text/text]");

    const huge: ReleaseNotice = {
      ...notice,
      kind: "rollback",
      environment: `production-${"e".repeat(200)}`,
      requester: "r".repeat(5000),
      items: Array.from({ length: 400 }, (_, i) => ({ service: `service-${i}-${"s".repeat(60)}`, from: `2.${i}.0`, to: `1.${i}.0` })),
      tickets: Array.from({ length: 300 }, (_, i) => ({ key: `SHOP-${i}`, url: `https://jira.example.com/browse/SHOP-${i}`, summary: "<b>&".repeat(100) })),
      ticketsLeaving: Array.from({ length: 300 }, (_, i) => ({ key: `SHOP-${i}` })),
      checks: { state: "failing", failing: Array.from({ length: 50 }, (_, i) => `check-${i}-${"c".repeat(300)}`) },
    };
    const content = buildReleaseMessage(huge);
    expect(validateBlocks(content.blocks)).toEqual([]);
    const ref = await slack.postMessage("C0RELEASES", content);
    const reply = await slack.replyInThread(ref, threadReply({ ...huge, state: "merged" }, new Date()));
    expect(server.message("C0RELEASES", reply.ts)!.threadTs).toBe(ref.ts);
  });

  it("checks the token with auth.test", async () => {
    expect(await slack.testConnection()).toEqual({ team: "Slipway Test", url: "https://slipway-test.slack.com/", botUserId: DEFAULT_SLACK_BOT.userId });
    const bad = await rejection(createSlack(config(server), "xoxb-nope").testConnection());
    expect(bad.code).toBe("invalid_auth");
  });

  it("refuses to start without a token, naming the variable", () => {
    expect(() => createSlack(config(server), "")).toThrow(/SLACK_BOT_TOKEN is not set/);
  });
});

describe("Slack test server strictness", () => {
  let server: SlackTestServer;
  beforeAll(async () => {
    server = await startSlackTestServer({ postRateLimit: { burst: 2, perSecond: 1 } });
  });
  afterAll(() => server.close());

  const call = (method: string, init: RequestInit) => fetch(`${server.apiUrl}${method}`, { method: "POST", ...init }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> }));

  it("accepts JSON bodies with a bearer token, and refuses a token in a JSON body", async () => {
    const ok = await call("chat.postMessage", {
      headers: { authorization: `Bearer ${DEFAULT_SLACK_TOKEN}`, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "C0RELEASES", text: "hello", blocks: [{ type: "section", text: { type: "mrkdwn", text: "hi" } }] }),
    });
    expect(ok.body).toMatchObject({ ok: true, channel: "C0RELEASES", message: { text: "hello", bot_id: DEFAULT_SLACK_BOT.botId } });

    const tokenInJson = await call("chat.postMessage", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: DEFAULT_SLACK_TOKEN, channel: "C0RELEASES", text: "hello" }),
    });
    expect(tokenInJson.body).toEqual({ ok: false, error: "not_authed" });

    const form = await call("chat.postMessage", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: DEFAULT_SLACK_TOKEN, channel: "C0RELEASES", text: "" }).toString(),
    });
    expect(form.body).toEqual({ ok: false, error: "no_text" });
  });

  it("answers invalid_blocks with Slack's messages and pointers", async () => {
    const blocks = [
      ...Array.from({ length: 50 }, () => ({ type: "divider" })),
      { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) },
    ];
    const answer = await call("chat.postMessage", {
      headers: { authorization: `Bearer ${DEFAULT_SLACK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ channel: "C0RELEASES", text: "x", blocks }),
    });
    expect(answer.body).toMatchObject({
      ok: false,
      error: "invalid_blocks",
      errors: ["no more than 50 items allowed [json-pointer:/blocks]", "no more than 10 items allowed [json-pointer:/blocks/50/fields]"],
      response_metadata: { messages: ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]", "[ERROR] no more than 10 items allowed [json-pointer:/blocks/50/fields]"] },
    });
  });

  it("rate limits posts per channel with HTTP 429 and Retry-After", async () => {
    const post = () =>
      call("chat.postMessage", {
        headers: { authorization: `Bearer ${DEFAULT_SLACK_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ channel: "C0RELEASES", text: "burst" }),
      });
    await post();
    await post();
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body).toEqual({ ok: false, error: "ratelimited" });
  });

  it("counts a reply to an unknown thread as a new top-level post", async () => {
    const before = server.effects("C0RELEASES");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await call("chat.postMessage", {
      headers: { authorization: `Bearer ${DEFAULT_SLACK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ channel: "C0RELEASES", text: "lost thread", thread_ts: "1.000000" }),
    });
    expect(server.effects("C0RELEASES")).toEqual({ ...before, posts: before.posts + 1 });
  });
});
