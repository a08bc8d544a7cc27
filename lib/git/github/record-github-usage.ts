import "server-only";
import type { Octokit } from "@octokit/rest";
import { recordGithubRateLimit, recordGithubRequest } from "./github-usage";

type Headers = Record<string, string | number | undefined>;

/** The request's kind: GraphQL answers at /graphql (github.com) or /api/graphql (GitHub Enterprise Server). */
function kindOf(url: string): "rest" | "graphql" {
  return /\/graphql(?:\?|$)/.test(url) ? "graphql" : "rest";
}

function isRateLimited(status: number, headers: Headers, message: string): boolean {
  return (status === 403 || status === 429) && (String(headers["x-ratelimit-remaining"]) === "0" || /rate limit/i.test(message));
}

/** GraphQL reports a spent rate limit with 200 and an error of type RATE_LIMITED (what the throttling plugin checks). */
function graphqlErrors(data: unknown): { type?: unknown }[] {
  const errors = (data as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors : [];
}

/**
 * Counts every attempt Octokit makes (registered innermost, so each retry is one) by outcome, and records the rate
 * limit GitHub reported on it (github-usage.ts keeps both for /metrics and the settings page).
 */
export const recordGithubUsage: Parameters<typeof Octokit.plugin>[0] = (octokit) => {
  octokit.hook.wrap("request", async (request, options) => {
    const kind = kindOf(String(options.url ?? ""));
    try {
      const response = await request(options);
      recordGithubRateLimit(kind === "graphql" ? "graphql" : "core", response.headers as Headers);
      const errors = kind === "graphql" ? graphqlErrors(response.data) : [];
      const outcome = errors.some((error) => error.type === "RATE_LIMITED")
        ? "rate_limited"
        : errors.length > 0 && (response.data as { data?: unknown }).data == null
          ? "client_error"
          : "ok";
      recordGithubRequest(kind, outcome);
      return response;
    } catch (error) {
      const failure = error as { status?: unknown; message?: string; response?: { headers?: Headers; data?: unknown } };
      const status = typeof failure.status === "number" ? failure.status : undefined;
      const headers = failure.response?.headers ?? {};
      if (failure.response) recordGithubRateLimit(kind === "graphql" ? "graphql" : "core", headers);
      const message = String((failure.response?.data as { message?: unknown } | undefined)?.message ?? failure.message ?? "");
      // Octokit reports a dropped connection or a timeout as a 500 without a response.
      const outcome =
        status === undefined || !failure.response
          ? "network_error"
          : status === 304
            ? "not_modified"
            : isRateLimited(status, headers, message)
              ? "rate_limited"
              : status >= 500
                ? "server_error"
                : "client_error";
      recordGithubRequest(kind, outcome);
      throw error;
    }
  });
};
