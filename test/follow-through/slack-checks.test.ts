import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { createFollowThroughHandlers, type FollowThroughHandlerDeps } from "@/lib/follow-through/follow-through-handlers";
import type { NoticePayload } from "@/lib/follow-through/follow-through-jobs";
import type { ChecksSummary } from "@/lib/git/github/github-pull-requests";
import { slackConfigSchema } from "@/lib/integrations/slack/slack-config";
import { type SlackTestServer, DEFAULT_SLACK_TOKEN, startSlackTestServer } from "../slack/slack-test-server";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

/**
 * The Slack message's CI checks line: read from the pull request's head commit when the job runs (GitHub requests
 * only), and best effort — a failure to read them leaves the line out, never the message.
 */

let database: TestDatabase;
let slack: SlackTestServer;
beforeAll(async () => {
  database = await createPgliteDatabase();
  slack = await startSlackTestServer({});
});
afterAll(async () => {
  await slack?.close();
  await database?.close();
});
beforeEach(async () => {
  await database.db.releaseNotice.deleteMany();
  await database.db.releaseRequest.deleteMany();
});

const CHANNEL = "C0RELEASES";

async function request(provider: "github" | "local") {
  return database.db.releaseRequest.create({
    data: {
      kind: "upgrade",
      environment: "payments-eu",
      state: "open",
      title: "Upgrade checkout in payments-eu",
      body: "",
      requester: "ben",
      requesterSource: "local",
      idempotencyKey: `key-${Math.random()}`,
      provider,
      repo: provider === "github" ? "acme/payments-eu" : "./stacks/payments-eu",
      baseBranch: "main",
      baseSha: "a".repeat(40),
      headSha: "b".repeat(40),
      branch: "slipway/payments-eu/upgrade",
      ...(provider === "github" ? { number: 31, url: "https://github.com/acme/payments-eu/pull/31" } : {}),
      files: [],
    },
  });
}

function notice(id: number): NoticePayload {
  return {
    id: String(id),
    kind: "upgrade",
    environment: "payments-eu",
    state: "open",
    requester: "ben",
    items: [{ service: "checkout", from: "1.3.0", to: "1.3.2" }],
    tickets: [],
    previewUrl: "https://payments-eu-slipway-payments-eu-upgrade.dev.example.com",
    releasePageUrl: `https://slipway.example.com/releases/${id}`,
  };
}

async function post(checks: FollowThroughHandlerDeps["checks"], provider: "github" | "local" = "github") {
  const row = await request(provider);
  const handlers = createFollowThroughHandlers({
    db: database.db,
    config: { environments: [], slack: slackConfigSchema.parse({ tokenEnv: "SLACK_BOT_TOKEN", apiUrl: slack.apiUrl, channels: [{ channel: CHANNEL }] }) },
    secret: secretsFrom({ SLACK_BOT_TOKEN: DEFAULT_SLACK_TOKEN }),
    checks,
  });
  const key = `slack.post:${row.id}:${CHANNEL}`;
  const result = (await handlers["slack.post"]({ requestId: row.id, channel: CHANNEL, notice: notice(row.id) }, {
    job: { id: row.id, kind: "slack.post", idempotencyKey: key, releaseRequestId: row.id, attempts: 1 },
    signal: new AbortController().signal,
  })) as { ts: string };
  const message = slack.message(CHANNEL, result.ts)!;
  return JSON.stringify(message.blocks);
}

describe("the Slack message's CI checks", () => {
  it("shows the checks of the pull request's head commit, and the preview link", async () => {
    const asked: string[] = [];
    const summary: ChecksSummary = { state: "failing", pending: ["deploy"], failing: ["e2e"] };
    const blocks = await post({ pullRequestsFor: () => ({ readChecks: async (repo, sha) => (asked.push(`${repo}@${sha}`), summary) }) });
    expect(asked).toEqual([`acme/payments-eu@${"b".repeat(40)}`]);
    expect(blocks).toContain("*CI checks*\\n:x: Failing: e2e");
    expect(blocks).toContain("<https://payments-eu-slipway-payments-eu-upgrade.dev.example.com|Preview>");
  });

  it("posts the message without the line when GitHub cannot say", async () => {
    const blocks = await post({
      pullRequestsFor: () => ({
        readChecks: async () => {
          throw new Error("GitHub is down");
        },
      }),
    });
    expect(blocks).not.toContain("CI checks");
    expect(blocks).toContain("Upgrade to payments-eu");
  });

  it("does not ask for a change request on plain git", async () => {
    let asked = 0;
    const blocks = await post({ pullRequestsFor: () => ({ readChecks: async () => (asked++, { state: "passing", pending: [], failing: [] }) }) }, "local");
    expect(asked).toBe(0);
    expect(blocks).not.toContain("CI checks");
  });
});
