import { describe, expect, it } from "vitest";
import { workspaceConfigSchema } from "@/lib/config/schema";
import { type FollowThroughSettings, type ReleaseEvent, followThroughSettings, planFollowThrough } from "./plan-follow-through";

const raisedAt = new Date("2026-12-01T09:30:00Z");
const mergedAt = new Date("2026-12-02T14:00:00Z");

function event(type: ReleaseEvent["type"], extra: Partial<ReleaseEvent["request"]> = {}): ReleaseEvent {
  return {
    type,
    at: type === "raised" ? raisedAt : mergedAt,
    request: {
      id: 12,
      kind: "upgrade",
      environment: "payments-eu",
      title: "Upgrade checkout and gateway in payments-eu",
      requester: "ben",
      items: [
        { service: "checkout", chart: "checkout", from: "1.3.0", to: "1.3.2", tickets: ["CHK-1", "CHK-2"] },
        { service: "gateway", chart: "api-gateway", from: "4.1.0", to: "4.2.0", tickets: ["GW-7", "CHK-2"] },
        { service: "ledger", chart: "ledger", from: "0.1.0", to: "0.2.0", tickets: [] },
      ],
      createdAt: raisedAt,
      ...(type === "merged" ? { mergedAt } : {}),
      ...extra,
    },
  };
}

const all: FollowThroughSettings = {
  jira: { fixVersionPattern: "{service}/{environment}/{date}/{version}", siteUrl: "https://acme.atlassian.net" },
  slack: { channels: ["#releases", "C0PAYMENTS1"] },
  grafana: {},
  appUrl: "https://slipway.example.com",
};

const keys = (jobs: { key: string }[]) => jobs.map((job) => job.key);

