import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { workspaceConfigSchema } from "@/lib/config/schema";
import { renderDemoConfig, withDemoIntegrations } from "@/lib/demo/demo-config-file";
import { demoIntegrationEnvironment, readDemoIntegrations } from "@/lib/demo/demo-integrations";
import { DEMO_SERVICES } from "@/lib/demo/demo-spec";
import { demoServiceTickets } from "@/lib/demo/service-repo-history";
import { createGrafana } from "@/lib/integrations/grafana/grafana-client";
import { createJira } from "@/lib/integrations/jira/jira-client";
import { createSlack } from "@/lib/integrations/slack/slack-client";
import { type StandIns, type StandInEffects, type StandInTicket, startStandIns } from "./start-stand-ins";

/**
 * The stand-ins as the demo uses them: described on the control port, written into the demo's slipway.yaml, and
 * answering Slipway's real adapters with the demo's tickets, channel and token; what they did shows on the control port.
 */
let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns();
});
afterAll(async () => {
  await standIns?.close();
});

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${standIns.controlUrl}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe("stand-ins for the demo", () => {
  it("describe themselves in a form the demo's slipway.yaml takes, and every integration is on", async () => {
    const integrations = await readDemoIntegrations(standIns.controlUrl);
    expect(integrations).toEqual(standIns.integrations);
    const config = workspaceConfigSchema.parse(parse(withDemoIntegrations(renderDemoConfig(), integrations)));
    const env = demoIntegrationEnvironment(integrations);

    // Jira knows every ticket of the demo's checkout changelogs, with a summary, a status, a type and an assignee.
    const checkout = demoServiceTickets(DEMO_SERVICES.find((service) => service.key === "checkout")!);
    const jira = createJira(config.jira!, { kind: "basic", email: env.SLIPWAY_DEMO_JIRA_EMAIL!, token: env.SLIPWAY_DEMO_JIRA_TOKEN! });
    const read = await jira.readTickets(checkout.map((ticket) => ticket.key));
    for (const ticket of checkout) {
      const entry = read.get(ticket.key);
      expect(entry?.found, ticket.key).toBe(true);
    }
    const recent = checkout.at(-1)!;
    const shown = await getJson<StandInTicket>(`/__stand-ins/tickets/${recent.key}`);
    expect(shown).toMatchObject({ key: recent.key, summary: expect.stringMatching(/^[A-Z]/), status: expect.stringMatching(/^In (Progress|Review)$/) });
    expect(shown.assignee).toMatch(/@example\.com$/);
    expect(["Bug", "Story", "Task"]).toContain(shown.type);
    expect((await jira.transition(recent.key, "Done")).outcome).toBe("changed");

    const slack = createSlack(config.slack!, env.SLIPWAY_DEMO_SLACK_TOKEN);
    const message = await slack.postMessage("#releases", { text: "checkout 1.3.0 → 1.3.2 in payments-eu", blocks: [{ type: "section", text: { type: "mrkdwn", text: "checkout 1.3.0 → 1.3.2 in payments-eu" } }] }, { key: "test:1" });
    await slack.replyInThread(message, "merged", { key: "test:1:reply" });

    const grafana = createGrafana(config.grafana!, env.SLIPWAY_DEMO_GRAFANA_TOKEN);
    await grafana.createAnnotation({ time: new Date(), tags: ["payments-eu", "checkout"], text: "checkout 1.3.2" });

    const effects = await getJson<StandInEffects>("/__stand-ins/effects");
    expect(effects.jira.effects).toContainEqual(expect.objectContaining({ kind: "transitioned", issue: recent.key, detail: expect.stringMatching(/-> Done$/) }));
    expect(effects.slack.effects).toEqual({ posts: 1, updates: 0, replies: 1 });
    expect(effects.slack.messages).toEqual([expect.objectContaining({ key: "test:1", updates: 0, replies: [expect.objectContaining({ key: "test:1:reply" })] })]);
    expect(effects.grafana.effects.created).toBe(1);
    expect(effects.grafana.annotations[0]?.tags).toEqual(["payments-eu", "checkout"]);
  });

  it("answer 404 for a ticket the demo never names", async () => {
    const response = await fetch(`${standIns.controlUrl}/__stand-ins/tickets/NOPE-1`);
    expect(response.status).toBe(404);
  });
});
