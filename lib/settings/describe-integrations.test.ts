import { describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { githubConfigSchema } from "@/lib/config/schema";
import { grafanaConfigSchema } from "@/lib/integrations/grafana/grafana-config";
import { jiraConfigSchema } from "@/lib/integrations/jira/jira-config";
import { slackConfigSchema } from "@/lib/integrations/slack/slack-config";
import { describeIntegrations } from "./describe-integrations";

const configured = {
  environments: [],
  jira: jiraConfigSchema.parse({ url: "https://acme.atlassian.net", deployment: "cloud", auth: { emailEnv: "JIRA_EMAIL", tokenEnv: "JIRA_API_TOKEN" }, doneTransitionByProject: { OPS: "Close" } }),
  slack: slackConfigSchema.parse({ tokenEnv: "SLACK_BOT_TOKEN", channels: [{ channel: "#releases" }, { channel: "C0123456789", groups: { stage: "prod" } }] }),
  grafana: grafanaConfigSchema.parse({ url: "https://grafana.example.com", tokenEnv: "GRAFANA_TOKEN", dashboardUrlTemplate: "https://grafana.example.com/d/abc?var-env={environment}" }),
  github: githubConfigSchema.parse({ auth: { tokenEnv: "GITHUB_TOKEN" }, webhookSecretEnv: "GITHUB_WEBHOOK_SECRET" }),
};

const SECRETS = {
  JIRA_EMAIL: "bot@acme.example",
  JIRA_API_TOKEN: "jira-token-value",
  SLACK_BOT_TOKEN: "xoxb-slack-token-value",
  GITHUB_TOKEN: "ghp_github-token-value",
};

describe("describeIntegrations", () => {
  it("says which integrations are off and why when slipway.yaml has no section for them", () => {
    const cards = describeIntegrations({ environments: [] }, secretsFrom({}));
    expect(cards.map(({ name, configured, on, testable }) => ({ name, configured, on, testable }))).toEqual([
      { name: "jira", configured: false, on: false, testable: false },
      { name: "slack", configured: false, on: false, testable: false },
      { name: "grafana", configured: false, on: false, testable: false },
      { name: "github", configured: false, on: false, testable: false },
    ]);
    expect(cards[0]!.reason).toBe("Jira is off: slipway.yaml has no jira: section");
    expect(cards.every((card) => card.settings.length === 0)).toBe(true);
  });

  it("names each variable and whether it is set, never its value, and says which one to set", () => {
    const cards = describeIntegrations(configured, secretsFrom(SECRETS));
    const [jira, slack, grafana, github] = cards;
    expect(JSON.stringify(cards)).not.toMatch(/token-value|bot@acme/);
    expect(jira).toMatchObject({ configured: true, on: true, testable: true });
    expect(jira!.settings.find((row) => row.label === "Credentials")!.values).toEqual([
      { type: "variable", name: "JIRA_EMAIL", set: true },
      { type: "variable", name: "JIRA_API_TOKEN", set: true },
    ]);
    expect(jira!.settings.find((row) => row.label === "Done transition")!.values).toEqual([{ type: "text", text: "Done" }, { type: "text", text: "OPS: Close" }]);
    expect(slack!.settings.find((row) => row.label === "Channels")!.values).toEqual([
      { type: "text", text: "#releases: every environment" },
      { type: "text", text: "C0123456789: groups stage=prod" },
    ]);
    expect(grafana).toMatchObject({ configured: true, on: false, testable: true, reason: expect.stringContaining("set GRAFANA_TOKEN") });
    expect(grafana!.settings.find((row) => row.label === "Service account token")!.values).toEqual([{ type: "variable", name: "GRAFANA_TOKEN", set: false }]);
    expect(github).toMatchObject({ configured: true, on: true, testable: false });
    expect(github!.settings.find((row) => row.label === "API")!.values).toEqual([{ type: "url", url: "https://api.github.com" }]);
    expect(github!.settings.find((row) => row.label === "Webhook")!.values).toEqual([
      { type: "text", text: "configured, but its secret is not set: deliveries are refused (503)" },
      { type: "variable", name: "GITHUB_WEBHOOK_SECRET", set: false },
    ]);
  });

  it("says what GitHub lacks when a GitHub App's variables are unset", () => {
    const app = { ...configured, github: githubConfigSchema.parse({ auth: { appIdEnv: "GH_APP_ID", privateKeyEnv: "GH_APP_KEY", installationIdEnv: "GH_APP_INSTALLATION" } }) };
    const github = describeIntegrations(app, secretsFrom({ GH_APP_ID: "1" })).at(-1)!;
    expect(github).toMatchObject({ on: false, reason: "GitHub repositories cannot be read: set GH_APP_KEY and GH_APP_INSTALLATION (named by github.auth in slipway.yaml)" });
    expect(github.settings.find((row) => row.label === "Webhook")!.values).toEqual([{ type: "text", text: "not configured (github.webhookSecretEnv): pull requests are followed by polling" }]);
  });
});
