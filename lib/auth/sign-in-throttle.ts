import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Sign-in rate limits, kept in the database so every app instance counts the same attempts.
 *
 * Policy (password sign-in only; OpenID Connect and GitHub sign-ins are not limited here):
 * - A user name locks *at one client address* after 5 failed passwords from that address in 15 minutes. The same
 *   person signing in from an address that has not failed (or through a provider) still gets in, so nobody can lock
 *   someone else out by guessing wrong on purpose from elsewhere.
 * - A client address locks for every user name after 20 failures in 15 minutes (password spraying across names).
 * - A lock lifts 15 minutes after the failure that set it; refused attempts do not extend it, and are not checked
 *   against the password.
 * - Refused attempts are counted, not audited one by one: the first refusal per lock and 15-minute window writes one
 *   `sign-in.failure` (reason rate-limited) to the audit trail, the rest add to that entry's count (SignInBlock).
 * The client address is the one lib/http/client-address.ts decides (socket, or the hop before trusted proxies).
 */
export const WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_USER_AND_ADDRESS = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export interface SignInLock {
  /** "account": this user name from this address; "address": every user name from this address. */
  scope: "account" | "address";
  retryInMs: number;
}

export async function findSignInLock(db: PrismaClient, username: string, ip: string, now = new Date()): Promise<SignInLock | null> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const failures = (where: { username?: string; ip: string }, take: number) =>
    db.signInAttempt.findMany({ where: { ...where, success: false, at: { gte: since } }, orderBy: { at: "desc" }, take, select: { at: true } });
  const [byAccount, byAddress] = await Promise.all([
    failures({ username, ip }, MAX_FAILURES_PER_USER_AND_ADDRESS),
    failures({ ip }, MAX_FAILURES_PER_ADDRESS),
  ]);
  // The lock lifts when the oldest failure of the last N leaves the window.
  const lift = (rows: { at: Date }[], max: number) => (rows.length >= max ? rows[max - 1]!.at.getTime() + WINDOW_MS - now.getTime() : null);
  const address = lift(byAddress, MAX_FAILURES_PER_ADDRESS);
  const account = lift(byAccount, MAX_FAILURES_PER_USER_AND_ADDRESS);
  if (address !== null && (account === null || address >= account)) return { scope: "address", retryInMs: address };
  if (account !== null) return { scope: "account", retryInMs: account };
  return null;
}

export async function recordSignInAttempt(db: PrismaClient, username: string, ip: string, success: boolean): Promise<void> {
  await db.signInAttempt.create({ data: { username, ip, success } });
}

export interface BlockedAttemptCount {
  /** The SignInBlock row counting this lock's refusals in this window. */
  blockId: number;
  count: number;
  /** Whether this is the first refusal of the row: the one that goes to the audit trail. */
  first: boolean;
}

/** Counts one refused attempt against its lock and 15-minute window. An address lock counts under user name "". */
export async function countBlockedAttempt(db: PrismaClient, lock: SignInLock, username: string, ip: string, now = new Date()): Promise<BlockedAttemptCount> {
  const key = { username: lock.scope === "address" ? "" : username, ip, windowStart: new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS) };
  const upsert = () =>
    db.signInBlock.upsert({
      where: { username_ip_windowStart: key },
      create: { ...key, count: 1, firstAt: now, lastAt: now },
      update: { count: { increment: 1 }, lastAt: now },
    });
  let row;
  try {
    row = await upsert();
  } catch (error) {
    // Two refusals raced to create the row (when Prisma cannot do the upsert in one statement): count as the second.
    if ((error as { code?: string }).code !== "P2002") throw error;
    row = await upsert();
  }
  return { blockId: row.id, count: row.count, first: row.count === 1 };
}

/** How many refusals each of these SignInBlock rows has counted so far, by id. */
export async function blockedAttemptCounts(db: PrismaClient, ids: number[]): Promise<Map<number, { count: number; lastAt: Date }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.signInBlock.findMany({ where: { id: { in: ids } }, select: { id: true, count: true, lastAt: true } });
  return new Map(rows.map((row) => [row.id, { count: row.count, lastAt: row.lastAt }]));
}
