import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { parseEnvironment } from "@/lib/config/environment";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import type { TestDatabase } from "../support/test-database";
import { provideDatabaseWithDemoUsers } from "../support/demo-users-database";

// The session is the one thing substituted: everything behind it (authorization, actions, database) is real.
// next.config.js turns on experimental.authInterrupts (forbidden()); Next passes it to the app as this variable.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/current-principal", () => ({ currentPrincipal: async () => session.principal }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.7" }) }));

const { refreshStacks } = await import("@/app/refresh-action");
const environmentRoute = await import("@/app/api/environments/[name]/route");
const AuditPage = (await import("@/app/admin/audit/page")).default;
const RefreshTimingsPage = (await import("@/app/admin/refresh/page")).default;
const progressRoute = await import("@/app/api/refresh/progress/route");
const { configuredProviders } = await import("@/lib/auth/auth-options");
const { planUpgradeAction, raiseUpgradeAction } = await import("@/app/environments/[name]/upgrade/actions");
const { mergeReleaseAction, closeReleaseAction } = await import("@/app/releases/[id]/actions");

const person = (username: string, extra: Partial<Principal> = {}): Principal => ({ username, source: "local", oidcGroups: [], githubTeams: [], ...extra });
const dana = person("dana", { email: "dana@slipway.example" }); // viewer everywhere
const ada = person("ada"); // admin
const paymentsDev = person("olga", { source: "oidc", oidcGroups: ["payments-developers"] }); // payments only
const stranger = person("eve", { email: "eve@evil.test" }); // signed in, no grant
const ben = person("ben", { email: "ben@slipway.example" }); // requester on payments, viewer elsewhere
const gita = person("gita", { email: "gita@slipway.example" }); // gatekeeper of staging, production, payments

let root: string;
let database: TestDatabase;

/** Refusals of a signed-in caller add one access.denied row to the audit trail; nothing else may change. */
async function countsBesidesDenials() {
  const { audit, ...rest } = await tableCounts();
  return { ...rest, audit: audit - (await database.db.auditEvent.count({ where: { action: "access.denied" } })) };
}

async function tableCounts() {
  const db = database.db;
  return {
    audit: await db.auditEvent.count(),
    runs: await db.refreshRun.count(),
    snapshots: await db.environmentSnapshot.count(),
    attempts: await db.signInAttempt.count(),
    users: await db.user.count(),
    releases: await db.releaseRequest.count(),
  };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-auth-"));
  process.env.SLIPWAY_CONFIG = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.NEXTAUTH_SECRET = "x".repeat(40);
  database = await provideDatabaseWithDemoUsers();
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  session.principal = null;
});

const getEnvironment = (name: string) =>
  environmentRoute.GET(new Request(`http://localhost/api/environments/${name}`), { params: Promise.resolve({ name }) });

describe("refresh server action", () => {
  it.each([
    ["without a session", null, 401],
    ["as a signed-in user with no grant", stranger, 403],
  ])("refuses %s and changes nothing", async (_label, principal, status) => {
    session.principal = principal;
    const before = await countsBesidesDenials();
    expect(await refreshStacks()).toMatchObject({ ok: false, status });
    expect(await countsBesidesDenials()).toEqual(before);
  });

  it("refreshes for a viewer and records who asked, from where", async () => {
    session.principal = dana;
    const before = await tableCounts();
    const result = await refreshStacks();
    expect(result).toMatchObject({ ok: true, value: { environments: 7, failed: 1 } });
    const after = await tableCounts();
    expect(after.runs).toBe(before.runs + 1);
    const event = await database.db.auditEvent.findFirstOrThrow({ where: { action: "refresh.requested" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ actor: "dana", actorSource: "local", ip: "203.0.113.7", userAgent: "vitest" });
  });
});

describe("GET /api/environments/[name]", () => {
  it("answers 401 without a session", async () => {
    const response = await getEnvironment("shop-production");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in to continue." });
  });

  it("answers 404 for an environment outside the caller's grants, like an unknown one, and 200 inside them", async () => {
    session.principal = paymentsDev;
    const hidden = await getEnvironment("shop-production");
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ error: 'There is no environment named "shop-production".' });
    const unknown = await getEnvironment("no-such-env");
    expect(unknown.status).toBe(404);
    const allowed = await getEnvironment("payments-eu");
    expect(allowed.status).toBe(200);
    const body = await allowed.json();
    expect(body.environment.name).toBe("payments-eu");
    expect(body.allowed).toEqual(["view", "request"]);
  });

  it("answers 404 for an unknown environment and 400 for a malformed name", async () => {
    session.principal = dana;
    expect((await getEnvironment("nope")).status).toBe(404);
    expect((await getEnvironment("x".repeat(200))).status).toBe(400);
  });
});

