import type { SecretSource } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { type JiraSecret, readJiraSecret } from "@/lib/integrations/jira/jira-config";
import type { EnabledIntegrations } from "./plan-follow-through";

/**
 * Which integrations follow release requests through, and why one is off: its section is absent from slipway.yaml,
 * or the secret it names is unset. A missing secret turns that integration off with a reason for the page and the
 * log; it never stops the app.
 */
export type IntegrationName = "jira" | "slack" | "grafana";

export type IntegrationStatus = { name: IntegrationName; configured: boolean; on: boolean; reason?: string };

export interface IntegrationSecrets {
  jira?: JiraSecret;
  slack?: string;
  grafana?: string;
}

export function readIntegrations(
  config: Pick<WorkspaceConfig, "jira" | "slack" | "grafana">,
  secret: SecretSource,
): { status: IntegrationStatus[]; enabled: EnabledIntegrations; secrets: IntegrationSecrets } {
  const secrets: IntegrationSecrets = {};
  const status: IntegrationStatus[] = [];

  if (!config.jira) status.push({ name: "jira", configured: false, on: false, reason: "Jira is off: slipway.yaml has no jira: section" });
  else {
    const variables: Record<string, string | undefined> = { [config.jira.auth.tokenEnv]: secret(config.jira.auth.tokenEnv) };
    if ("emailEnv" in config.jira.auth) variables[config.jira.auth.emailEnv] = secret(config.jira.auth.emailEnv);
    const read = readJiraSecret(config.jira, variables);
    if (read.enabled) {
      secrets.jira = read.secret;
      status.push({ name: "jira", configured: true, on: true });
    } else status.push({ name: "jira", configured: true, on: false, reason: read.reason });
  }

  const token = (name: IntegrationName, section: { tokenEnv: string } | undefined, what: string) => {
    if (!section) {
      status.push({ name, configured: false, on: false, reason: `${label(name)} is off: slipway.yaml has no ${name}: section` });
      return undefined;
    }
    const value = secret(section.tokenEnv)?.trim();
    if (!value) {
      status.push({ name, configured: true, on: false, reason: `${label(name)} is off: set ${section.tokenEnv} to ${what} (named by ${name}.tokenEnv in slipway.yaml)` });
      return undefined;
    }
    status.push({ name, configured: true, on: true });
    return value;
  };
  const slack = token("slack", config.slack, "the Slack app's bot token (xoxb-…)");
  if (slack) secrets.slack = slack;
  const grafana = token("grafana", config.grafana, "a Grafana service account token (glsa_…)");
  if (grafana) secrets.grafana = grafana;

  return { status, enabled: { jira: Boolean(secrets.jira), slack: Boolean(secrets.slack), grafana: Boolean(secrets.grafana) }, secrets };
}

function label(name: IntegrationName): string {
  return { jira: "Jira", slack: "Slack", grafana: "Grafana" }[name];
}
