import "server-only";
import type { SecretSource } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { readIntegrations } from "@/lib/follow-through/integration-status";
import { createJira, type Jira } from "@/lib/integrations/jira/jira-client";
import type { JiraConfig, JiraSecret } from "@/lib/integrations/jira/jira-config";
import type { TicketSource } from "./read-ticket-details";

/**
 * One Jira adapter per process for reading tickets, so its short-lived cache (jira.cacheSeconds) serves every page,
 * action and person: kept on globalThis like the server's clients, since Next gives pages and actions their own copy
 * of this module. A new workspace configuration (another jira section) or another secret builds a new one.
 */
const holder = globalThis as typeof globalThis & { slipwayTicketJira?: { config: JiraConfig; secret: JiraSecret; jira: Jira } };

export function jiraTicketSource(config: Pick<WorkspaceConfig, "jira">, secret: SecretSource): TicketSource {
  const { status, secrets } = readIntegrations({ jira: config.jira, slack: undefined, grafana: undefined }, secret);
  if (!config.jira || !secrets.jira) {
    return { on: false, reason: status.find((entry) => entry.name === "jira")?.reason ?? "Jira is off" };
  }
  const held = holder.slipwayTicketJira;
  if (held?.config !== config.jira || !sameSecret(held.secret, secrets.jira)) {
    holder.slipwayTicketJira = { config: config.jira, secret: secrets.jira, jira: createJira(config.jira, secrets.jira) };
  }
  return { on: true, reader: holder.slipwayTicketJira!.jira };
}

function sameSecret(a: JiraSecret, b: JiraSecret): boolean {
  return a.kind === b.kind && a.token === b.token && (a.kind !== "basic" || (b.kind === "basic" && a.email === b.email));
}
