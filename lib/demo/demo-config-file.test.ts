import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { workspaceConfigSchema } from "../config/schema";
import { readIntegrations } from "../follow-through/integration-status";
import { renderDemoConfig, withDemoIntegrations } from "./demo-config-file";
import { type DemoIntegrations, demoIntegrationEnvironment } from "./demo-integrations";
import { DEMO_SERVICES } from "./demo-spec";
import { demoServiceTickets } from "./service-repo-history";

const STAND_INS: DemoIntegrations = {
  jira: { url: "http://127.0.0.1:3191", email: "release-bot@example.com", token: "jira-token" },
  slack: { apiUrl: "http://127.0.0.1:3192/api/", token: "xoxb-demo", channel: "#releases" },
  grafana: { url: "http://127.0.0.1:3193", token: "glsa_demo" },
};

describe("the demo's integrations block", () => {
  const base = renderDemoConfig();

  it("adds jira:, slack: and grafana: sections that the schema accepts and that hold no secret", () => {
    const text = withDemoIntegrations(base, STAND_INS);
    const config = workspaceConfigSchema.parse(parse(text));
    expect(config.jira).toMatchObject({ url: "http://127.0.0.1:3191", deployment: "cloud", rollback: { transition: "Reopen" } });
    expect(config.slack).toMatchObject({ apiUrl: "http://127.0.0.1:3192/api/", channels: [{ channel: "#releases" }] });
    expect(config.grafana).toMatchObject({ url: "http://127.0.0.1:3193" });
    for (const secret of ["jira-token", "xoxb-demo", "glsa_demo", "release-bot@example.com"]) expect(text).not.toContain(secret);
    // With the variables demo.ts sets, every integration is on.
    const env = demoIntegrationEnvironment(STAND_INS);
    const { enabled } = readIntegrations(config, (name) => env[name]);
    expect(enabled).toEqual({ jira: true, slack: true, grafana: true });
  });

  it("replaces an earlier block and removes it again, leaving the file as it was", () => {
    const once = withDemoIntegrations(base, { ...STAND_INS, jira: { ...STAND_INS.jira!, url: "http://127.0.0.1:4000" } });
    const twice = withDemoIntegrations(once, STAND_INS);
    expect(twice).toBe(withDemoIntegrations(base, STAND_INS));
    expect(twice.match(/^jira:/gm)).toHaveLength(1);
    expect(withDemoIntegrations(twice, undefined)).toBe(base);
    expect(withDemoIntegrations(base, undefined)).toBe(base);
  });

  it("keeps what was edited around the block", () => {
    const edited = `${withDemoIntegrations(base, STAND_INS)}# my note\n`;
    expect(withDemoIntegrations(edited, undefined)).toBe(`${base}# my note\n`);
  });
});

describe("demoServiceTickets", () => {
  it("lists the keys the demo's commits name, each with its commit's subject, once per project key", () => {
    const payments = DEMO_SERVICES.find((s) => s.key === "payments")!;
    const tickets = demoServiceTickets(payments);
    expect(tickets.length).toBeGreaterThan(10);
    for (const ticket of tickets) {
      expect(ticket.key).toMatch(/^PAY-\d+$/);
      expect(ticket.message.toUpperCase()).toContain(ticket.key);
      expect([...payments.subjects, ticket.subject]).toContain(ticket.subject);
    }
    expect(new Set(tickets.map((t) => t.key)).size).toBe(tickets.length);
    // The same on every call: the repository is generated from a seed.
    expect(demoServiceTickets(payments)).toEqual(tickets);
  });
});
