import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/test-database";
import { provideDatabaseWithDemoUsers } from "../support/demo-users-database";

// next-auth reads the request's cookies and headers with `require("next/headers")` (CommonJS, outside Vitest's module
// mocks), so the test replaces them in Node's module cache: this jar stands in for the browser's cookies.
const browser = { cookies: new Map<string, string>() };
const nextHeaders = createRequire(import.meta.url)("next/headers") as Record<string, unknown>;
nextHeaders.headers = async () => new Headers({ host: "slipway.test", "user-agent": "vitest", "x-forwarded-for": "192.0.2.10" });
nextHeaders.cookies = async () => ({ getAll: () => [...browser.cookies].map(([name, value]) => ({ name, value })) });

const route = await import("@/app/api/auth/[...nextauth]/route");
const { currentPrincipal } = await import("@/lib/auth/current-principal");

const SESSION_COOKIE = "next-auth.session-token";
let root: string;
let database: TestDatabase;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-session-"));
  process.env.NEXTAUTH_SECRET = "s".repeat(40);
  delete process.env.NEXTAUTH_URL;
  database = await provideDatabaseWithDemoUsers();
});
afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});

/** One request to next-auth's route handler, as the browser would send it; keeps the cookies it sets. */
async function callAuth(method: "GET" | "POST", action: string, form?: Record<string, string>): Promise<Response> {
  const request = new NextRequest(`http://slipway.test/api/auth/${action}`, {
    method,
    headers: form ? { "content-type": "application/x-www-form-urlencoded" } : {},
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const response = await route.POST(request, { params: Promise.resolve({ nextauth: action.split("?")[0]!.split("/") }) });
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(";");
    const [name, ...value] = pair!.split("=");
    const expired = attributes.some((a: string) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
    if (expired) browser.cookies.delete(name!.trim());
    else browser.cookies.set(name!.trim(), decodeURIComponent(value.join("=")));
  }
  return response;
}

async function csrfToken(): Promise<string> {
  const response = await callAuth("GET", "csrf");
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

describe("signing out", () => {
  it("ends the session on the server: a copy of the cookie taken before sign-out no longer signs anyone in", async () => {
    const signedIn = await callAuth("POST", "callback/local", { username: "dana", password: "demo-dana-pass", csrfToken: await csrfToken(), json: "true" });
    expect(signedIn.status).toBe(200);
    const copied = browser.cookies.get(SESSION_COOKIE);
    expect(copied).toBeTruthy();
    expect(await currentPrincipal()).toMatchObject({ username: "dana", source: "local" });

    await callAuth("POST", "signout", { csrfToken: await csrfToken(), json: "true" });
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await database.db.session.count({ where: { username: "dana", revokedAt: { not: null } } })).toBe(1);

    browser.cookies.set(SESSION_COOKIE, copied!); // someone kept a copy
    expect(await currentPrincipal()).toBeNull();
    const session = await callAuth("GET", "session");
    expect(await session.json()).not.toHaveProperty("principal");
  });

  it("leaves other sessions of the same person signed in", async () => {
    browser.cookies.clear();
    await callAuth("POST", "callback/local", { username: "ben", password: "demo-ben-pass", csrfToken: await csrfToken(), json: "true" });
    const first = browser.cookies.get(SESSION_COOKIE)!;
    browser.cookies.clear();
    await callAuth("POST", "callback/local", { username: "ben", password: "demo-ben-pass", csrfToken: await csrfToken(), json: "true" });
    await callAuth("POST", "signout", { csrfToken: await csrfToken(), json: "true" });

    browser.cookies.set(SESSION_COOKIE, first);
    expect(await currentPrincipal()).toMatchObject({ username: "ben" });
  });

  it("refuses a validly signed cookie whose session was never recorded", async () => {
    const { encode } = await import("next-auth/jwt");
    const forged = await encode({
      secret: process.env.NEXTAUTH_SECRET!,
      token: { principal: { username: "ada", source: "local", oidcGroups: [], githubTeams: [] }, sid: "made-up" },
    });
    browser.cookies.clear();
    browser.cookies.set(SESSION_COOKIE, forged);
    expect(await currentPrincipal()).toBeNull();
  });
});
