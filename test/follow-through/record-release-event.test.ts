import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { workspaceConfigSchema } from "@/lib/config/schema";
import { catchUpReleaseEvents, recordReleaseEvent } from "@/lib/follow-through/record-release-event";
import { recordPullRequestClosed, recordPullRequestMerged } from "@/lib/releases/sync-pull-requests";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const config = workspaceConfigSchema.parse({
  environments: [{ name: "payments-eu", groups: { brand: "payments" }, repo: "acme/payments-eu" }],
  slack: { tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel: "#releases" }] },
  grafana: { url: "https://grafana.example.com", tokenEnv: "GRAFANA_TOKEN" },
});
const secret = secretsFrom({ SLACK_BOT_TOKEN: "xoxb-test", GRAFANA_TOKEN: "glsa_test" });

describe.each(databaseFactories())("recording release events on $name", ({ create }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await create();
  });
  afterAll(() => database?.close());
  beforeEach(async () => {
    await database.db.job.deleteMany();
    await database.db.releaseRequest.deleteMany();
  });

  async function pullRequest(state = "open") {
    return database.db.releaseRequest.create({
      data: {
        kind: "upgrade",
        environment: "payments-eu",
        state,
        title: "Upgrade checkout in payments-eu",
        body: "",
        requester: "ben",
        requesterSource: "local",
        idempotencyKey: `key-${Math.random()}`,
        provider: "github",
        repo: "acme/payments-eu",
        baseBranch: "main",
        baseSha: "a".repeat(40),
        headSha: "b".repeat(40),
        branch: "slipway/payments-eu/upgrade",
        number: 31,
        url: "https://github.com/acme/payments-eu/pull/31",
        files: [],
        items: { create: [{ service: "checkout", chart: "checkout", fromVersion: "1.3.0", toVersion: "1.3.2", tickets: ["CHK-1"] }] },
      },
    });
  }
  const keys = async () => (await database.db.job.findMany({ orderBy: { id: "asc" } })).map((job) => job.idempotencyKey);
  const deps = { db: () => database.db };

  it("enqueues each effect once, however often the event is recorded, and only for the request's state", async () => {
    const request = await pullRequest();
    const record = (type: "raised" | "merged" | "closed") => recordReleaseEvent({ db: deps.db(), config, secret, appUrl: "https://slipway.example.com" }, { type, requestId: request.id });
    expect(await record("merged")).toEqual({ enqueued: 0 }); // still open: not merged yet
    expect(await record("raised")).toEqual({ enqueued: 1 });
    expect(await record("raised")).toEqual({ enqueued: 0 });
    expect(await keys()).toEqual([`slack.post:${request.id}:#releases`]);
  });

  it("follows a pull request merged or closed on GitHub through the shared paths", async () => {
    const merged = await pullRequest();
    const closed = await pullRequest();
    process.env.SLACK_BOT_TOKEN = "xoxb-test";
    try {
      await recordPullRequestMerged({ db: deps.db(), release: { config } as never }, merged, { headSha: "b".repeat(40), mergedAt: new Date(), mergeCommitSha: "c".repeat(40) });
      await recordPullRequestClosed({ db: deps.db(), release: { config } as never }, closed);
    } finally {
      delete process.env.SLACK_BOT_TOKEN;
    }
    expect(await keys()).toEqual([
      `slack.post:${merged.id}:#releases`,
      `slack.update:${merged.id}:#releases:merged`,
      `slack.reply:${merged.id}:#releases:merged`,
      `slack.post:${closed.id}:#releases`,
      `slack.update:${closed.id}:#releases:closed`,
      `slack.reply:${closed.id}:#releases:closed`,
    ]);
    // Grafana's token was not set in the process: Grafana is off, and nothing was planned for it.
    expect((await keys()).some((key) => key.startsWith("grafana."))).toBe(false);
    // The catch-up records what is missing (Grafana, now that its secret is known) and nothing twice.
    expect(await catchUpReleaseEvents({ db: deps.db(), config, secret, appUrl: "" }, new Date(0))).toEqual({ enqueued: 1 });
    expect(await catchUpReleaseEvents({ db: deps.db(), config, secret, appUrl: "" }, new Date(0))).toEqual({ enqueued: 0 });
  });

  it("never throws: a failure to record is logged, and the merge it follows stands", async () => {
    const broken = { releaseRequest: { findUnique: () => Promise.reject(new Error("connection reset")) } } as never;
    expect(await recordReleaseEvent({ db: broken, config, secret, appUrl: "" }, { type: "merged", requestId: 1 })).toEqual({ enqueued: 0 });
  });
});
