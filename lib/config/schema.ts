import { z } from "zod";
import { grafanaConfigSchema } from "../integrations/grafana/grafana-config";
import { jiraConfigSchema } from "../integrations/jira/jira-config";
import { slackConfigSchema } from "../integrations/slack/slack-config";
import { previewTemplateProblem } from "../releases/preview-url";

/**
 * The shape of slipway.yaml. Kept free of I/O so the CLI, the app and the tests validate the same way.
 *
 * Two stack layouts are supported by the same fields:
 * - one repository per environment: each environment names its own `repo` (branch usually `main`);
 * - one repository with a branch per environment: environments share `repo` and differ in `branch`.
 * `path` is the folder inside the repository that holds the umbrella chart (default: the repository root).
 */

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' and '-' only");

/** The rules every environment name follows, written in slipway.yaml or read from a stack's release-config.yaml. */
export const environmentNameSchema = name;

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as CHARTS_TOKEN");

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must start with http:// or https://");

const registryAuth = z
  .union([
    z.object({ basic: z.object({ usernameEnv: envVarName, passwordEnv: envVarName }).strict() }).strict(),
    z.object({ bearer: z.object({ tokenEnv: envVarName }).strict() }).strict(),
  ])
  .optional();

export const registryConfigSchema = z
  .object({
    name,
    url: z
      .string()
      .min(1)
      .refine(
        (u) => /^(https?|file|oci):\/\//.test(u),
        "must start with https://, http://, file:// or oci://",
      ),
    auth: registryAuth,
    /**
     * The public registries this one serves a copy of (an internal mirror, an air-gapped copy): a dependency whose
     * `repository:` is one of these URLs, or below one (`oci://registry-1.docker.io` covers every path on that
     * host), is read from this registry instead. The chart files keep the public URL, so their locks still match.
     */
    mirrorOf: z
      .array(
        z
          .string()
          .max(2000)
          .refine((u) => /^(https?|oci):\/\/[^/\s]+/.test(u), "must be an https://, http:// or oci:// URL"),
      )
      .max(100)
      .optional(),
  })
  .strict();

/**
 * Registries a Chart.yaml names but slipway.yaml does not. By default they are not read at all: a dependency's
 * `repository:` is written by whoever can push to a stack repository, and reading it makes the server connect there.
 */
export const registryPolicySchema = z
  .object({
    /** Read such registries anonymously, over https, on public addresses only (redirects too). */
    followUnknownRegistries: z.boolean().default(false),
  })
  .strict();

export const serviceConfigSchema = z
  .object({
    /** Chart name in the registry, when it differs from the service key. */
    chart: z.string().min(1).optional(),
    /** Source repository: a path, any git URL, or an https URL to browse. */
    repo: z.string().min(1).optional(),
    /** How release tags are named in the source repo; `{version}` is replaced by the chart's version. */
    tagPattern: z.string().includes("{version}", { message: "must contain {version}" }).default("v{version}"),
    /**
     * Reverse promotion: after Slipway merges a change to this service in an environment, the service repository's
     * `release/<environment>` branch is moved forward to the deployed version's tag, so the repository shows what runs
     * where. Off by default.
     */
    reversePromotion: z.boolean().optional(),
    jiraProject: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/, "must be a Jira project key such as PAY")
      .optional(),
    grafanaDashboard: httpUrl.optional(),
  })
  .strict();

