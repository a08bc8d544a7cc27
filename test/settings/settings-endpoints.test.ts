import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import type { TestDatabase } from "../support/test-database";
import { provideDatabaseWithDemoUsers } from "../support/demo-users-database";

// As in test/auth/endpoints.test.ts: the session is the one thing substituted; authorization, actions and the database
// are real. The demo workspace configures no integration, like a fresh install.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/current-principal", () => ({ currentPrincipal: async () => session.principal }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.9" }) }));

const SettingsPage = (await import("@/app/admin/settings/page")).default;
const { testConnectionAction } = await import("@/app/admin/settings/actions");
const { readSettings } = await import("@/lib/settings/read-settings");
const { getViewer } = await import("@/lib/auth/authorize");

const person = (username: string, extra: Partial<Principal> = {}): Principal => ({ username, source: "local", oidcGroups: [], githubTeams: [], ...extra });
const ada = person("ada"); // admin
const dana = person("dana", { email: "dana@slipway.example" }); // viewer everywhere

let root: string;
let database: TestDatabase;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-settings-"));
  process.env.SLIPWAY_CONFIG = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.NEXTAUTH_SECRET = "x".repeat(40);
  process.env.NEXTAUTH_URL = "https://slipway.example.com";
  database = await provideDatabaseWithDemoUsers();
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  session.principal = null;
});

describe("settings page", () => {
  const render = (searchParams: Record<string, string> = {}) => SettingsPage({ searchParams: Promise.resolve(searchParams) });

  it("sends a visitor without a session to sign in, and is forbidden to a non-admin like the audit trail", async () => {
    await expect(render()).rejects.toThrow("NEXT_REDIRECT");
    session.principal = dana;
    await expect(render()).rejects.toThrow("NEXT_HTTP_ERROR_FALLBACK;403");
    const denial = await database.db.auditEvent.findFirst({ where: { action: "access.denied", actor: "dana" }, orderBy: { id: "desc" } });
    expect(denial?.detail).toMatchObject({ action: "settings.view" });
  });

  it("renders for an admin, whatever the query says", async () => {
    session.principal = ada;
    await expect(render()).resolves.toBeTruthy();
    await expect(render({ request: "not-a-number" })).resolves.toBeTruthy();
  });
});

describe("test connection action", () => {
  it("refuses callers without a session or who are not admins", async () => {
    expect(await testConnectionAction({ integration: "jira" })).toEqual({ ok: false, status: 401, error: "Sign in to continue." });
    session.principal = dana;
    expect(await testConnectionAction({ integration: "jira" })).toMatchObject({ ok: false, status: 403 });
  });

  it("validates its input before anything else", async () => {
    session.principal = ada;
    expect(await testConnectionAction({ integration: "github" })).toMatchObject({ ok: false, status: 400 });
    expect(await testConnectionAction({ integration: "jira", url: "https://evil.example" })).toMatchObject({ ok: false, status: 400 });
  });

  it("tells an admin an integration is off without calling anything", async () => {
    session.principal = ada;
    expect(await testConnectionAction({ integration: "slack" })).toEqual({
      ok: true,
      value: { ok: false, integration: "slack", error: "Slack is off: slipway.yaml has no slack: section" },
    });
    const audited = await database.db.auditEvent.findFirst({ where: { action: "integration.tested" }, orderBy: { id: "desc" } });
    expect(audited).toMatchObject({ actor: "ada", target: "slack", detail: { ok: false, error: "Slack is off: slipway.yaml has no slack: section" } });
  });
});

describe("readSettings", () => {
  beforeAll(async () => {
    for (const [environment, title] of [
      ["payments-eu", "Upgrade payments"],
      ["shop-production", "Upgrade checkout"],
    ] as const) {
      await database.db.releaseRequest.create({
        data: {
          kind: "upgrade",
          environment,
          state: "open",
          title,
          body: "",
          requester: "ben",
          requesterSource: "local",
          idempotencyKey: `settings-test-${environment}`,
          provider: "local",
          repo: "stacks",
          baseBranch: "main",
          baseSha: "0".repeat(40),
          branch: `slipway/${environment}`,
          files: [],
          items: { create: [{ service: "checkout", chart: "checkout", fromVersion: "1.0.0", toVersion: "1.1.0", tickets: ["CHK-1"] }] },
        },
      });
    }
  });

  it("previews the newest request by default, and the one asked for", async () => {
    session.principal = ada;
    const viewer = await getViewer();
    const newest = await readSettings(viewer);
    expect(newest.integrations.map((card) => [card.name, card.on])).toEqual([
      ["jira", false],
      ["slack", false],
      ["grafana", false],
      ["github", false],
    ]);
    expect(newest.recent.map((request) => request.label)).toEqual([
      expect.stringMatching(/^#\d+ upgrade in shop-production \(open\): Upgrade checkout$/),
      expect.stringMatching(/^#\d+ upgrade in payments-eu \(open\): Upgrade payments$/),
    ]);
    expect(newest.selected).toBe(newest.recent[0]!.id);
    expect(newest.preview?.events.map((event) => event.title)).toEqual(["Raised", "If it merges now", "If it is closed now"]);
    expect(newest.preview?.events[0]!.slack[0]!.body).toMatchObject({ text: expect.stringContaining("Upgrade to shop-production") });

    const older = await readSettings(viewer, newest.recent[1]!.id);
    expect(older.selected).toBe(newest.recent[1]!.id);
    expect(older.preview?.events[0]!.jira.at(-1)!.body).toMatchObject({ body: { type: "doc" } });
  });

  it("shows nothing of environments the viewer cannot see, and says so for one asked for", async () => {
    session.principal = ada;
    const viewer = await getViewer();
    const paymentsOnly = { ...viewer, environments: viewer.environments.filter((e) => e.name === "payments-eu") };
    const all = await readSettings(viewer);
    const hidden = all.recent[0]!.id; // shop-production
    const settings = await readSettings(paymentsOnly, hidden);
    expect(settings.missing).toBe(hidden);
    expect(settings.recent.map((request) => request.id)).toEqual([all.recent[1]!.id]);
    expect(settings.selected).toBe(all.recent[1]!.id);
  });
});
