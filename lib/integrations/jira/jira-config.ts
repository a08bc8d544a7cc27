// Free of I/O and of `server-only`, like lib/config/schema.ts, which will include it.
import { z } from "zod";
import { FIX_VERSION_PLACEHOLDERS } from "./fix-version-name";

/**
 * slipway.yaml's `jira:` section. Free of I/O like the rest of the schema; lib/config/schema.ts adds it as an optional
 * key. Secrets are never in the file: `auth` names the environment variables that hold them, and a missing variable
 * disables Jira (readJiraSecret says which) instead of stopping the app.
 *
 * ```yaml
 * jira:
 *   url: https://acme.atlassian.net          # or protocol/host/port/basePath: https://jira.example.com:8443/jira
 *   deployment: cloud                        # cloud | datacenter
 *   auth: { emailEnv: JIRA_EMAIL, tokenEnv: JIRA_API_TOKEN }   # Data Center: { tokenEnv: JIRA_PAT }
 *   fixVersionPattern: "{service}/{environment}/{date}/{version}"
 *   doneTransition: Done
 *   doneTransitionByProject: { OPS: Close }
 *   rollback: { label: rolled-back, transition: Reopen }
 *   projects: [PAY, OPS]
 *   cacheSeconds: 60
 * ```
 */

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as JIRA_API_TOKEN");

/** Jira's default project key format: a capital letter, then capitals, digits or underscores (two characters at least). */
export const jiraProjectKeySchema = z
  .string()
  .trim()
  .transform((key) => key.toUpperCase())
  .pipe(z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, "must be a Jira project key such as PAY"));

const transitionName = z.string().trim().min(1).max(255);

/** A Jira label: no spaces (Jira rejects them), at most 255 characters. */
const label = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^\S+$/, "Jira labels cannot contain spaces");

const location = {
  /** The address people open Jira at, with the context path on Data Center: https://jira.example.com/jira. */
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(u), "must be an http:// or https:// URL without a query")
    .optional(),
  /** Or the parts jira-client takes: protocol, host, port and the context path before /rest/api. */
  protocol: z.enum(["https", "http"]).optional(),
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, "must be a host name or address")
    .optional(),
  port: z.number().int().min(1).max(65535).optional(),
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*\/?$/, "must be a path such as /jira")
    .transform((path) => path.replace(/\/$/, ""))
    .optional(),
};

const auth = z.union([
  /** Jira Cloud: an Atlassian account's email and API token (HTTP basic). */
  z.object({ emailEnv: envVarName, tokenEnv: envVarName }).strict(),
  /** Jira Data Center: a personal access token (HTTP bearer). */
  z.object({ tokenEnv: envVarName }).strict(),
]);

export const jiraConfigSchema = z
  .object({
    ...location,
    deployment: z.enum(["cloud", "datacenter"]),
    auth,
    fixVersionPattern: z
      .string()
      .min(1)
      .max(255)
      .refine(
        (pattern) => [...pattern.matchAll(/\{(\w*)\}/g)].every(([, name]) => (FIX_VERSION_PLACEHOLDERS as readonly string[]).includes(name!)),
        `may only use the placeholders ${FIX_VERSION_PLACEHOLDERS.map((name) => `{${name}}`).join(", ")}`,
      )
      .refine((pattern) => /\{version\}/.test(pattern) || /\{date\}/.test(pattern), "must contain {version} or {date}, or every release would share one fix version")
      .default("{service}/{environment}/{date}/{version}"),
    /** The transition that closes a ticket when its release request merges, looked up by name on each ticket. */
    doneTransition: transitionName.default("Done"),
    /** Per Jira project, where the workflow names it differently. */
    doneTransitionByProject: z.record(jiraProjectKeySchema, transitionName).default({}),
    /**
     * What happens to the tickets a rollback takes out of an environment, besides a comment, and to the fix versions
     * that carried them there: unreleased (the default), or unreleased and archived.
     */
    rollback: z
      .object({ label: label.optional(), transition: transitionName.optional(), fixVersion: z.enum(["unrelease", "archive"]).default("unrelease") })
      .strict()
      .default({ label: "rolled-back", fixVersion: "unrelease" }),
    /** Only tickets of these projects are read and changed; others are reported as belonging to another project. */
    projects: z.array(jiraProjectKeySchema).min(1).max(200).optional(),
    /** How long ticket details shown in the drawer and changelog are reused before Jira is asked again. */
    cacheSeconds: z.number().int().min(0).max(3600).default(60),
    /** Per request, so a hung connection becomes a reported failure (default 30 s). */
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.url === undefined && config.host === undefined) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "say where Jira is: url: https://acme.atlassian.net (or host, with protocol, port and basePath)" });
    }
    if (config.url !== undefined && [config.host, config.protocol, config.port, config.basePath].some((part) => part !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "give either url or protocol/host/port/basePath, not both" });
    }
    const cloudAuth = "emailEnv" in config.auth;
    if (config.deployment === "cloud" && !cloudAuth) {
      ctx.addIssue({
        code: "custom",
        path: ["auth"],
        message: "Jira Cloud signs in with an email and API token: use auth: { emailEnv: JIRA_EMAIL, tokenEnv: JIRA_API_TOKEN }",
      });
    }
    if (config.deployment === "datacenter" && cloudAuth) {
      ctx.addIssue({
        code: "custom",
        path: ["auth"],
        message: "Jira Data Center signs in with a personal access token: use auth: { tokenEnv: JIRA_PAT }",
      });
    }
  });

