import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type SlipwayEnvironment, readEnvironment } from "@/lib/config/environment";
import { describeDatabaseTarget } from "@/lib/database-adapter";
import { ConfigError } from "@/lib/errors";

/**
 * The key that signs and encrypts session cookies. NEXTAUTH_SECRET in production; the embedded default (one
 * instance, PGlite) makes one on first start and keeps it beside its database, so the demo needs no setup.
 */
export function resolveAuthSecret(env: SlipwayEnvironment = readEnvironment()): string {
  const configured = env.nextAuthSecret;
  if (configured) {
    if (configured.length < 32) throw new ConfigError("NEXTAUTH_SECRET is too short: use at least 32 characters (openssl rand -base64 32)");
    return configured;
  }
  const target = describeDatabaseTarget(env);
  if (target.kind === "postgres") {
    throw new ConfigError("NEXTAUTH_SECRET is not set: every instance must share it (openssl rand -base64 32)");
  }
  const file = path.join(/*turbopackIgnore: true*/ target.location, "..", "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process of this instance wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
  return secret;
}
