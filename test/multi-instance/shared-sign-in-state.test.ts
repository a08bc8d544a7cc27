import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { openSession, principalOfSession, revokeSession } from "@/lib/auth/session-store";
import { MAX_FAILURES_PER_USER_AND_ADDRESS, countBlockedAttempt, findSignInLock, recordSignInAttempt } from "@/lib/auth/sign-in-throttle";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { type TestDatabase, createPostgresDatabase } from "../support/test-database";

/**
 * Two app instances are two Prisma clients on one PostgreSQL database: what one instance records about sign-ins and
 * sessions, the other one acts on. Nothing of it lives in a process's memory.
 */
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)("sign-in limits and sessions across instances (skipped: set TEST_DATABASE_URL)", () => {
  let database: TestDatabase;
  let other: PrismaClient;
  const ben: Principal = { username: "ben", source: "local", oidcGroups: [], githubTeams: [] };

  beforeAll(async () => {
    database = await createPostgresDatabase(url!);
    other = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.connectionString! }) });
  });
  afterAll(async () => {
    await other?.$disconnect();
    await database?.close();
  });

  it("failures counted by one instance lock the account on the other, and refusals are counted once", async () => {
    const instances = [database.db, other];
    for (let i = 0; i < MAX_FAILURES_PER_USER_AND_ADDRESS; i++) await recordSignInAttempt(instances[i % 2]!, "ben", "198.51.100.7", false);
    const lock = await findSignInLock(other, "ben", "198.51.100.7");
    expect(lock).toMatchObject({ scope: "account", retryInMs: expect.any(Number) });
    expect(await findSignInLock(database.db, "ben", "203.0.113.9")).toBeNull();
    const [first, second] = await Promise.all([countBlockedAttempt(database.db, lock!, "ben", "198.51.100.7"), countBlockedAttempt(other, lock!, "ben", "198.51.100.7")]);
    expect(first.blockId).toBe(second.blockId);
    expect([first.count, second.count].sort()).toEqual([1, 2]);
    expect([first.first, second.first].filter(Boolean)).toHaveLength(1);
  });

  it("a session opened on one instance signs in on the other, and signing out on either ends it on both", async () => {
    const sid = await openSession(database.db, ben);
    expect(await principalOfSession(other, { sid, principal: ben })).toEqual(ben);
    await revokeSession(other, sid);
    expect(await principalOfSession(database.db, { sid, principal: ben })).toBeNull();
    expect(await principalOfSession(other, { sid, principal: ben })).toBeNull();
  });
});
