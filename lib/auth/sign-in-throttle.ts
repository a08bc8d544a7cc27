import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Sign-in rate limits, kept in the database so every app instance counts the same attempts: a user name locks after
 * 5 failures in 15 minutes, a client address after 20 (password spraying across names).
 */
export const WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_IP = 20;

export async function signInBlockedFor(db: PrismaClient, username: string, ip: string, now = new Date()): Promise<number | null> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const [byUser, byIp] = await Promise.all([
    db.signInAttempt.findMany({ where: { username, success: false, at: { gte: since } }, orderBy: { at: "asc" }, select: { at: true } }),
    db.signInAttempt.findMany({ where: { ip, success: false, at: { gte: since } }, orderBy: { at: "asc" }, select: { at: true } }),
  ]);
  const waits: number[] = [];
  if (byUser.length >= MAX_FAILURES_PER_USER) waits.push(byUser[byUser.length - MAX_FAILURES_PER_USER]!.at.getTime() + WINDOW_MS - now.getTime());
  if (byIp.length >= MAX_FAILURES_PER_IP) waits.push(byIp[byIp.length - MAX_FAILURES_PER_IP]!.at.getTime() + WINDOW_MS - now.getTime());
  return waits.length > 0 ? Math.max(...waits) : null;
}

export async function recordSignInAttempt(db: PrismaClient, username: string, ip: string, success: boolean): Promise<void> {
  await db.signInAttempt.create({ data: { username, ip, success } });
}
