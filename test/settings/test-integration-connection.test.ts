import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { grafanaConfigSchema } from "@/lib/integrations/grafana/grafana-config";
import { slackConfigSchema } from "@/lib/integrations/slack/slack-config";
import { createConnectionTestLimiter, testIntegrationConnection } from "@/lib/settings/test-integration-connection";
import { DEFAULT_GRAFANA_TOKEN, type GrafanaTestServer, startGrafanaTestServer } from "../grafana/grafana-test-server";
import { CLOUD_USER, configFor } from "../jira/jira-fixtures";
import { type JiraTestServer, startJiraTestServer } from "../jira/jira-test-server";
import { DEFAULT_SLACK_TOKEN, type SlackTestServer, startSlackTestServer } from "../slack/slack-test-server";

/** A fresh limiter per call: these tests are about the answers, one test below is about the limit. */
const unlimited = () => createConnectionTestLimiter(0);

describe("testing each integration's connection against servers that speak the vendor's wire format", () => {
  let jira: JiraTestServer;
  let slack: SlackTestServer;
  let grafana: GrafanaTestServer;
  const config = () => ({
    jira: configFor(jira, "cloud"),
    slack: slackConfigSchema.parse({ tokenEnv: "SLACK_BOT_TOKEN", apiUrl: slack.apiUrl, channels: [{ channel: "#releases" }] }),
    grafana: grafanaConfigSchema.parse({ url: grafana.url, tokenEnv: "GRAFANA_TOKEN" }),
  });
  const good = { JIRA_EMAIL: CLOUD_USER.login, JIRA_API_TOKEN: CLOUD_USER.token, SLACK_BOT_TOKEN: DEFAULT_SLACK_TOKEN, GRAFANA_TOKEN: DEFAULT_GRAFANA_TOKEN };
  const bad = { JIRA_EMAIL: CLOUD_USER.login, JIRA_API_TOKEN: "not-the-token", SLACK_BOT_TOKEN: "xoxb-revoked", GRAFANA_TOKEN: "glsa_revoked" };
  const test = (name: "jira" | "slack" | "grafana", secrets: Record<string, string>) =>
    testIntegrationConnection(name, { config: config(), secret: secretsFrom(secrets), limiter: unlimited(), timeoutMs: 3_000 });

  beforeAll(async () => {
    [jira, slack, grafana] = await Promise.all([
      startJiraTestServer({ deployment: "cloud", users: [{ ...CLOUD_USER }] }),
      startSlackTestServer(),
      startGrafanaTestServer(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([jira?.close(), slack?.close(), grafana?.close()]);
  });

  it("reports who Slipway is in each, when the credentials work", async () => {
    expect(await test("jira", good)).toEqual({
      ok: true,
      integration: "jira",
      summary: expect.stringMatching(/^Connected to .+, Jira Cloud .+, as Release Bot/),
      warnings: [],
    });
    expect(await test("slack", good)).toEqual({
      ok: true,
      integration: "slack",
      summary: expect.stringMatching(/^Connected to the Slack workspace Slipway Test .*as bot user U0SLIPWAY\.$/),
      warnings: [],
    });
    expect(await test("grafana", good)).toMatchObject({ ok: true, integration: "grafana", summary: expect.stringMatching(/^Connected to Grafana .+; the token may read annotations\.$/) });
  });

  it("answers a bad token with the adapter's message, which names the variable and never the token", async () => {
    const results = [await test("jira", bad), await test("slack", bad), await test("grafana", bad)];
    for (const result of results) expect(result.ok).toBe(false);
    const errors = results.map((result) => (result.ok ? "" : result.error));
    expect(errors[0]).toContain("JIRA_API_TOKEN");
    expect(errors[1]).toContain("SLACK_BOT_TOKEN");
    expect(errors[2]).toContain("GRAFANA_TOKEN");
    expect(errors.join("\n")).not.toMatch(/not-the-token|xoxb-revoked|glsa_revoked/);
  });

  it("does not call an integration whose secret is unset: it says which variable to set", async () => {
    const before = slack.calls.length;
    expect(await test("slack", {})).toEqual({ ok: false, integration: "slack", error: expect.stringContaining("set SLACK_BOT_TOKEN") });
    expect(slack.calls.length).toBe(before);
  });

  it("tests each integration at most once per interval", async () => {
    let now = 1_000_000;
    const limiter = createConnectionTestLimiter(5_000, () => now);
    const run = (name: "slack" | "grafana") => testIntegrationConnection(name, { config: config(), secret: secretsFrom(good), limiter, timeoutMs: 3_000 });
    const before = slack.count("auth.test");
    await expect(run("slack")).resolves.toMatchObject({ ok: true });
    now += 2_000;
    await expect(run("slack")).rejects.toMatchObject({ status: 429, message: "Slack was tested a moment ago: try again in 3 s." });
    await expect(run("grafana")).resolves.toMatchObject({ ok: true }); // each integration has its own turn
    expect(slack.count("auth.test")).toBe(before + 1);
    now += 3_000;
    await expect(run("slack")).resolves.toMatchObject({ ok: true });
  });
});
