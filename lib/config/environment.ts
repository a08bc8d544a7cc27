import path from "node:path";
import { z } from "zod";
// Relative: prisma.config.ts loads this (through lib/database-adapter.ts) without the app's "@/" alias.
import { ConfigError } from "../errors";

/**
 * Every environment variable Slipway reads, parsed and validated here and nowhere else. Modules take the typed
 * `SlipwayEnvironment` (tests pass one made by `parseEnvironment`), so a misspelt or malformed variable fails with its
 * name and the fix instead of silently meaning "unset" somewhere deep in the code.
 *
 * The secrets that slipway.yaml names (registry passwords, GitHub tokens) are looked up by those names through
 * `secret()`: their names are configuration, not code.
 */
type Variables = Readonly<Record<string, string | undefined>>;

/** Reads a secret by the variable name slipway.yaml gives it; undefined when unset or empty. */
export type SecretSource = (name: string) => string | undefined;

/** A SecretSource over a plain map of variables (tests, scripts). */
export function secretsFrom(variables: Variables): SecretSource {
  return (name) => variables[name] || undefined;
}

/** Blank counts as unset: `FOO= npm start` is how people unset things in a shell. */
const optional = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), z.string().optional());
const onOff = (fallback: boolean, off: string[], on: string[]) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toLowerCase() : undefined),
    z
      .string()
      .refine((v) => off.includes(v) || on.includes(v), `use ${[...on, ...off].map((w) => `"${w}"`).join(" or ")}`)
      .transform((v) => on.includes(v))
      .optional()
      .transform((v) => v ?? fallback),
  );
/**
 * How much V8 may grow the heap past what a full collection left, in percent. Node's own rule lets a busy process grow
 * it up to fourfold rather than collect; 20% held `slipway refresher` to 252 MB instead of 429 MB through a cold refresh
 * of 125 environments, for 8% more time (npm run bench workspace, README "Benchmarks").
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 20;

const httpUrl = optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), "must be an http(s) URL");

const schema = z.object({
  SLIPWAY_CONFIG: optional,
  DATABASE_URL: optional.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "must be a postgresql:// connection string"),
  SLIPWAY_DATA_DIR: optional,
  SLIPWAY_CACHE_DIR: optional,
  SLIPWAY_REFRESH_ON_START: onOff(true, ["0", "false", "off", "no"], ["1", "true", "on", "yes"]),
  LOG_LEVEL: optional.refine(
    (v) => v === undefined || ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(v),
    "use fatal, error, warn, info, debug, trace or silent",
  ),
  NODE_ENV: optional,
  SLIPWAY_USER: optional,
  SLIPWAY_USER_EMAIL: optional,
  SLIPWAY_NEW_PASSWORD: z.string().optional(),
  SLIPWAY_LOCAL_ACCOUNTS: onOff(true, ["off", "0", "false", "no"], ["on", "1", "true", "yes"]),
  SLIPWAY_TRUSTED_PROXIES: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z
      .string()
      .regex(/^\d{1,2}$/, "must be the number of proxies in front of Slipway (0 when clients connect directly)")
      .transform(Number)
      .optional()
      .transform((v) => v ?? 0),
  ),
  OIDC_ISSUER: httpUrl,
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_NAME: optional,
  OIDC_SCOPE: optional,
  OIDC_GROUPS_CLAIM: optional,
  GITHUB_CLIENT_ID: optional,
  GITHUB_CLIENT_SECRET: optional,
  GITHUB_URL: httpUrl,
  NEXTAUTH_URL: httpUrl,
  NEXTAUTH_SECRET: optional,
  SLIPWAY_HEAP_GROWTH_PERCENT: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z
      .string()
      .regex(/^\d{1,3}$/, "must be a whole number of percent, 0 to 400 (0 leaves heap growth to Node)")
      .transform(Number)
      .refine((v) => v <= 400, "must be 0 to 400 (0 leaves heap growth to Node)")
      .optional()
      .transform((v) => v ?? DEFAULT_HEAP_GROWTH_PERCENT),
  ),
  SLIPWAY_METRICS_TOKEN: optional.refine((v) => v === undefined || /^\S{16,512}$/.test(v), "must be 16 to 512 characters without spaces (e.g. `openssl rand -hex 32`)"),
});

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  name: string;
  scope: string;
  groupsClaim: string;
}

export interface GitHubOAuthSettings {
  clientId: string;
  clientSecret: string;
  /** The web URL: https://github.com, or GitHub Enterprise's. */
  webUrl: string;
}

