import { PrismaPg } from "@prisma/adapter-pg";
import { expect, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { secretsFrom } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { createFollowThroughHandlers } from "@/lib/follow-through/follow-through-handlers";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { slackConfigSchema } from "@/lib/integrations/slack/slack-config";
import { grafanaConfigSchema } from "@/lib/integrations/grafana/grafana-config";
import { type JobRunner, createJobRunner } from "@/lib/jobs/job-runner";
import { CLOUD_USER, configFor } from "../jira/jira-fixtures";
import { type JiraTestServer, startJiraTestServer } from "../jira/jira-test-server";
import { type GrafanaTestServer, DEFAULT_GRAFANA_TOKEN, startGrafanaTestServer } from "../grafana/grafana-test-server";
import { type SlackTestServer, DEFAULT_SLACK_BOT, DEFAULT_SLACK_TOKEN, startSlackTestServer } from "../slack/slack-test-server";
import { type TestDatabase, createPostgresDatabase } from "../support/test-database";

/**
 * Jira (Cloud), Slack and Grafana test servers for the follow-through, the slipway.yaml sections that point at them,
 * and a clock-driven drain of the job queue: the runners run every due job, then the clock jumps past any backoff, until
 * nothing is pending. The real adapters talk to the servers; the servers count each effect.
 */

export const ben: Principal = { username: "ben", email: "ben@slipway.example", name: "Ben Backend", source: "local", oidcGroups: [], githubTeams: [] };
export const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };

export const SECRETS = {
  JIRA_EMAIL: CLOUD_USER.login,
  JIRA_API_TOKEN: CLOUD_USER.token,
  SLACK_BOT_TOKEN: DEFAULT_SLACK_TOKEN,
  GRAFANA_TOKEN: DEFAULT_GRAFANA_TOKEN,
  NEXTAUTH_URL: "http://slipway.test",
};

/** The second channel: payments environments only. */
export const PAYMENTS_CHANNEL = "C0PAYMENTS1";

export interface Vendors {
  jira: JiraTestServer;
  slack: SlackTestServer;
  grafana: GrafanaTestServer;
  close(): Promise<void>;
}

export async function startVendors(): Promise<Vendors> {
  const jira = await startJiraTestServer({ deployment: "cloud", users: [{ ...CLOUD_USER }] });
  const slack = await startSlackTestServer({
    channels: [
      { id: "C0RELEASES", name: "releases", members: [DEFAULT_SLACK_BOT.userId] },
      { id: PAYMENTS_CHANNEL, name: "payments-releases", members: [DEFAULT_SLACK_BOT.userId] },
    ],
  });
  const grafana = await startGrafanaTestServer();
  return { jira, slack, grafana, close: async () => void (await Promise.all([jira.close(), slack.close(), grafana.close()])) };
}

/** The workspace's config with jira:, slack: and grafana: sections pointing at the test servers. */
export function withIntegrations(config: WorkspaceConfig, vendors: Vendors): WorkspaceConfig {
  return {
    ...config,
    jira: configFor(vendors.jira, "cloud", { timeoutSeconds: 1, rollback: { label: "rolled-back", transition: "Reopen" } }),
    slack: slackConfigSchema.parse({
      tokenEnv: "SLACK_BOT_TOKEN",
      apiUrl: vendors.slack.apiUrl,
      channels: [{ channel: "#releases" }, { channel: PAYMENTS_CHANNEL, groups: { brand: "payments" } }],
    }),
    grafana: grafanaConfigSchema.parse({
      url: vendors.grafana.url,
      tokenEnv: "GRAFANA_TOKEN",
      dashboardUrlTemplate: "https://grafana.example.com/d/services?var-env={environment}&var-service={service}",
    }),
  };
}

/** The secrets in the process environment, where recordReleaseEvent reads them (as the server does). */
export function stubSecrets(): void {
  for (const [name, value] of Object.entries(SECRETS)) vi.stubEnv(name, value);
}

export interface Clock {
  now(): Date;
  /** Past every backoff (the longest is 30 minutes). */
  jump(): void;
}

export function testClock(): Clock {
  // Ahead of the database's clock, so a job enqueued now (runAfter defaults to the database's now) is due.
  let at = Date.now() + 60_000;
  return { now: () => new Date(at), jump: () => void (at += 31 * 60_000) };
}

export function followThroughRunner(db: PrismaClient, config: WorkspaceConfig, clock: Clock, worker: string, settled?: Map<string, number>): JobRunner {
  return createJobRunner({
    db,
    worker,
    onSettled: (_job, outcome) => void (outcome === "done" && settled?.set(worker, (settled.get(worker) ?? 0) + 1)),
    batchSize: 50,
    now: clock.now,
    random: () => 0.5,
    handlers: createFollowThroughHandlers({
      db,
      config,
      secret: secretsFrom(SECRETS),
      adapters: { slack: { timeoutMs: 1_000 }, grafana: { timeoutMs: 1_000 } },
    }),
  });
}

/** Runs the runners (concurrently) until no job is pending or running; returns how many passes it took. */
export async function drain(db: PrismaClient, runners: JobRunner[], clock: Clock, maxPasses = 60): Promise<number> {
  for (let pass = 1; pass <= maxPasses; pass++) {
    await Promise.all(runners.map((runner) => runner.runDue()));
    const open = await db.job.count({ where: { state: { in: ["pending", "running"] } } });
    if (open === 0) return pass;
    clock.jump();
  }
  const stuck = await db.job.findMany({ where: { state: { in: ["pending", "running"] } }, select: { idempotencyKey: true, attempts: true, lastError: true } });
  throw new Error(`jobs still pending after ${maxPasses} passes: ${JSON.stringify(stuck.slice(0, 5))}`);
}

export async function expectNoFailedJobs(db: PrismaClient): Promise<void> {
  const failed = await db.job.findMany({ where: { state: "failed" }, select: { idempotencyKey: true, lastError: true } });
  expect(failed).toEqual([]);
}

/** Two PrismaClients on one fresh PostgreSQL database: two instances of Slipway. */
export async function createTwoInstanceDatabase(url: string): Promise<{ first: TestDatabase; second: PrismaClient }> {
  const database = await createPostgresDatabase(url);
  const second = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.connectionString! }) });
  return {
    second,
    first: {
      ...database,
      name: "postgresql (two instances)",
      close: async () => {
        await second.$disconnect();
        await database.close();
      },
    },
  };
}