describe("planFollowThrough", () => {
  it("on a raise: one fix version per service with tickets, one ticket job per ticket, one post per channel", () => {
    const jobs = planFollowThrough(event("raised"), all);
    expect(keys(jobs)).toEqual([
      "jira.fix-version:12:checkout",
      "jira.fix-version:12:gateway",
      "jira.ticket-raised:12:CHK-1",
      "jira.ticket-raised:12:CHK-2",
      "jira.ticket-raised:12:GW-7",
      "slack.post:12:#releases",
      "slack.post:12:C0PAYMENTS1",
    ]);
    expect(jobs[0]).toMatchObject({ payload: { name: "checkout/payments-eu/2026-12-01/1.3.2", tickets: ["CHK-1", "CHK-2"] } });
    // A ticket named by two services gets both services' fix versions.
    const shared = jobs.find((job) => job.key === "jira.ticket-raised:12:CHK-2")!;
    expect(shared.payload).toMatchObject({
      services: ["checkout", "gateway"],
      link: { url: "https://slipway.example.com/releases/12", title: "Upgrade in payments-eu: change request #12" },
      comment: expect.stringContaining("https://slipway.example.com/environments/payments-eu"),
    });
    const post = jobs.find((job) => job.kind === "slack.post")!;
    expect(post.payload).toMatchObject({
      notice: {
        state: "open",
        releasePageUrl: "https://slipway.example.com/releases/12",
        tickets: [{ key: "CHK-1", url: "https://acme.atlassian.net/browse/CHK-1" }, { key: "CHK-2" }, { key: "GW-7" }],
      },
    });
  });

  it("links tickets to the pull request on GitHub, and comments with the environment's own URL", () => {
    const jobs = planFollowThrough(event("raised", { url: "https://github.com/acme/payments-eu/pull/31", number: 31 }), {
      ...all,
      environmentUrl: "https://payments-eu.example.com",
    });
    expect(jobs.find((job) => job.kind === "jira.ticket-raised")!.payload).toMatchObject({
      link: { url: "https://github.com/acme/payments-eu/pull/31", title: "Upgrade in payments-eu: pull request #31" },
      comment: expect.stringContaining("payments-eu (https://payments-eu.example.com)"),
    });
    expect(jobs.find((job) => job.kind === "slack.post")!.payload).toMatchObject({ notice: { pullRequest: { number: 31 } } });
  });

  it("links the branch's preview from the Jira comment and the Slack message while the request opens, and adds no job", () => {
    const branch = { repo: "acme/pay-stack", branch: "slipway/payments-eu/upgrade-checkout-1.3.2-ab12cd3" };
    const preview = "https://pay-stack-slipway-payments-eu-upgrade-checkout-1-3-2-ab12cd3.dev.example.com";
    const settings = { ...all, previewUrl: "https://{repo}-{branch}.dev.example.com" };
    const raised = planFollowThrough(event("raised", branch), settings);
    expect(keys(raised)).toEqual(keys(planFollowThrough(event("raised", branch), all)));
    for (const job of raised.filter((job) => job.kind === "jira.ticket-raised")) {
      expect(job.payload).toMatchObject({ comment: expect.stringMatching(new RegExp(` Preview: ${preview.replace(/\./g, "\\.")}$`)) });
    }
    expect(raised.find((job) => job.kind === "slack.post")!.payload).toMatchObject({ notice: { previewUrl: preview } });
    // Without the template, or without a branch, nothing changes.
    expect(planFollowThrough(event("raised", branch), all)).toEqual(planFollowThrough(event("raised"), settings));
    // Once merged the branch is gone, and with it the preview: the updated message has no link.
    const merged = planFollowThrough(event("merged", branch), settings);
    for (const job of merged) expect(JSON.stringify(job.payload)).not.toContain("dev.example.com");
  });

  it("on a merge: the raise's jobs again (same keys), then release, transitions, updates, replies and annotations", () => {
    const raised = keys(planFollowThrough(event("raised"), all));
    const jobs = planFollowThrough(event("merged"), all);
    expect(keys(jobs)).toEqual([
      ...raised.filter((key) => key.startsWith("jira.")),
      "jira.release-version:12:checkout",
      "jira.release-version:12:gateway",
      "jira.transition:12:CHK-1",
      "jira.transition:12:CHK-2",
      "jira.transition:12:GW-7",
      "slack.post:12:#releases",
      "slack.update:12:#releases:merged",
      "slack.reply:12:#releases:merged",
      "slack.post:12:C0PAYMENTS1",
      "slack.update:12:C0PAYMENTS1:merged",
      "slack.reply:12:C0PAYMENTS1:merged",
      "grafana.annotate:12:checkout",
      "grafana.annotate:12:gateway",
      "grafana.annotate:12:ledger",
    ]);
    expect(jobs.find((job) => job.kind === "jira.release-version")!.payload).toMatchObject({ releaseDate: "2026-12-02" });
    // The fix version keeps the day it was raised, so the merge finds the same one.
    expect(jobs.find((job) => job.kind === "jira.fix-version")!.payload).toMatchObject({ name: "checkout/payments-eu/2026-12-01/1.3.2" });
    expect(jobs.find((job) => job.kind === "slack.reply")!.payload).toMatchObject({ at: mergedAt.toISOString(), notice: { state: "merged" } });
    expect(jobs.find((job) => job.key === "grafana.annotate:12:gateway")!.payload).toMatchObject({
      item: { service: "gateway", from: "4.1.0", to: "4.2.0" },
      tickets: ["GW-7", "CHK-2"],
      time: mergedAt.toISOString(),
    });
    // The same event planned twice: the same keys, so nothing new is enqueued.
    expect(keys(planFollowThrough(event("merged"), all))).toEqual(keys(jobs));
  });

  it("on a rollback's merge: flags the tickets that left and unreleases their versions; no fix version of its own", () => {
    const rollback = (type: ReleaseEvent["type"]) =>
      event(type, { kind: "rollback", items: [{ service: "checkout", chart: "checkout", from: "1.3.2", to: "1.3.0", tickets: ["CHK-1", "CHK-2"] }] });
    expect(keys(planFollowThrough(rollback("raised"), all))).toEqual(["slack.post:12:#releases", "slack.post:12:C0PAYMENTS1"]);
    const jobs = planFollowThrough(rollback("merged"), { ...all, slack: { channels: ["#releases"] } });
    expect(keys(jobs)).toEqual([
      "jira.rollback-flag:12:CHK-1",
      "jira.rollback-flag:12:CHK-2",
      "jira.rollback-version:12:checkout",
      "slack.post:12:#releases",
      "slack.update:12:#releases:merged",
      "slack.reply:12:#releases:merged",
      "grafana.annotate:12:checkout",
    ]);
    expect(jobs[0]!.payload).toMatchObject({ comment: expect.stringMatching(/^Rolled back: this ticket's change left payments-eu .*on 2026-12-02 .*checkout 1\.3\.2 → 1\.3\.0/) });
    expect(jobs.find((job) => job.kind === "slack.post")!.payload).toMatchObject({ notice: { kind: "rollback", tickets: [], ticketsLeaving: [{ key: "CHK-1" }, { key: "CHK-2" }] } });
    expect(jobs.find((job) => job.kind === "grafana.annotate")!.payload).toMatchObject({ tickets: [], ticketsLeaving: ["CHK-1", "CHK-2"] });
  });

  it("on a close: Slack only, the same message updated and a reply; nothing in Jira or Grafana", () => {
    const at = new Date("2026-12-03T08:00:00Z");
    const jobs = planFollowThrough({ ...event("closed", { closedAt: at }), at }, all);
    expect(keys(jobs)).toEqual([
      "slack.post:12:#releases",
      "slack.update:12:#releases:closed",
      "slack.reply:12:#releases:closed",
      "slack.post:12:C0PAYMENTS1",
      "slack.update:12:C0PAYMENTS1:closed",
      "slack.reply:12:C0PAYMENTS1:closed",
    ]);
    expect(jobs[2]!.payload).toMatchObject({ at: at.toISOString(), notice: { state: "closed" } });
  });

  it("plans nothing for an integration that is off", () => {
    expect(planFollowThrough(event("merged"), {})).toEqual([]);
    expect(keys(planFollowThrough(event("merged"), { grafana: {} }))).toEqual(["grafana.annotate:12:checkout", "grafana.annotate:12:gateway", "grafana.annotate:12:ledger"]);
    expect(planFollowThrough(event("merged"), { jira: all.jira }).every((job) => job.kind.startsWith("jira."))).toBe(true);
    // Without Slipway's URL the notice links nowhere rather than to a relative path Slack cannot open.
    const post = planFollowThrough(event("raised"), { slack: { channels: ["#releases"] } })[0]!;
    expect(post.payload).toMatchObject({ notice: { releasePageUrl: "/releases/12", tickets: [{ key: "CHK-1" }, { key: "CHK-2" }, { key: "GW-7" }] } });
  });
});

describe("followThroughSettings", () => {
  const config = workspaceConfigSchema.parse({
    environments: [
      { name: "payments-eu", groups: { brand: "payments", stage: "prod" }, repo: "./eu", url: "https://payments-eu.example.com" },
      { name: "payments-dev", groups: { brand: "payments", stage: "dev" }, repo: "./dev" },
      { name: "shop-dev", groups: { brand: "shop", stage: "dev" }, repo: "./shop" },
    ],
    jira: { url: "https://acme.atlassian.net", deployment: "cloud", auth: { emailEnv: "JIRA_EMAIL", tokenEnv: "JIRA_API_TOKEN" }, fixVersionPattern: "{service}-{version}" },
    slack: {
      tokenEnv: "SLACK_BOT_TOKEN",
      channels: [
        { channel: "#releases" },
        { channel: "#payments-prod", groups: { brand: "payments", stage: "prod" } },
        { channel: "#shop", environments: ["shop-dev"] },
        { channel: "#releases" },
      ],
    },
    grafana: { url: "https://grafana.example.com", tokenEnv: "GRAFANA_TOKEN" },
  });
  const on = { jira: true, slack: true, grafana: true };

  it("routes each environment to its channels, by name or by group, each once", () => {
    expect(followThroughSettings(config, "payments-eu", on).slack).toEqual({ channels: ["#releases", "#payments-prod"] });
    expect(followThroughSettings(config, "payments-dev", on).slack).toEqual({ channels: ["#releases"] });
    expect(followThroughSettings(config, "shop-dev", on).slack).toEqual({ channels: ["#releases", "#shop"] });
  });

  it("carries the fix version pattern, Jira's site, the environment's URL and Slipway's", () => {
    expect(followThroughSettings(config, "payments-eu", on, "https://slipway.example.com/")).toEqual({
      jira: { fixVersionPattern: "{service}-{version}", siteUrl: "https://acme.atlassian.net" },
      slack: { channels: ["#releases", "#payments-prod"] },
      grafana: {},
      appUrl: "https://slipway.example.com",
      environmentUrl: "https://payments-eu.example.com",
    });
  });

  it("carries the environment's preview URL template", () => {
    const withPreview = workspaceConfigSchema.parse({
      environments: [{ name: "payments-dev", repo: "acme/payments-stack", previewUrl: "https://{repo}-{branch}.dev.example.com" }],
    });
    expect(followThroughSettings(withPreview, "payments-dev", on)).toEqual({ previewUrl: "https://{repo}-{branch}.dev.example.com" });
  });

  it("leaves out integrations that are off (a missing secret) or absent", () => {
    expect(followThroughSettings(config, "payments-eu", { jira: false, slack: true, grafana: false })).toEqual({ slack: { channels: ["#releases", "#payments-prod"] }, environmentUrl: "https://payments-eu.example.com" });
    expect(followThroughSettings({ environments: config.environments }, "payments-eu", on)).toEqual({ environmentUrl: "https://payments-eu.example.com" });
  });
});