describe("refresh progress", () => {
  it.each([
    ["without a session", null, 401],
    ["as a signed-in user with no grant", stranger, 403],
  ])("is refused %s", async (_label, principal, status) => {
    session.principal = principal;
    expect((await progressRoute.GET()).status).toBe(status);
  });

  it("shows a refresh under way, naming only the environments the caller may see, slowest first", async () => {
    const startedAt = new Date(Date.now() - 10_000);
    const run = await database.db.refreshRun.create({
      data: {
        trigger: "test",
        startedAt,
        total: 7,
        done: 3,
        skipped: 2,
        reading: [
          { environment: "shop-production", since: new Date(Date.now() - 8_000).toISOString() },
          { environment: "payments-eu", since: new Date(Date.now() - 1_000).toISOString() },
          { environment: "payments-us", since: new Date(Date.now() - 5_000).toISOString() },
        ],
      },
    });
    try {
      session.principal = paymentsDev;
      const response = await progressRoute.GET();
      expect(response.status).toBe(200);
      const progress = await response.json();
      expect(progress).toMatchObject({ running: true, total: 7, done: 3, skipped: 2 });
      expect(progress.reading.map((r: { environment: string }) => r.environment)).toEqual(["payments-us", "payments-eu"]);
      expect(progress.reading[0].seconds).toBeGreaterThanOrEqual(4);

      session.principal = dana;
      expect((await (await progressRoute.GET()).json()).reading[0].environment).toBe("shop-production");
    } finally {
      await database.db.refreshRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), reading: [] } });
    }
  });
});

describe("refresh timings page", () => {
  it("is for admins only", async () => {
    await expect(RefreshTimingsPage()).rejects.toThrow("NEXT_REDIRECT");
    session.principal = dana;
    await expect(RefreshTimingsPage()).rejects.toThrow("NEXT_HTTP_ERROR_FALLBACK;403");
    session.principal = ada;
    await expect(RefreshTimingsPage()).resolves.toBeTruthy();
  });
});

describe("audit page", () => {
  const render = () => AuditPage({ searchParams: Promise.resolve({}) });

  it("sends a visitor without a session to sign in", async () => {
    await expect(render()).rejects.toThrow("NEXT_REDIRECT");
  });

  it("is forbidden to a non-admin", async () => {
    session.principal = dana;
    await expect(render()).rejects.toThrow("NEXT_HTTP_ERROR_FALLBACK;403");
  });

  it("renders for an admin", async () => {
    session.principal = ada;
    await expect(render()).resolves.toBeTruthy();
  });
});

describe("local sign-in", () => {
  const local = () => configuredProviders().find((p) => (p as { options?: { id?: string } }).options?.id === "local") as unknown as {
    options: { authorize: (credentials: unknown, req: { headers: Record<string, string> }) => Promise<{ principal: Principal } | null> };
  };
  const attempt = (username: string, password: string, ip = "198.51.100.1") =>
    local().options.authorize({ username, password }, { headers: { "x-forwarded-for": ip, "user-agent": "vitest" } });

  it("lists the local provider under its own id for the sign-in page", async () => {
    const { listSignInProviders } = await import("@/lib/auth/auth-options");
    expect(listSignInProviders(parseEnvironment({}))).toEqual([{ id: "local", name: "Slipway account", type: "credentials" }]);
    expect(listSignInProviders(parseEnvironment({ SLIPWAY_LOCAL_ACCOUNTS: "off", GITHUB_CLIENT_ID: "a", GITHUB_CLIENT_SECRET: "b" }))).toEqual([
      { id: "github", name: "GitHub", type: "oauth" },
    ]);
  });

  it("signs in a demo account with its password and records the attempt", async () => {
    const user = await attempt("gita", "demo-gita-pass");
    expect(user?.principal).toMatchObject({ username: "gita", source: "local", email: "gita@slipway.example" });
    expect(await database.db.signInAttempt.count({ where: { username: "gita", success: true } })).toBe(1);
  });

  it("rejects a wrong password with a clear error and audits the failure", async () => {
    await expect(attempt("ben", "not-his-password")).rejects.toThrow("Wrong user name or password.");
    await expect(attempt("nobody", "whatever-password")).rejects.toThrow("Wrong user name or password.");
    const failure = await database.db.auditEvent.findFirstOrThrow({ where: { action: "sign-in.failure", actor: "ben" } });
    expect(failure.ip).toBe("198.51.100.1");
  });

  it("locks a user name after five failures in fifteen minutes, even with the right password", async () => {
    for (let i = 0; i < 4; i++) await expect(attempt("ben", `wrong-${i}-password`)).rejects.toThrow("Wrong");
    await expect(attempt("ben", "demo-ben-pass")).rejects.toThrow(/Too many failed sign-ins\. Try again in \d+ minutes\./);
    await expect(attempt("dana", "demo-dana-pass")).resolves.toBeTruthy(); // other users are unaffected
  });
});

