import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { FORWARDED_CHAIN_HEADER } from "@/lib/http/client-address";
import type { TestDatabase } from "../support/test-database";
import { provideDatabaseWithDemoUsers } from "../support/demo-users-database";

const { configuredProviders } = await import("@/lib/auth/auth-options");

let database: TestDatabase;

beforeAll(async () => {
  delete process.env.SLIPWAY_TRUSTED_PROXIES;
  database = await provideDatabaseWithDemoUsers();
});
afterAll(async () => {
  await database?.close();
});

type Authorize = (credentials: unknown, req: { headers: Record<string, string> }) => Promise<{ principal: Principal } | null>;
const authorize = () =>
  (configuredProviders().find((p) => (p as { options?: { id?: string } }).options?.id === "local") as unknown as { options: { authorize: Authorize } }).options
    .authorize;

/**
 * A sign-in from `socket`, the headers as the credentials callback sees them behind proxy.ts: `x-forwarded-for` is
 * the socket address (Next sets it), whatever the client claimed is in the chain header.
 */
const attempt = (username: string, password: string, socket: string, claimed?: string) =>
  authorize()({ username, password }, { headers: { "x-forwarded-for": socket, ...(claimed ? { [FORWARDED_CHAIN_HEADER]: claimed } : {}), "user-agent": "vitest" } });

const failFiveTimes = async (username: string, socket: string) => {
  for (let i = 0; i < 5; i++) await expect(attempt(username, `wrong-${i}-password`, socket)).rejects.toThrow("Wrong user name or password.");
};

describe("sign-in limits", () => {
  it("locks a user name at the address that failed, and nowhere else", async () => {
    await failFiveTimes("ben", "198.51.100.20");
    await expect(attempt("ben", "demo-ben-pass", "198.51.100.20")).rejects.toThrow(/Too many failed sign-ins\. Try again in \d+ minutes\./);
    // The real ben, at his own desk, still gets in: someone else's wrong guesses cannot lock him out.
    await expect(attempt("ben", "demo-ben-pass", "198.51.100.21")).resolves.toMatchObject({ principal: { username: "ben" } });
    // And other names at the failing address are not locked by ben's failures alone.
    await expect(attempt("dana", "demo-dana-pass", "198.51.100.20")).resolves.toMatchObject({ principal: { username: "dana" } });
  });

  it("locks an address for every user name after twenty failures across names", async () => {
    for (let i = 0; i < 20; i++) await expect(attempt(`sprayed-${i}`, "password-123", "198.51.100.30")).rejects.toThrow("Wrong");
    await expect(attempt("gita", "demo-gita-pass", "198.51.100.30")).rejects.toThrow(/Too many failed sign-ins/);
    await expect(attempt("gita", "demo-gita-pass", "198.51.100.31")).resolves.toBeTruthy();
  });

  it("counts by the connecting address, not by what X-Forwarded-For claims", async () => {
    for (let i = 0; i < 5; i++) await expect(attempt("olga", `wrong-${i}-password`, "198.51.100.40", `203.0.113.${i}`)).rejects.toThrow("Wrong");
    await expect(attempt("olga", "demo-olga-pass", "198.51.100.40", "203.0.113.99")).rejects.toThrow(/Too many failed sign-ins/);
    const recorded = await database.db.auditEvent.findMany({ where: { actor: "olga", action: "sign-in.failure" }, select: { ip: true } });
    expect(new Set(recorded.map((r) => r.ip))).toEqual(new Set(["198.51.100.40"]));
  });

  it("audits the first refused attempt of a lock and counts the rest on that entry", async () => {
    await failFiveTimes("ada", "198.51.100.50");
    const before = await database.db.auditEvent.count();
    for (let i = 0; i < 12; i++) await expect(attempt("ada", "demo-ada-pass", "198.51.100.50")).rejects.toThrow(/Too many failed sign-ins/);
    expect(await database.db.auditEvent.count()).toBe(before + 1);

    const { events } = await listAuditEvents(database.db, { actor: "ada", action: "sign-in.failure", page: 1, pageSize: 50 });
    const limited = events.filter((e) => e.detail?.includes("rate-limited"));
    expect(limited).toHaveLength(1);
    expect(JSON.parse(limited[0]!.detail!)).toMatchObject({ reason: "rate-limited", scope: "account", attempts: 12 });
    expect(limited[0]!.ip).toBe("198.51.100.50");
  });
});