export const environmentConfigSchema = z
  .object({
    name,
    /** Navigation groups, e.g. { brand: acme, team: payments }. */
    groups: z.record(z.string().min(1), z.string().min(1)).default({}),
    repo: z.string().min(1),
    branch: z.string().min(1).default("main"),
    path: z
      .string()
      .default("")
      .refine((p) => !p.split("/").includes(".."), "must stay inside the repository (no '..')"),
    /** Where the environment is reachable, linked from its page. */
    url: httpUrl.optional(),
    /**
     * Where a release request's branch is previewed, like live (lib/releases/preview-url.ts): a template with
     * {repo}, {branch} and {environment}, each slugged for DNS, e.g. https://{repo}-{branch}.dev.example.com. Linked
     * from the pull request, the Slack message and the Jira comment.
     */
    previewUrl: z
      .string()
      .max(500)
      .superRefine((template, ctx) => {
        const problem = previewTemplateProblem(template);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    includePrereleases: z.boolean().default(false),
    /** Read image tag overrides from values.yaml (`<service>.image.tag`). */
    readImageTags: z.boolean().default(false),
    /**
     * Tag every deployment commit Slipway merges on this environment's branch as a snapshot of the whole stack, named
     * by `tagPattern`: `{date}` is the merge day (2026.12.02), `{n}` counts that day's snapshots from 1.
     */
    /**
     * Slipway raises upgrades here itself when the registry publishes newer versions: for all services or those named,
     * up to a semver step (patch: patch steps only; minor: patch and minor; major: any). One grouped request at a time.
     */
    autoUpgrade: z
      .object({
        services: z.union([z.literal("all"), z.array(z.string().min(1).max(100)).min(1).max(500)]).default("all"),
        level: z.enum(["patch", "minor", "major"]).default("minor"),
      })
      .strict()
      .optional(),
    /**
     * With autoUpgrade: Slipway also merges its own upgrade requests, at once on plain git, and on GitHub once the pull
     * request's checks pass (GitHub's branch protection still applies).
     */
    autoMerge: z.boolean().optional(),
    snapshots: z
      .object({
        tagPattern: z
          .string()
          .max(100)
          .includes("{n}", { message: "must contain {n}, so that two snapshots never share a name" })
          .regex(/^[A-Za-z0-9._\-/{}]+$/, "may hold letters, digits, . _ - / and the {date} and {n} placeholders only"),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * Environments listed in a stack repository's own release file (MPB's `release-config.yaml`: branch → release name,
 * cluster, values file), read again on every refresh; see lib/config/discover-environments.ts. Each listed branch
 * becomes an environment named after its release, on `repo` and that branch, with the settings below.
 */
export const discoverConfigSchema = z
  .object({
    repo: z.string().min(1),
    /** The release file, from the repository root. */
    file: z
      .string()
      .min(1)
      .max(500)
      .default("release-config.yaml")
      .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a path inside the repository (no '..')"),
    /** The branch the release file is read from. */
    branch: z.string().min(1).max(200).default("main"),
    /** The umbrella chart's folder on every listed branch. */
    path: z
      .string()
      .default("")
      .refine((p) => !p.split("/").includes(".."), "must stay inside the repository (no '..')"),
    /** Navigation groups of every environment found; each also gets `cluster: <its cluster>` when the file names one. */
    groups: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** Where each environment is reachable; `{release}` and `{cluster}` are replaced by its own. */
    url: z
      .string()
      .max(500)
      .refine((u) => /^https?:\/\/\S+$/.test(u), "must start with http:// or https://")
      .optional(),
    includePrereleases: z.boolean().default(false),
    readImageTags: z.boolean().default(false),
    snapshots: z
      .object({
        tagPattern: z
          .string()
          .max(100)
          .includes("{n}", { message: "must contain {n}, so that two snapshots never share a name" })
          .includes("{release}", { message: "must contain {release}: the environments found share one repository and its tags" })
          .regex(/^[A-Za-z0-9._\-/{}]+$/, "may hold letters, digits, . _ - / and the {release}, {date} and {n} placeholders only"),
      })
      .strict()
      .optional(),
  })
  .strict();

/** How a discover entry is keyed (in the database) and named in messages: `repo:file@branch`. */
export function discoverySource(entry: Pick<DiscoverConfig, "repo" | "file" | "branch">): string {
  return `${entry.repo}:${entry.file}@${entry.branch}`;
}

/**
 * GitHub (github.com or GitHub Enterprise Server). When this section is present, every stack or service `repo`
 * written as `owner/name` is read and changed through GitHub's API; paths and git URLs stay on plain git. Secrets are
 * named by environment variable and only read when a GitHub repository is actually used, so a workspace without
 * GitHub repositories never needs them.
 */
export const githubConfigSchema = z
  .object({
    /**
     * The REST API root: https://api.github.com (default), or https://HOST/api/v3 for GitHub Enterprise Server.
     * Plain http is accepted for loopback addresses only (a local test server).
     */
    apiUrl: z
      .string()
      .url()
      .refine(
        (u) => /^https:\/\//.test(u) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(u),
        "must start with https:// (e.g. https://api.github.com or https://github.example.com/api/v3)",
      )
      .default("https://api.github.com"),
    /** Where people browse repositories, for links (default: https://github.com, or the API host for Enterprise). */
    webUrl: httpUrl.optional(),
    auth: z.union([
      /** A personal access token or any token GitHub accepts. */
      z.object({ tokenEnv: envVarName }).strict(),
      /** A GitHub App installation: the app's id, its private key (PEM) and the installation's id. */
      z.object({ appIdEnv: envVarName, privateKeyEnv: envVarName, installationIdEnv: envVarName }).strict(),
    ]),
    /**
     * The variable holding the secret of GitHub's webhook to POST /api/webhooks/github (merged and closed pull
     * requests and pushes then reach Slipway at once; the refresh's poll still runs). Unset: the endpoint answers 404.
     */
    webhookSecretEnv: envVarName.optional(),
  })
  .strict();

export const ROLES = ["viewer", "requester", "gatekeeper", "admin"] as const;

/**
 * Who holds a role: any one source matching is enough. `users` are local account names as they are (`ada`), and
 * people from an identity provider with its prefix (`oidc:olga`, `github:octocat`), so a provider's user name can
 * never borrow a local account's grants. A gatekeeper's `github:` logins are requested as reviewers on GitHub.
 */
const membersSchema = z
  .object({
    users: z.array(z.string().min(1)).default([]),
    emailDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a domain such as example.com")).default([]),
    oidcGroups: z.array(z.string().min(1)).default([]),
    githubTeams: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be org/team-slug")).default([]),
  })
  .strict();

/** A role on some environments: named ones, or those whose groups match, or (neither given) all of them. */
export const grantSchema = z
  .object({
    role: z.enum(ROLES),
    /** Environment names or "*"; with `discover:`, also names a release file will list (only their spelling is checked). */
    environments: z.array(z.string().min(1)).optional(),
    groups: z.record(z.string().min(1), z.string().min(1)).optional(),
    members: membersSchema,
  })
  .strict();

export const accessSchema = z
  .object({
    /** Let anyone who can reach Slipway read the dashboard without signing in. Off by default. */
    anonymousRead: z.boolean().default(false),
    grants: z.array(grantSchema).default([]),
  })
  .strict();

export const workspaceConfigSchema = z
  .object({
    /** Seconds between background refreshes; 0 turns the interval off (refresh on start and on demand only). */
    refreshIntervalSeconds: z.number().int().min(0).max(86_400).default(300),
    /** Versions behind at which a service counts as far behind even without a major step. */
    farBehindReleases: z.number().int().min(1).default(5),
    registries: z.array(registryConfigSchema).default([]),
    registryPolicy: registryPolicySchema.optional(),
    services: z.record(name, serviceConfigSchema).default({}),
    /** May be empty when `discover` finds the environments. */
    environments: z.array(environmentConfigSchema).default([]),
    /** Stack repositories that list their own environments (release-config.yaml); see discoverConfigSchema. */
    discover: z.array(discoverConfigSchema).max(20).default([]),
    access: accessSchema.default({ anonymousRead: false, grants: [] }),
    github: githubConfigSchema.optional(),
    /**
     * Promotion paths: environments in the order versions travel (`[shop-dev, shop-staging, shop-production]`). Each
     * environment's page offers to promote it to the next stage. An environment is in at most one path.
     */
    promotions: z.array(z.array(name).min(2, "a promotion path needs at least two environments").max(20)).max(100).default([]),
    /**
     * The follow-through of release requests (issue 10): fix versions, transitions and comments in Jira, a message per
     * channel in Slack, annotations in Grafana. Each is off when its section is absent or its secret is unset.
     */
    jira: jiraConfigSchema.optional(),
    slack: slackConfigSchema.optional(),
    grafana: grafanaConfigSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.environments.length === 0 && config.discover.length === 0) {
      ctx.addIssue({ code: "custom", path: ["environments"], message: "list at least one environment, or discover them from a stack repository (discover:)" });
    }
    // Names a discover entry will find are unknown until its file is read: grants and promotion paths may name them,
    // and only their spelling is checked here. A name that never turns up simply matches no environment.
    const mayBeDiscovered = (environment: string) => config.discover.length > 0 && environmentNameSchema.safeParse(environment).success;
    const seen = new Set<string>();
    config.environments.forEach((env, i) => {
      if (seen.has(env.name)) {
        ctx.addIssue({ code: "custom", path: ["environments", i, "name"], message: `duplicate environment "${env.name}"` });
      }
      seen.add(env.name);
    });
    config.access.grants.forEach((grant, i) => {
      if (grant.role === "admin" && (grant.environments || grant.groups)) {
        ctx.addIssue({
          code: "custom",
          path: ["access", "grants", i],
          message: "admin is workspace-wide: remove environments and groups from this grant",
        });
      }
      grant.environments?.forEach((name, j) => {
        if (name !== "*" && !seen.has(name) && !mayBeDiscovered(name)) {
          ctx.addIssue({
            code: "custom",
            path: ["access", "grants", i, "environments", j],
            message: config.discover.length > 0
              ? `"${name}" is not an environment name: use letters, digits, '.', '_' and '-' only, or "*"`
              : `no environment named "${name}" (use one of the environments' names, or "*")`,
          });
        }
      });
    });
    config.environments.forEach((env, i) => {
      if (env.autoMerge && !env.autoUpgrade) {
        ctx.addIssue({ code: "custom", path: ["environments", i, "autoMerge"], message: "autoMerge merges Slipway's automatic upgrades: set autoUpgrade too" });
      }
    });
    const inPath = new Map<string, number>();
    config.promotions.forEach((path, i) => {
      path.forEach((environment, j) => {
        if (!seen.has(environment) && !mayBeDiscovered(environment)) {
          ctx.addIssue({ code: "custom", path: ["promotions", i, j], message: `no environment named "${environment}"` });
        } else if (inPath.has(environment)) {
          const where = inPath.get(environment) === i ? "twice in this path" : `already in promotions[${inPath.get(environment)}]`;
          ctx.addIssue({ code: "custom", path: ["promotions", i, j], message: `"${environment}" is ${where}: an environment has one next stage` });
        }
        inPath.set(environment, i);
      });
    });
    const sources = new Set<string>();
    config.discover.forEach((entry, i) => {
      const source = discoverySource(entry);
      if (sources.has(source)) ctx.addIssue({ code: "custom", path: ["discover", i], message: `${entry.file} on ${entry.branch} of ${entry.repo} is already discovered` });
      sources.add(source);
    });
    const registryNames = new Set<string>();
    config.registries.forEach((r, i) => {
      if (registryNames.has(r.name)) {
        ctx.addIssue({ code: "custom", path: ["registries", i, "name"], message: `duplicate registry "${r.name}"` });
      }
      registryNames.add(r.name);
    });
    // One URL, one registry: otherwise which copy a dependency is read from would depend on the order of the list.
    const claimed = new Map<string, string>();
    config.registries.forEach((r, i) => {
      [r.url, ...(r.mirrorOf ?? [])].forEach((url, j) => {
        const key = url.replace(/\/+$/, "").toLowerCase();
        const owner = claimed.get(key);
        if (owner !== undefined && owner !== r.name) {
          ctx.addIssue({
            code: "custom",
            path: ["registries", i, ...(j === 0 ? ["url"] : ["mirrorOf", j - 1])],
            message: `${url} is already served by registry "${owner}"`,
          });
        }
        claimed.set(key, r.name);
      });
    });
  });

/** Where a discovered environment came from, and what its release file says about it (never from slipway.yaml). */
export interface DiscoveredFrom {
  /** The discover entry's repository and release file, and the branch the file was read on. */
  repo: string;
  file: string;
  fileBranch: string;
  release: string;
  cluster?: string;
  values?: string;
  namespace?: string;
}

/**
 * The workspace as the app uses it: slipway.yaml's environments followed by those discovered from stack repositories
 * (lib/config/discover-environments.ts), the latter marked with `discovered`.
 */
export type WorkspaceConfig = Omit<z.infer<typeof workspaceConfigSchema>, "environments"> & { environments: EnvironmentConfig[] };
export type RegistryConfig = z.infer<typeof registryConfigSchema>;
export type RegistryPolicy = z.infer<typeof registryPolicySchema>;
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type EnvironmentConfig = z.infer<typeof environmentConfigSchema> & { discovered?: DiscoveredFrom };
export type DiscoverConfig = z.infer<typeof discoverConfigSchema>;
export type AccessConfig = z.infer<typeof accessSchema>;
export type Grant = z.infer<typeof grantSchema>;
export type GitHubConfig = z.infer<typeof githubConfigSchema>;
export type Role = (typeof ROLES)[number];
