import { describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { environmentConfigSchema } from "@/lib/config/schema";
import { readIntegrations } from "@/lib/follow-through/integration-status";
import { grafanaConfigSchema } from "@/lib/integrations/grafana/grafana-config";
import { jiraConfigSchema } from "@/lib/integrations/jira/jira-config";
import { slackConfigSchema } from "@/lib/integrations/slack/slack-config";
import { type PreviewInput, type PreviewRequest, previewFollowThrough } from "./preview-follow-through";

const environments = [
  environmentConfigSchema.parse({ name: "shop-production", repo: "acme/shop", groups: { stage: "prod" }, url: "https://shop.example.com" }),
  environmentConfigSchema.parse({ name: "shop-dev", repo: "acme/shop", groups: { stage: "dev" } }),
];

const upgrade: PreviewRequest = {
  id: 42,
  kind: "upgrade",
  environment: "shop-production",
  title: "Upgrade checkout and cart",
  requester: "ben",
  state: "open",
  items: [
    { service: "checkout", chart: "checkout", from: "1.2.0", to: "1.3.0", tickets: ["SHOP-1", "PAY-7"] },
    { service: "cart", chart: "cart", from: "0.4.0", to: "0.5.0", tickets: [] },
  ],
  createdAt: new Date("2026-03-02T09:00:00Z"),
};
const now = new Date("2026-03-03T12:00:00Z");

describe("previewFollowThrough with nothing configured (the demo)", () => {
  const config: PreviewInput["config"] = { environments };
  const input: PreviewInput = { request: upgrade, config, status: readIntegrations(config, secretsFrom({})).status, appUrl: "https://slipway.example.com/", now };
  const preview = previewFollowThrough(input);

  it("says that every integration is off, and what the preview assumed", () => {
    expect(preview.integrations.map(({ name, configured, on }) => ({ name, configured, on }))).toEqual([
      { name: "jira", configured: false, on: false },
      { name: "slack", configured: false, on: false },
      { name: "grafana", configured: false, on: false },
    ]);
    expect(preview.integrations[0]!.note).toMatch(/no jira: section.*defaults of a Jira Cloud section/);
  });

  it("shows the events an open request has had and could have, each with the jobs it adds", () => {
    expect(preview.events.map((event) => [event.type, event.title, event.hypothetical])).toEqual([
      ["raised", "Raised", false],
      ["merged", "If it merges now", true],
      ["closed", "If it is closed now", true],
    ]);
    const [raised, merged, closed] = preview.events;
    expect(raised!.at).toBe("2026-03-02T09:00:00.000Z");
    expect(raised!.jobs.map((job) => `${job.label} · ${job.subject}`)).toEqual([
      "Jira: create the fix version · checkout",
      "Jira: fix version, link and comment on the ticket · SHOP-1",
      "Jira: fix version, link and comment on the ticket · PAY-7",
      "Slack: announce in the channel · (no channel routed here)",
    ]);
    // A merge plans the raise's effects again under the same keys; only what it adds is listed.
    expect(merged!.repeated).toBe(4);
    expect(merged!.jobs.map((job) => job.kind)).toEqual([
      "jira.release-version",
      "jira.transition",
      "jira.transition",
      "slack.update",
      "slack.reply",
      "grafana.annotate",
      "grafana.annotate",
    ]);
    expect(merged!.at).toBe(now.toISOString());
    expect(closed!.jobs.map((job) => job.kind)).toEqual(["slack.update", "slack.reply"]);
  });

  it("lists the Jira calls with Cloud's REST v3 paths and an ADF comment carrying the marker", () => {
    const raised = preview.events[0]!;
    expect(raised.jira.map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /rest/api/3/version",
      "POST /rest/api/3/version",
      "PUT /rest/api/3/issue/SHOP-1",
      "POST /rest/api/3/issue/SHOP-1/remotelink",
      "POST /rest/api/3/issue/SHOP-1/comment",
      "PUT /rest/api/3/issue/PAY-7",
      "POST /rest/api/3/issue/PAY-7/remotelink",
      "POST /rest/api/3/issue/PAY-7/comment",
    ]);
    expect(raised.jira[0]!.body).toEqual({
      name: "checkout/shop-production/2026-03-02/1.3.0",
      projectId: "{id of project SHOP}",
      description: "Released by Slipway: checkout (change request #42)",
    });
    expect(raised.jira[2]!.body).toEqual({ update: { fixVersions: [{ add: { id: "{id of checkout/shop-production/2026-03-02/1.3.0 in SHOP}" } }] } });
    expect(raised.jira[3]!.body).toMatchObject({ globalId: "slipway-release-42", object: { url: "https://slipway.example.com/releases/42" } });
    const comment = raised.jira[4]!.body as { body: { type: string; content: { content: { text?: string }[] }[] } };
    expect(comment.body.type).toBe("doc");
    expect(comment.body.content.at(-1)!.content[0]!.text).toBe("slipway:release-42-raised");

    const merged = preview.events[1]!;
    expect(merged.jira.map((call) => `${call.method} ${call.path}`)).toEqual([
      "PUT /rest/api/3/version/{id of checkout/shop-production/2026-03-02/1.3.0}",
      "POST /rest/api/3/issue/SHOP-1/transitions",
      "POST /rest/api/3/issue/PAY-7/transitions",
    ]);
    expect(merged.jira[0]!.body).toEqual({ id: "{id of checkout/shop-production/2026-03-02/1.3.0}", released: true, releaseDate: "2026-03-03" });
    expect(merged.jira[1]!.body).toEqual({ transition: { id: '{id of the transition "Done" from the ticket\'s status}' } });
  });

  it("renders the Slack message without ticket links, since there is no Jira to link to", () => {
    const [post] = preview.events[0]!.slack;
    expect(post).toMatchObject({ kind: "slack.post", channels: [], method: "chat.postMessage" });
    expect(post!.body).toMatchObject({ channel: "{channel}", metadata: { event_type: "slipway_notice", event_payload: { key: "slack.post:42:{channel}" } } });
    expect(post!.rendered[0]).toEqual({ type: "header", text: "Upgrade to shop-production" });
    const tickets = post!.rendered.find((block) => block.type === "section" && block.text?.[0]?.type === "text" && block.text[0].text === "Tickets");
    expect(tickets).toBeDefined();
    expect(JSON.stringify(tickets)).not.toContain('"link"');

    const merged = preview.events[1]!.slack;
    expect(merged.map((entry) => [entry.kind, entry.method])).toEqual([
      ["slack.update", "chat.update"],
      ["slack.reply", "chat.postMessage"],
    ]);
    expect(merged[0]!.rendered[1]).toMatchObject({ type: "section", fields: expect.arrayContaining([[{ type: "text", text: "Status", bold: true }, { type: "break" }, { type: "text", text: "✅ Merged" }]]) });
    expect(merged[1]!.body).toMatchObject({ thread_ts: "{ts of the announcement}" });
    expect(merged[1]!.rendered[0]).toMatchObject({ type: "section", text: expect.arrayContaining([{ type: "text", text: "Went out to shop-production 2026-03-03 12:00 UTC: " }]) });
  });

  it("shows one Grafana annotation per service with its time, tags and text", () => {
    const grafana = preview.events[1]!.grafana;
    expect(grafana.map((annotation) => annotation.service)).toEqual(["checkout", "cart"]);
    expect(grafana[0]).toEqual({
      service: "checkout",
      method: "POST",
      path: "/api/annotations",
      time: now.toISOString(),
      tags: ["shop-production", "checkout", "1.3.0", "slipway", "upgrade", "slipway-request-42-checkout"],
      text: "Slipway upgrade of checkout in shop-production: 1.2.0 → 1.3.0\nRelease request 42 https://slipway.example.com/releases/42\nTickets: SHOP-1, PAY-7",
      body: {
        time: now.getTime(),
        tags: ["shop-production", "checkout", "1.3.0", "slipway", "upgrade", "slipway-request-42-checkout"],
        text: "Slipway upgrade of checkout in shop-production: 1.2.0 → 1.3.0\nRelease request 42 https://slipway.example.com/releases/42\nTickets: SHOP-1, PAY-7",
      },
    });
  });
});

