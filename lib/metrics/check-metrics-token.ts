import { createHash, timingSafeEqual } from "node:crypto";

/** Longer than any token worth sending; anything past it is refused before it is hashed. */
export const MAX_AUTHORIZATION_LENGTH = 1024;

/**
 * Whether `authorization` (the request's header) is `Bearer <token>`. Both sides are hashed first, so the comparison
 * is over equal-length digests and takes the same time whatever the guess, its length included.
 */
export function checkMetricsToken(authorization: string | null, token: string): boolean {
  if (!authorization || authorization.length > MAX_AUTHORIZATION_LENGTH) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
