import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { provideDb } from "@/lib/db";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

// Query strings anyone can type reach the pages as they are: the pages must answer them, never with a 500.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/current-principal", () => ({ currentPrincipal: async () => session.principal }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "127.0.0.1:3100", "x-forwarded-for": "127.0.0.1" }) }));

const AuditPage = (await import("@/app/admin/audit/page")).default;
const SignInPage = (await import("@/app/sign-in/page")).default;

const ada: Principal = { username: "ada", source: "local", oidcGroups: [], githubTeams: [] };
let root: string;
let database: TestDatabase;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-edge-"));
  process.env.SLIPWAY_CONFIG = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.NEXTAUTH_SECRET = "x".repeat(40);
  delete process.env.NEXTAUTH_URL;
  database = await createPgliteDatabase();
  provideDb(database.db);
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});

describe("audit page filters", () => {
  it.each([
    ["a NUL in the actor", { actor: "\u0000" }],
    ["a NUL in the environment", { environment: "shop\u0000" }],
    ["a control character in the actor", { actor: "ada\u001b[2J" }],
  ])("treat %s as no filter", async (_label, searchParams) => {
    session.principal = ada;
    await expect(AuditPage({ searchParams: Promise.resolve(searchParams) })).resolves.toBeTruthy();
  });
});

describe("sign-in page", () => {
  /** Where the page sends someone who is already signed in. */
  async function redirectTarget(callbackUrl: string): Promise<string> {
    session.principal = ada;
    const error = await SignInPage({ searchParams: Promise.resolve({ callbackUrl }) }).then(
      () => undefined,
      (thrown: unknown) => thrown as { digest?: string },
    );
    // Next's redirect() throws an error whose digest is "NEXT_REDIRECT;<type>;<url>;<status>;".
    const target = error?.digest?.split(";")[2];
    if (target === undefined) throw new Error(`no redirect for ${JSON.stringify(callbackUrl)}`);
    return target;
  }

  it.each([
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/\r\nSet-Cookie: x=1", "/"],
    ["//evil.example", "/"],
    ["http://127.0.0.1:3100/environments/shop-dev", "/environments/shop-dev"],
    ["/environments/ü", "/environments/%C3%BC"],
    ["/environments/shop-production?tab=history", "/environments/shop-production?tab=history"],
  ])("sends callbackUrl %j to %j", async (callbackUrl, expected) => {
    expect(await redirectTarget(callbackUrl)).toBe(expected);
  });
});