describe("previewFollowThrough with the configuration as it is", () => {
  const config = {
    environments,
    jira: jiraConfigSchema.parse({
      url: "https://jira.example.com/jira",
      deployment: "datacenter",
      auth: { tokenEnv: "JIRA_PAT" },
      projects: ["SHOP"],
      doneTransitionByProject: { SHOP: "Ship it" },
      rollback: { label: "rolled-back", transition: "Reopen" },
    }),
    slack: slackConfigSchema.parse({ tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel: "#releases" }, { channel: "C0PRODUCTION", groups: { stage: "prod" } }, { channel: "#dev", groups: { stage: "dev" } }] }),
    grafana: grafanaConfigSchema.parse({ url: "https://grafana.example.com", tokenEnv: "GRAFANA_TOKEN", dashboardUID: "services" }),
  };
  // Jira's token is set, Slack's and Grafana's are not: the preview still shows what they would get.
  const status = readIntegrations(config, secretsFrom({ JIRA_PAT: "secret-pat" })).status;

  it("uses Data Center's REST v2 under the context path, plain-text comments, the project's transition and jira.projects", () => {
    const preview = previewFollowThrough({ request: { ...upgrade, state: "merged", mergedAt: new Date("2026-03-04T08:00:00Z") }, config, status, now });
    expect(preview.events.map((event) => [event.title, event.hypothetical])).toEqual([
      ["Raised", false],
      ["Merged", false],
    ]);
    const raised = preview.events[0]!;
    expect(raised.jira[0]).toMatchObject({ method: "POST", path: "/jira/rest/api/2/version", body: { projectId: "{id of project SHOP}" } });
    expect(raised.jira[1]).toMatchObject({ subject: "PAY", note: "Not sent: project PAY is not in jira.projects." });
    expect(raised.jira[1]!.body).toBeUndefined();
    const comment = raised.jira.find((call) => call.path === "/jira/rest/api/2/issue/SHOP-1/comment")!;
    expect(comment.body).toEqual({ body: "Slipway raised change request #42 for shop-production (https://shop.example.com): Upgrade checkout and cart.\n\nslipway:release-42-raised" });
    const transition = preview.events[1]!.jira.find((call) => call.path === "/jira/rest/api/2/issue/SHOP-1/transitions")!;
    expect(transition.body).toEqual({ transition: { id: '{id of the transition "Ship it" from the ticket\'s status}' } });
  });

  it("sends to the channels routed to the environment, with ticket links, and annotates the configured dashboard", () => {
    const preview = previewFollowThrough({ request: { ...upgrade, state: "merged", mergedAt: new Date("2026-03-04T08:00:00Z") }, config, status, now });
    const [post] = preview.events[0]!.slack;
    expect(post!.channels).toEqual(["#releases", "C0PRODUCTION"]);
    expect(post!.body).toMatchObject({ channel: "#releases" });
    expect(JSON.stringify(post!.rendered)).toContain('"href":"https://jira.example.com/jira/browse/SHOP-1"');
    expect(preview.events[1]!.grafana[0]!.body).toMatchObject({ dashboardUID: "services", time: Date.parse("2026-03-04T08:00:00Z") });
    expect(preview.integrations).toEqual([
      { name: "jira", configured: true, on: true },
      { name: "slack", configured: true, on: false, note: expect.stringContaining("set SLACK_BOT_TOKEN") },
      { name: "grafana", configured: true, on: false, note: expect.stringContaining("set GRAFANA_TOKEN") },
    ]);
    expect(JSON.stringify(preview)).not.toContain("secret-pat");
  });

  it("previews a merged rollback: the rolled-back tickets are flagged and the fix versions unreleased", () => {
    const rollback: PreviewRequest = {
      ...upgrade,
      kind: "rollback",
      state: "merged",
      items: [{ service: "checkout", chart: "checkout", from: "1.3.0", to: "1.2.0", tickets: ["SHOP-1"] }],
      mergedAt: new Date("2026-03-05T08:00:00Z"),
    };
    const preview = previewFollowThrough({ request: rollback, config, status, now });
    expect(preview.events.map((event) => event.title)).toEqual(["Raised", "Merged (rollback)"]);
    expect(preview.events[0]!.jira).toEqual([]);
    const merged = preview.events[1]!;
    expect(merged.jobs.map((job) => job.kind)).toEqual(["jira.rollback-flag", "jira.rollback-version", "slack.update", "slack.reply", "slack.update", "slack.reply", "grafana.annotate"]);
    expect(merged.jira.map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /jira/rest/api/2/issue/SHOP-1/comment",
      "PUT /jira/rest/api/2/issue/SHOP-1",
      "POST /jira/rest/api/2/issue/SHOP-1/transitions",
      "PUT /jira/rest/api/2/version/{id}",
    ]);
    expect(merged.jira[1]!.body).toEqual({ update: { labels: [{ add: "rolled-back" }] } });
    expect(merged.grafana[0]!.text).toContain("Tickets leaving shop-production: SHOP-1");
  });

  it("previews a request that never opened as what would be sent when it does", () => {
    const preview = previewFollowThrough({ request: { ...upgrade, state: "failed" }, config, status, now });
    expect(preview.events.map((event) => [event.title, event.hypothetical])).toEqual([
      ["When it opens", true],
      ["If it merges now", true],
      ["If it is closed now", true],
    ]);
  });
});
