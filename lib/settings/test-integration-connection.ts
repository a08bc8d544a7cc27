import "server-only";
import { type SecretSource, readEnvironment } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { getWorkspace } from "@/lib/config/workspace";
import { SlipwayError, isSlipwayError } from "@/lib/errors";
import { type IntegrationName, readIntegrations } from "@/lib/follow-through/integration-status";
import { createGrafana } from "@/lib/integrations/grafana/grafana-client";
import { createJira } from "@/lib/integrations/jira/jira-client";
import { createSlack } from "@/lib/integrations/slack/slack-client";
import { logger } from "@/lib/logger";

/**
 * The settings page's "Test connection": one read-only call per integration through its real adapter (Jira's server
 * info and the account it signs in as, Slack's auth.test, Grafana's health and an authenticated annotation read),
 * with a short timeout, answered as a sentence for an admin. A failure is a result, not an error: its message is the
 * adapter's, which says what to fix (the variable to set, the permission to grant) and never holds a secret.
 *
 * Each integration is tested at most once per `intervalMs` per process, so the button cannot be used to hammer a
 * vendor (or to lock a token out through its rate limits).
 */

export type TestableIntegration = IntegrationName;

export type ConnectionTestResult =
  /** `warnings`: it works, but probably not as meant (Jira's deployment differs from slipway.yaml's). */
  | { ok: true; integration: TestableIntegration; summary: string; warnings: string[] }
  | { ok: false; integration: TestableIntegration; error: string };

export interface ConnectionTestLimiter {
  /** Takes the integration's turn, or says how long until it has one. */
  take(name: string): { allowed: true } | { allowed: false; retryInMs: number };
}

export const CONNECTION_TEST_INTERVAL_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 8_000;

export function createConnectionTestLimiter(intervalMs: number = CONNECTION_TEST_INTERVAL_MS, now: () => number = Date.now): ConnectionTestLimiter {
  const last = new Map<string, number>();
  return {
    take(name) {
      const at = now();
      const previous = last.get(name);
      if (previous !== undefined && at - previous < intervalMs) return { allowed: false, retryInMs: intervalMs - (at - previous) };
      last.set(name, at);
      return { allowed: true };
    },
  };
}

// On globalThis: Next bundles server actions into chunks with their own copy of this module, and they must share one.
const holder = globalThis as typeof globalThis & { slipwayConnectionTestLimiter?: ConnectionTestLimiter };

export interface ConnectionTestDeps {
  config: Pick<WorkspaceConfig, "jira" | "slack" | "grafana">;
  secret: SecretSource;
  /** Default: one per process. */
  limiter?: ConnectionTestLimiter;
  /** Per request (default 8 s). */
  timeoutMs?: number;
}

const TITLES: Record<TestableIntegration, string> = { jira: "Jira", slack: "Slack", grafana: "Grafana" };

export async function testIntegrationConnection(name: TestableIntegration, deps: ConnectionTestDeps): Promise<ConnectionTestResult> {
  const { config } = deps;
  const { status, secrets } = readIntegrations(config, deps.secret);
  const entry = status.find((candidate) => candidate.name === name)!;
  if (!entry.on) return { ok: false, integration: name, error: entry.reason ?? `${TITLES[name]} is off.` };

  const limiter = deps.limiter ?? (holder.slipwayConnectionTestLimiter ??= createConnectionTestLimiter());
  const turn = limiter.take(name);
  if (!turn.allowed) {
    throw new SlipwayError(`${TITLES[name]} was tested a moment ago: try again in ${Math.ceil(turn.retryInMs / 1000)} s.`, 429);
  }

  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    switch (name) {
      case "jira": {
        const jira = createJira({ ...config.jira!, timeoutSeconds: Math.max(1, Math.min(config.jira!.timeoutSeconds, Math.ceil(timeoutMs / 1000))) }, secrets.jira!);
        const connection = await jira.testConnection();
        const product = connection.deployment === "cloud" ? "Jira Cloud" : "Jira Data Center";
        const who = `${connection.user.displayName}${connection.user.email ? ` (${connection.user.email})` : ""}`;
        return {
          ok: true,
          integration: name,
          summary: `Connected to ${connection.serverTitle ?? jira.siteUrl}, ${product} ${connection.version}, as ${who}.`,
          warnings: connection.warnings,
        };
      }
      case "slack": {
        const result = await createSlack(config.slack!, secrets.slack, { timeoutMs }).testConnection();
        return {
          ok: true,
          integration: name,
          summary: `Connected to the Slack workspace ${result.team || "(unnamed)"}${result.url ? ` (${result.url})` : ""} as bot user ${result.botUserId}.`,
          warnings: [],
        };
      }
      case "grafana": {
        const result = await createGrafana(config.grafana!, secrets.grafana, { timeoutMs }).testConnection();
        return {
          ok: true,
          integration: name,
          summary: `Connected to Grafana ${result.version || "(version not reported)"}${result.database ? ` (database ${result.database})` : ""}; the token may read annotations.`,
          warnings: [],
        };
      }
    }
  } catch (error) {
    if (isSlipwayError(error)) return { ok: false, integration: name, error: error.message };
    logger.error({ err: error, integration: name }, "connection test failed unexpectedly");
    return { ok: false, integration: name, error: `Testing ${TITLES[name]} failed unexpectedly; the server log has the details.` };
  }
}

/** The connection test with this server's slipway.yaml and environment; the caller has authorized integration.test. */
export function testWorkspaceIntegration(name: TestableIntegration): Promise<ConnectionTestResult> {
  return testIntegrationConnection(name, { config: getWorkspace().config, secret: readEnvironment().secret });
}
