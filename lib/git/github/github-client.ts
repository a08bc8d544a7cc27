import "server-only";
import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { logger } from "@/lib/logger";
import { conditionalRequests } from "./conditional-requests";
import { recordGithubUsage } from "./record-github-usage";

/** A personal access token (or any token GitHub accepts), or a GitHub App installation. */
export type GitHubAuth = { token: string } | { appId: string | number; privateKey: string; installationId: number };

export interface GitHubThrottleOptions {
  /** Retries after a primary or secondary rate limit (default 2). */
  maxRetries?: number;
  /** Longest wait GitHub may ask for before we give up and report the limit instead (default 30 s). */
  maxRetryAfterSeconds?: number;
  /** Milliseconds per second GitHub asks to wait (default 1000); tests shrink it. */
  retryAfterBaseValueMs?: number;
  /**
   * GitHub asks integrations to leave a second between writes and three between writes that notify people (opening a
   * pull request, requesting reviewers); the throttling plugin does so process-wide. Default true; tests turn it off.
   */
  spaceWrites?: boolean;
}

export interface GitHubRetryOptions {
  /** Retries of a transient failure: 5xx, timeout, dropped connection (default 3). */
  retries?: number;
  /** Milliseconds per unit of the plugin's quadratic back-off: 1, 4, 9 units (default 1000). */
  retryAfterBaseValueMs?: number;
}

export interface GitHubClientOptions {
  /** Default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3. */
  baseUrl?: string;
  auth: GitHubAuth;
  userAgent?: string;
  throttle?: GitHubThrottleOptions;
  retry?: GitHubRetryOptions;
  /** Per attempt, so a hung connection becomes a retry instead of a refresh that never ends (default 30 s). */
  requestTimeoutMs?: number;
  /** Responses kept for conditional requests (default 500). */
  etagCacheSize?: number;
}

/** Aborts each attempt after `requestTimeoutMs`; registered before the retry plugin so every retry gets a fresh clock. */
const requestTimeout: Parameters<typeof Octokit.plugin>[0] = (octokit, options) => {
  const timeoutMs: number = options.requestTimeoutMs ?? 30_000;
  octokit.hook.wrap("request", (request, requestOptions) => {
    // Hooks share one options object (inner hooks ignore what is passed along), so the signal is set on it.
    requestOptions.request = { ...requestOptions.request, signal: AbortSignal.timeout(timeoutMs) };
    return request(requestOptions);
  });
};

// recordGithubUsage first: innermost, so it sees every attempt, each retry included, with its own answer.
const SlipwayOctokit = Octokit.plugin(recordGithubUsage, requestTimeout, throttling, retry);
export type GitHubClient = InstanceType<typeof SlipwayOctokit>;

/**
 * A no-op stand-in for the throttling plugin's Bottleneck groups (it only calls `key(id).schedule(options, task)`),
 * used when write spacing is turned off.
 */
const unspacedGroup = {
  key: () => ({ schedule: (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) => task(...args) }),
};

const log = logger.child({ component: "github" });

/**
 * Octokit's own log lines. The request-log plugin reports every non-2xx as "error" (an expected 404 for a missing
 * file included) and passes request options, headers and token included, to `debug`: keep only the message, and let
 * the adapter decide what is an error.
 */
const octokitLog = {
  debug: (message: string) => log.trace(message),
  info: (message: string) => log.debug(message),
  warn: (message: string) => log.warn(message),
  error: (message: string) => log.debug(message),
};

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const throttle = options.throttle ?? {};
  const maxRetries = throttle.maxRetries ?? 2;
  const maxRetryAfterSeconds = throttle.maxRetryAfterSeconds ?? 30;
  const onLimit =
    (kind: "primary" | "secondary") =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const willRetry = retryCount < maxRetries && retryAfter <= maxRetryAfterSeconds;
      log.warn(
        { kind, method: request.method, url: request.url, retryAfterSeconds: retryAfter, retryCount, willRetry },
        `GitHub ${kind} rate limit hit`,
      );
      return willRetry;
    };
  const spacing = throttle.spaceWrites === false ? { write: unspacedGroup, notifications: unspacedGroup } : {};

  const auth =
    "token" in options.auth
      ? { auth: options.auth.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: options.auth.appId,
            privateKey: options.auth.privateKey,
            installationId: options.auth.installationId,
          },
        };

  const octokit = new SlipwayOctokit({
    ...auth,
    baseUrl: (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: options.userAgent ?? "slipway",
    log: octokitLog,
    requestTimeoutMs: options.requestTimeoutMs,
    throttle: {
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      retryAfterBaseValue: throttle.retryAfterBaseValueMs ?? 1000,
      // Bottleneck.Group is only used through key().schedule(); see unspacedGroup.
      ...(spacing as object),
    },
    retry: {
      retries: options.retry?.retries ?? 3,
      retryAfterBaseValue: options.retry?.retryAfterBaseValueMs ?? 1000,
      // Rate limits (403/429) are the throttling plugin's; 409 (empty repository) and 304 are answers, not failures.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
    },
  });
  conditionalRequests(octokit, { maxEntries: options.etagCacheSize ?? 500 });
  return octokit;
}