export type JiraConfigInput = z.input<typeof jiraConfigSchema>;
export type JiraConfig = z.output<typeof jiraConfigSchema>;

/** Where jira-client sends requests: `protocol://host:port{base}/rest/api/{2|3}/…`, and where people browse tickets. */
export interface JiraEndpoint {
  protocol: "http" | "https";
  host: string;
  port?: number;
  /** Context path before /rest/api ("" or "/jira"). */
  base: string;
  /** `https://acme.atlassian.net`, `https://jira.example.com/jira`: where /browse/KEY lives. */
  siteUrl: string;
}

export function jiraEndpoint(config: JiraConfig): JiraEndpoint {
  if (config.url !== undefined) {
    const url = new URL(config.url);
    const protocol = url.protocol === "http:" ? "http" : "https";
    const base = url.pathname.replace(/\/+$/, "");
    const port = url.port ? Number(url.port) : undefined;
    return { protocol, host: url.hostname, port, base, siteUrl: `${protocol}://${url.host}${base}` };
  }
  const host = config.host ?? "localhost";
  const protocol = config.protocol ?? "https";
  const base = config.basePath ?? "";
  const port = config.port;
  const authority = port && port !== (protocol === "https" ? 443 : 80) ? `${host}:${port}` : host;
  return { protocol, host: host.replace(/^\[|\]$/g, ""), port, base, siteUrl: `${protocol}://${authority}${base}` };
}

/** The credentials read from the environment variables `auth` names. */
export type JiraSecret = { kind: "basic"; email: string; token: string } | { kind: "bearer"; token: string };

export type JiraSecretResult = { enabled: true; secret: JiraSecret } | { enabled: false; reason: string };

/**
 * Reads the token (and email) from the environment. A missing or empty variable disables Jira with a reason that names
 * the variable, for the settings page and the log; it is not an error that stops the app.
 */
export function readJiraSecret(config: JiraConfig, env: Record<string, string | undefined> = process.env): JiraSecretResult {
  const token = env[config.auth.tokenEnv]?.trim();
  if (!token) {
    return { enabled: false, reason: `Jira is off: set ${config.auth.tokenEnv} to ${"emailEnv" in config.auth ? "an Atlassian API token" : "a Jira personal access token"} (named by jira.auth.tokenEnv in slipway.yaml)` };
  }
  if ("emailEnv" in config.auth) {
    const email = env[config.auth.emailEnv]?.trim();
    if (!email) {
      return { enabled: false, reason: `Jira is off: set ${config.auth.emailEnv} to the email of the Atlassian account the API token belongs to (named by jira.auth.emailEnv in slipway.yaml)` };
    }
    return { enabled: true, secret: { kind: "basic", email, token } };
  }
  return { enabled: true, secret: { kind: "bearer", token } };
}

/** The transition that closes tickets of `project` on merge. */
export function doneTransitionFor(config: JiraConfig, project: string): string {
  return config.doneTransitionByProject[project.toUpperCase()] ?? config.doneTransition;
}
