import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { provideDb } from "@/lib/db";
import { DC_USER, startJira, type JiraHarness } from "../jira/jira-fixtures";
import { createPgliteDatabase, type TestDatabase } from "../support/test-database";

// The session is the one thing substituted: the action's validation, the policy behind authorize and the Jira adapter
// (against the Jira test server) are real.
const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/current-principal", () => ({ currentPrincipal: async () => session.principal }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.7" }) }));

const { readTicketDetailsAction } = await import("@/app/tickets/actions");

const person = (username: string): Principal => ({ username, source: "local", oidcGroups: [], githubTeams: [] });
const olga = person("olga"); // viewer of payments-eu only
const eve = person("eve"); // signed in, no grant

let root: string;
let database: TestDatabase;
let jira: JiraHarness;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-tickets-"));
  jira = await startJira("datacenter", { projects: [{ key: "PAY" }], issues: [{ key: "PAY-1", summary: "Retry card captures", status: "Done" }] });
  const config = [
    "environments:",
    "  - { name: payments-eu, repo: ./stacks/payments }",
    "  - { name: shop-production, repo: ./stacks/shop }",
    "access:",
    "  grants:",
    "    - { role: viewer, environments: [payments-eu], members: { users: [olga] } }",
    "jira:",
    `  protocol: http`,
    `  host: ${jira.server.host}`,
    `  port: ${jira.server.port}`,
    `  basePath: ${jira.server.basePath}`,
    "  deployment: datacenter",
    "  auth: { tokenEnv: SLIPWAY_TEST_JIRA_PAT }",
  ].join("\n");
  await writeFile(path.join(root, "slipway.yaml"), `${config}\n`);
  process.env.SLIPWAY_CONFIG = path.join(root, "slipway.yaml");
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.NEXTAUTH_SECRET = "x".repeat(40);
  process.env.SLIPWAY_TEST_JIRA_PAT = DC_USER.token;
  database = await createPgliteDatabase();
  provideDb(database.db);
});
afterAll(async () => {
  delete process.env.SLIPWAY_TEST_JIRA_PAT;
  await jira?.server.close();
  await database?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  session.principal = null;
  jira.server.resetRequests();
});

describe("readTicketDetailsAction", () => {
  it("reads the tickets for a viewer of the environment", async () => {
    session.principal = olga;
    expect(await readTicketDetailsAction({ environment: "payments-eu", keys: ["PAY-1"] })).toEqual({
      ok: true,
      value: { jira: "on", tickets: [{ key: "PAY-1", found: true, ticket: expect.objectContaining({ summary: "Retry card captures" }) }] },
    });
  });

  it.each([
    ["without a session", null, "payments-eu", 401],
    ["to a signed-in user with no grant (who cannot tell it exists)", eve, "payments-eu", 404],
    ["for an environment the viewer may not see, as for one that does not exist", olga, "shop-production", 404],
  ])("refuses %s, and Jira is not asked", async (_label, principal, environment, status) => {
    session.principal = principal;
    const denials = await database.db.auditEvent.count({ where: { action: "access.denied" } });
    expect(await readTicketDetailsAction({ environment, keys: ["PAY-1"] })).toMatchObject({ ok: false, status });
    expect(jira.server.requests).toHaveLength(0);
    // The policy's refusal of someone signed in is on the audit trail, as for every endpoint.
    expect(await database.db.auditEvent.count({ where: { action: "access.denied" } })).toBe(denials + (principal ? 1 : 0));
  });

  it("refuses what is not a list of at most 200 Jira keys", async () => {
    session.principal = olga;
    for (const keys of [[], ["pay-1"], ["PAY-1 OR project = OPS"], Array.from({ length: 201 }, (_, i) => `PAY-${i + 1}`)]) {
      expect(await readTicketDetailsAction({ environment: "payments-eu", keys })).toMatchObject({ ok: false, status: 400 });
    }
    expect(await readTicketDetailsAction({ environment: "payments-eu", keys: ["PAY-1"], extra: true })).toMatchObject({ ok: false, status: 400 });
    expect(jira.server.requests).toHaveLength(0);
  });
});
