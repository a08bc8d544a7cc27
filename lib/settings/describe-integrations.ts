import type { SecretSource } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { readIntegrations } from "@/lib/follow-through/integration-status";
import { jiraEndpoint } from "@/lib/integrations/jira/jira-config";

/**
 * The settings page's integration cards, pure: for each integration whether slipway.yaml configures it, whether it is
 * on, why not, and its settings. Secrets appear by variable name only, with whether the variable is set: their
 * values never enter this data, so they cannot reach a page.
 */

export type SettingsIntegrationName = "jira" | "slack" | "grafana" | "github";

export type SettingValue =
  | { type: "text"; text: string }
  | { type: "url"; url: string }
  /** An environment variable slipway.yaml names; `set` says whether the server has it, never its value. */
  | { type: "variable"; name: string; set: boolean };

export interface SettingRow {
  label: string;
  values: SettingValue[];
}

export interface IntegrationCard {
  name: SettingsIntegrationName;
  title: string;
  /** slipway.yaml has its section. */
  configured: boolean;
  on: boolean;
  /** Why it is off, and what to do. */
  reason?: string;
  settings: SettingRow[];
  /** It has a connection test: a configured Jira, Slack or Grafana (GitHub's card is read-only). One that is off answers why. */
  testable: boolean;
}

type Config = Pick<WorkspaceConfig, "jira" | "slack" | "grafana" | "github" | "environments">;

const text = (value: string): SettingValue => ({ type: "text", text: value });
const url = (value: string): SettingValue => ({ type: "url", url: value });

export function describeIntegrations(config: Config, secret: SecretSource): IntegrationCard[] {
  const isSet = (name: string) => Boolean(secret(name)?.trim());
  const variable = (name: string): SettingValue => ({ type: "variable", name, set: isSet(name) });
  const { status } = readIntegrations(config, secret);
  const state = (name: "jira" | "slack" | "grafana") => {
    const entry = status.find((candidate) => candidate.name === name)!;
    return { configured: entry.configured, on: entry.on, ...(entry.reason ? { reason: entry.reason } : {}) };
  };

  const jira = config.jira;
  const jiraCard: IntegrationCard = {
    name: "jira",
    title: "Jira",
    ...state("jira"),
    testable: state("jira").configured,
    settings: jira
      ? [
          { label: "Site", values: [url(jiraEndpoint(jira).siteUrl)] },
          { label: "Deployment", values: [text(jira.deployment === "cloud" ? "Jira Cloud (REST API v3)" : "Jira Data Center (REST API v2)")] },
          { label: "Credentials", values: "emailEnv" in jira.auth ? [variable(jira.auth.emailEnv), variable(jira.auth.tokenEnv)] : [variable(jira.auth.tokenEnv)] },
          { label: "Fix version name", values: [text(jira.fixVersionPattern)] },
          {
            label: "Done transition",
            values: [text(jira.doneTransition), ...Object.entries(jira.doneTransitionByProject).map(([project, name]) => text(`${project}: ${name}`))],
          },
          {
            label: "On rollback",
            values: [text([jira.rollback.label ? `label ${jira.rollback.label}` : undefined, jira.rollback.transition ? `transition ${jira.rollback.transition}` : undefined].filter(Boolean).join(", ") || "comment only")],
          },
          { label: "Projects", values: [text(jira.projects ? jira.projects.join(", ") : "any")] },
          { label: "Timeout", values: [text(`${jira.timeoutSeconds} s per request`)] },
        ]
      : [],
  };

  const slack = config.slack;
  const slackCard: IntegrationCard = {
    name: "slack",
    title: "Slack",
    ...state("slack"),
    testable: state("slack").configured,
    settings: slack
      ? [
          { label: "API", values: [url(slack.apiUrl)] },
          { label: "Bot token", values: [variable(slack.tokenEnv)] },
          {
            label: "Channels",
            values: slack.channels.map((route) => {
              const where = [
                route.environments ? `environments ${route.environments.join(", ")}` : undefined,
                route.groups ? `groups ${Object.entries(route.groups).map(([key, value]) => `${key}=${value}`).join(", ")}` : undefined,
              ].filter(Boolean);
              return text(`${route.channel}: ${where.length ? where.join("; ") : "every environment"}`);
            }),
          },
        ]
      : [],
  };

  const grafana = config.grafana;
  const grafanaCard: IntegrationCard = {
    name: "grafana",
    title: "Grafana",
    ...state("grafana"),
    testable: state("grafana").configured,
    settings: grafana
      ? [
          { label: "URL", values: [url(grafana.url)] },
          { label: "Service account token", values: [variable(grafana.tokenEnv)] },
          {
            label: "Dashboard link",
            values: [text(grafana.dashboardUrlTemplate ?? "not set: the environment page links each service's own grafanaDashboard")],
          },
          { label: "Annotations on", values: [text(grafana.dashboardUID ? `dashboard ${grafana.dashboardUID}` : "the organization (found by tag)")] },
        ]
      : [],
  };

  return [jiraCard, slackCard, grafanaCard, githubCard(config, isSet)];
}

/** GitHub, read-only: where Slipway talks to it, how it signs in, and whether webhooks reach it. */
function githubCard(config: Config, isSet: (name: string) => boolean): IntegrationCard {
  const variable = (name: string): SettingValue => ({ type: "variable", name, set: isSet(name) });
  const github = config.github;
  if (!github) {
    return {
      name: "github",
      title: "GitHub",
      configured: false,
      on: false,
      reason: "GitHub is off: slipway.yaml has no github: section, so owner/name repositories are not read through GitHub's API",
      settings: [],
      testable: false,
    };
  }
  const credentials = "tokenEnv" in github.auth ? [github.auth.tokenEnv] : [github.auth.appIdEnv, github.auth.privateKeyEnv, github.auth.installationIdEnv];
  const unset = credentials.filter((name) => !isSet(name));
  const webhookSet = github.webhookSecretEnv ? isSet(github.webhookSecretEnv) : false;
  return {
    name: "github",
    title: "GitHub",
    configured: true,
    on: unset.length === 0,
    ...(unset.length > 0 ? { reason: `GitHub repositories cannot be read: set ${unset.join(" and ")} (named by github.auth in slipway.yaml)` } : {}),
    settings: [
      { label: "API", values: [url(github.apiUrl)] },
      ...(github.webUrl ? [{ label: "Web", values: [url(github.webUrl)] }] : []),
      { label: "Signs in with", values: [text("tokenEnv" in github.auth ? "a token" : "a GitHub App installation"), ...credentials.map(variable)] },
      {
        label: "Webhook",
        values: github.webhookSecretEnv
          ? [
              text(webhookSet ? "configured: POST /api/webhooks/github" : "configured, but its secret is not set: deliveries are refused (503)"),
              variable(github.webhookSecretEnv),
            ]
          : [text("not configured (github.webhookSecretEnv): pull requests are followed by polling")],
      },
    ],
    testable: false,
  };
}