export interface SlipwayEnvironment {
  /** slipway.yaml, absolute. */
  configPath: string;
  /** Set: PostgreSQL. Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  cacheDir: string;
  refreshOnStart: boolean;
  logLevel: string;
  cli: { user?: string; userEmail?: string; newPassword?: string };
  localAccounts: boolean;
  /** How many reverse proxies in front of Slipway append to X-Forwarded-For (0: trust only the socket). */
  trustedProxies: number;
  oidc?: OidcSettings;
  githubOAuth?: GitHubOAuthSettings;
  nextAuthUrl?: string;
  nextAuthSecret?: string;
  /** Bearer token Prometheus sends to /metrics; unset: /metrics is off. */
  metricsToken?: string;
  /** V8's heap growing factor in percent (lib/heap-growth.ts); 0 leaves it to Node. */
  heapGrowthPercent: number;
  /** A secret named in slipway.yaml (registry credentials, GitHub token), or undefined when unset or blank. */
  secret: SecretSource;
}

export function parseEnvironment(variables: Variables = process.env): SlipwayEnvironment {
  const parsed = schema.safeParse(variables);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Environment variable ${String(issue.path[0])} is invalid: ${issue.message}. Fix or unset it.`);
  }
  const v = parsed.data;
  return {
    // Run-time paths from the environment: turbopackIgnore keeps Next from tracing the whole project for them.
    configPath: path.resolve(/*turbopackIgnore: true*/ v.SLIPWAY_CONFIG ?? "slipway.yaml"),
    databaseUrl: v.DATABASE_URL,
    dataDir: path.resolve(/*turbopackIgnore: true*/ v.SLIPWAY_DATA_DIR ?? ".slipway/data"),
    cacheDir: path.resolve(/*turbopackIgnore: true*/ v.SLIPWAY_CACHE_DIR ?? ".slipway/cache/git"),
    refreshOnStart: v.SLIPWAY_REFRESH_ON_START,
    logLevel: v.LOG_LEVEL ?? (v.NODE_ENV === "test" ? "silent" : "info"),
    cli: { user: v.SLIPWAY_USER, userEmail: v.SLIPWAY_USER_EMAIL, newPassword: v.SLIPWAY_NEW_PASSWORD },
    localAccounts: v.SLIPWAY_LOCAL_ACCOUNTS,
    trustedProxies: v.SLIPWAY_TRUSTED_PROXIES,
    oidc:
      v.OIDC_ISSUER && v.OIDC_CLIENT_ID
        ? {
            issuer: v.OIDC_ISSUER.replace(/\/$/, ""),
            clientId: v.OIDC_CLIENT_ID,
            clientSecret: v.OIDC_CLIENT_SECRET,
            name: v.OIDC_NAME ?? "Single sign-on",
            scope: v.OIDC_SCOPE ?? "openid email profile",
            groupsClaim: v.OIDC_GROUPS_CLAIM ?? "groups",
          }
        : undefined,
    githubOAuth:
      v.GITHUB_CLIENT_ID && v.GITHUB_CLIENT_SECRET
        ? { clientId: v.GITHUB_CLIENT_ID, clientSecret: v.GITHUB_CLIENT_SECRET, webUrl: (v.GITHUB_URL ?? "https://github.com").replace(/\/$/, "") }
        : undefined,
    nextAuthUrl: v.NEXTAUTH_URL,
    nextAuthSecret: v.NEXTAUTH_SECRET,
    metricsToken: v.SLIPWAY_METRICS_TOKEN,
    heapGrowthPercent: v.SLIPWAY_HEAP_GROWTH_PERCENT,
    // Secrets exactly as set (a password may end in a space); empty means unset.
    secret: secretsFrom(variables),
  };
}

/**
 * The process's environment. Parsed on each call (a few dozen strings, microseconds), so a test or a script that sets a
 * variable sees it; validation errors surface where the variable is first needed.
 */
export function readEnvironment(): SlipwayEnvironment {
  return parseEnvironment(process.env);
}
