import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Principal } from "./principal";

/**
 * Server-side sessions behind the JWT cookie. The cookie stays a signed, encrypted JWT (any instance can read it), and
 * carries a session id; the row with that id decides whether the cookie still counts. Signing out revokes the row, so
 * a copy of the cookie taken before sign-out is refused afterwards, on every instance. Sessions last SESSION_MAX_AGE_S
 * from sign-in, as the cookie does.
 */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

/** What a session cookie holds about its session: the id of its row and who signed in. */
export interface SessionClaims {
  sid?: string;
  principal?: Principal;
}

/** Records a new session for `principal` and returns its id, for the cookie. */
export async function openSession(db: PrismaClient, principal: Principal, now = new Date()): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await db.session.create({
    data: { id, username: principal.username, source: principal.source, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) },
  });
  return id;
}

/** Ends a session: its cookie, and every copy of it, no longer signs anyone in. */
export async function revokeSession(db: PrismaClient, sid: string | undefined, now = new Date()): Promise<void> {
  if (!sid) return;
  await db.session.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * The person a session cookie signs in, or null when its session is unknown (a cookie from before sessions were
 * recorded, or forged with a leaked secret), revoked, expired, or not the person the row was opened for.
 */
export async function principalOfSession(db: PrismaClient, claims: SessionClaims, now = new Date()): Promise<Principal | null> {
  if (!claims.sid || !claims.principal) return null;
  const session = await db.session.findUnique({ where: { id: claims.sid } });
  if (!session || session.revokedAt || session.expiresAt <= now) return null;
  if (session.username !== claims.principal.username || session.source !== claims.principal.source) return null;
  return claims.principal;
}

/** Drops the rows of sessions that ended more than a day ago; they can no longer sign anyone in. */
export async function pruneSessions(db: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } } });
  return count;
}
