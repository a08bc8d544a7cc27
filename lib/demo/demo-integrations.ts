import { z } from "zod";

/**
 * The demo's opt-in to Jira, Slack and Grafana: where they are and the credentials they take, as a set of local
 * stand-ins describes itself (`GET /__stand-ins/integrations`, test/stand-ins/serve-stand-ins.ts). `npm run demo --
 * --integrations URL` reads it, writes the sections into the demo's slipway.yaml (demo-config-file.ts) and hands the
 * secrets to the app through the environment variables below, never through the file.
 */

const loopbackUrl = z
  .string()
  .url()
  .refine((u) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(u), "must be a loopback http:// URL: the demo only talks to local stand-ins");

export const demoIntegrationsSchema = z
  .object({
    jira: z.object({ url: loopbackUrl, email: z.string().min(1), token: z.string().min(1) }).optional(),
    slack: z.object({ apiUrl: loopbackUrl, token: z.string().min(1), channel: z.string().regex(/^#[a-z0-9][a-z0-9_-]{0,79}$/) }).optional(),
    grafana: z.object({ url: loopbackUrl, token: z.string().min(1) }).optional(),
  })
  .refine((value) => value.jira || value.slack || value.grafana, "names none of jira, slack and grafana");

export type DemoIntegrations = z.infer<typeof demoIntegrationsSchema>;

/** The variables the demo's slipway.yaml names for the stand-ins' credentials (demo-only names, so a real token is never picked up). */
export const DEMO_INTEGRATION_SECRETS = {
  jiraEmail: "SLIPWAY_DEMO_JIRA_EMAIL",
  jiraToken: "SLIPWAY_DEMO_JIRA_TOKEN",
  slackToken: "SLIPWAY_DEMO_SLACK_TOKEN",
  grafanaToken: "SLIPWAY_DEMO_GRAFANA_TOKEN",
} as const;

/** The environment the app needs for `integrations`: the secrets slipway.yaml names. */
export function demoIntegrationEnvironment(integrations: DemoIntegrations): Record<string, string> {
  return {
    ...(integrations.jira ? { [DEMO_INTEGRATION_SECRETS.jiraEmail]: integrations.jira.email, [DEMO_INTEGRATION_SECRETS.jiraToken]: integrations.jira.token } : {}),
    ...(integrations.slack ? { [DEMO_INTEGRATION_SECRETS.slackToken]: integrations.slack.token } : {}),
    ...(integrations.grafana ? { [DEMO_INTEGRATION_SECRETS.grafanaToken]: integrations.grafana.token } : {}),
  };
}

/** Reads the stand-ins' description from `baseUrl` (the stand-ins' control address), with an error that says what to start. */
export async function readDemoIntegrations(baseUrl: string): Promise<DemoIntegrations> {
  const url = new URL("/__stand-ins/integrations", baseUrl);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new Error(
      `--integrations ${baseUrl}: nothing answers at ${url} (${error instanceof Error ? error.message : String(error)}); start the stand-ins first: npx tsx test/stand-ins/serve-stand-ins.ts`,
    );
  }
  if (!response.ok) throw new Error(`--integrations ${baseUrl}: ${url} answered ${response.status}; is that the stand-ins' control port?`);
  const parsed = demoIntegrationsSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`--integrations ${baseUrl}: ${url} does not describe stand-ins: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`).join("; ")}`);
  return parsed.data;
}
