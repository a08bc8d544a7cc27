import { createJira, type Jira, type JiraClientOptions } from "@/lib/integrations/jira/jira-client";
import { jiraConfigSchema, type JiraConfigInput, type JiraSecret } from "@/lib/integrations/jira/jira-config";
import { startJiraTestServer, type JiraTestServer, type JiraTestServerOptions, type TestUser } from "./jira-test-server";

export const CLOUD_USER: TestUser = { login: "release-bot@example.com", displayName: "Release Bot", token: "cloud-api-token" };
export const DC_USER: TestUser = { login: "release-bot", displayName: "Release Bot", token: "dc-personal-access-token" };

export type Deployment = "cloud" | "datacenter";

export function userFor(deployment: Deployment): TestUser {
  return deployment === "cloud" ? { ...CLOUD_USER } : { ...DC_USER };
}

/** The `jira:` section of slipway.yaml that points at a test server, parsed like the real one. */
export function configFor(server: JiraTestServer, deployment: Deployment, extra: Partial<JiraConfigInput> = {}) {
  return jiraConfigSchema.parse({
    protocol: "http",
    host: server.host,
    port: server.port,
    ...(server.basePath ? { basePath: server.basePath } : {}),
    deployment,
    auth: deployment === "cloud" ? { emailEnv: "JIRA_EMAIL", tokenEnv: "JIRA_API_TOKEN" } : { tokenEnv: "JIRA_PAT" },
    timeoutSeconds: 5,
    ...extra,
  });
}

export function secretFor(deployment: Deployment, token?: string): JiraSecret {
  return deployment === "cloud"
    ? { kind: "basic", email: CLOUD_USER.login, token: token ?? CLOUD_USER.token }
    : { kind: "bearer", token: token ?? DC_USER.token };
}

export interface JiraHarness {
  server: JiraTestServer;
  jira: Jira;
  /** Another adapter on the same server (other settings, other credentials). */
  adapter(extra?: Partial<JiraConfigInput>, options?: JiraClientOptions & { token?: string }): Jira;
}

export async function startJira(
  deployment: Deployment,
  serverOptions: Partial<JiraTestServerOptions> = {},
  extra: Partial<JiraConfigInput> = {},
): Promise<JiraHarness> {
  const server = await startJiraTestServer({
    deployment,
    ...(deployment === "datacenter" ? { basePath: "/jira" } : {}),
    users: [userFor(deployment)],
    ...serverOptions,
  });
  const adapter = (more: Partial<JiraConfigInput> = {}, options: JiraClientOptions & { token?: string } = {}) =>
    createJira(configFor(server, deployment, { ...extra, ...more }), secretFor(deployment, options.token), options);
  return { server, jira: adapter(), adapter };
}