describe("release actions", () => {
  const upgrade = { environment: "payments-eu", targets: [{ service: "checkout" }] };
  const baseSha = "0".repeat(40);

  it.each([
    ["without a session", null, 401],
    ["as a user with no grant (the environment is invisible to them)", stranger, 404],
    ["as a viewer", dana, 403],
    ["as a requester of another environment", ben, 403],
  ])("plan and raise refuse %s and change nothing", async (_label, principal, status) => {
    session.principal = principal;
    const target = principal === ben ? { ...upgrade, environment: "shop-staging" } : upgrade;
    const before = await countsBesidesDenials();
    expect(await planUpgradeAction(target)).toMatchObject({ ok: false, status });
    expect(await raiseUpgradeAction({ ...target, baseSha })).toMatchObject({ ok: false, status });
    expect(await countsBesidesDenials()).toEqual(before);
  });

  it("authenticates before looking anything up: a missing and an existing request answer alike without a session", async () => {
    session.principal = null;
    expect(await mergeReleaseAction({ id: 987_654 })).toEqual({ ok: false, status: 401, error: "Sign in to continue." });
    expect(await closeReleaseAction({ id: 987_654 })).toEqual({ ok: false, status: 401, error: "Sign in to continue." });
    // Past PostgreSQL's integer range is not an id: a 400 at the edge, never a database error.
    session.principal = gita;
    expect(await mergeReleaseAction({ id: 2 ** 31 })).toMatchObject({ ok: false, status: 400 });
    expect(await mergeReleaseAction({ id: 987_654 })).toMatchObject({ ok: false, status: 404 });
  });

  it("rejects malformed input at the edge", async () => {
    session.principal = ben;
    expect(await planUpgradeAction({ environment: "payments-eu", targets: [] })).toMatchObject({ ok: false, status: 400 });
    expect(await planUpgradeAction({ environment: "payments-eu", targets: [{ service: "checkout", extra: 1 }] })).toMatchObject({ ok: false, status: 400 });
    expect(await raiseUpgradeAction({ ...upgrade, baseSha: "HEAD" })).toMatchObject({ ok: false, status: 400 });
    expect(await mergeReleaseAction({ id: "1; drop table" })).toMatchObject({ ok: false, status: 400 });
  });

  it("lets the requester raise, and only a gatekeeper merge", async () => {
    session.principal = ben;
    const plan = await planUpgradeAction(upgrade);
    if (!plan.ok) throw new Error(plan.error);
    const raised = await raiseUpgradeAction({ ...upgrade, baseSha: plan.value.baseSha });
    if (!raised.ok) throw new Error(raised.error);
    const id = raised.value.id;

    for (const [principal, status] of [[null, 401], [stranger, 404], [dana, 403], [ben, 403]] as const) {
      session.principal = principal;
      const before = await countsBesidesDenials();
      expect(await mergeReleaseAction({ id })).toMatchObject({ ok: false, status });
      expect(await countsBesidesDenials()).toEqual(before);
    }
    for (const [principal, status] of [[null, 401], [stranger, 404], [dana, 403]] as const) {
      session.principal = principal;
      expect(await closeReleaseAction({ id })).toMatchObject({ ok: false, status });
    }
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "open" });

    session.principal = gita;
    const merged = await mergeReleaseAction({ id });
    expect(merged).toMatchObject({ ok: true, value: { state: "merged", mergedBy: "gita" } });
  });
});
