import "server-only";
import { GitError, errorMessage } from "@/lib/errors";

/** The parts of Octokit's RequestError the adapter reads (duck-typed: the class lives in a transitive package). */
export interface GitHubRequestError {
  name: string;
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

export function isGitHubRequestError(error: unknown): error is GitHubRequestError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === "number";
}

export function hasStatus(error: unknown, status: number): error is GitHubRequestError {
  return isGitHubRequestError(error) && error.status === status;
}

/** GitHub's own message (`{ message }` body), without Octokit's " - documentation_url" suffix. */
export function gitHubMessage(error: GitHubRequestError): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const message = typeof data?.message === "string" ? data.message : error.message;
  const details = Array.isArray(data?.errors)
    ? data.errors
        .map((detail: { message?: unknown; field?: unknown; code?: unknown }) =>
          typeof detail.message === "string" ? detail.message : [detail.field, detail.code].filter(Boolean).join(" "),
        )
        .filter(Boolean)
    : [];
  return details.length > 0 ? `${message}: ${details.join("; ")}` : message;
}

/**
 * A rate limit Slipway did not wait out (GitHub asked for longer than the client waits, or the retries ran out), with
 * the earliest time GitHub said a retry may succeed. Still a GitError (same name, same handling); callers that can put
 * work off until then (raising a pull request) read `retryAt`.
 */
export class GitHubRateLimitError extends GitError {
  constructor(
    message: string,
    readonly retryAt: Date,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * When GitHub said a rate-limited request may be retried, for an error from any layer: GitHubRateLimitError is matched
 * by shape rather than instanceof, since Next may bundle this module more than once (see lib/errors.ts).
 */
export function rateLimitRetryAt(error: unknown): Date | undefined {
  const retryAt = (error as { retryAt?: unknown } | null)?.retryAt;
  return retryAt instanceof Date && !Number.isNaN(retryAt.getTime()) ? retryAt : undefined;
}

/** GitHub's advice when a secondary limit comes without retry-after: wait at least a minute. */
const SECONDARY_FALLBACK_SECONDS = 60;

/**
 * `x-accepted-github-permissions` ("issues=write; pull_requests=write": alternatives by ";", a set's parts by ",") in
 * words: "issues=write or pull_requests=write".
 */
export function describeAcceptedPermissions(header: string | number | undefined): string | undefined {
  if (header === undefined || String(header).trim() === "") return undefined;
  return String(header)
    .split(";")
    .map((set) =>
      set
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .join(" and "),
    )
    .filter(Boolean)
    .join(" or ");
}

export interface ErrorContext {
  /** What we were doing, for the sentence: "reading branch main of acme/stack". */
  action: string;
  repo?: string;
  auth: "token" | "app";
  baseUrl: string;
}

/**
 * Turns whatever Octokit threw into a GitError whose message tells the person using Slipway what happened and what
 * to do. Callers handle the statuses that mean something specific to them (a missing file, an existing branch) first.
 */
export function toGitError(error: unknown, context: ErrorContext): GitError {
  if (error instanceof GitError) return error;
  if (!isGitHubRequestError(error)) {
    return new GitError(`GitHub request failed while ${context.action}: ${errorMessage(error)}`, { cause: error });
  }
  const headers = error.response?.headers ?? {};
  const message = gitHubMessage(error);
  const where = context.repo ?? "GitHub";
  let text: string;
  switch (true) {
    case error.status === 401:
      text =
        context.auth === "token"
          ? `GitHub rejected the token (401 ${message}) while ${context.action}: check GITHUB_TOKEN`
          : `GitHub rejected the GitHub App credentials (401 ${message}) while ${context.action}: check the App id, private key and installation id`;
      break;
    // Checked before the primary limit: the throttling plugin also treats a secondary limit as secondary first.
    case (error.status === 403 || error.status === 429) && /secondary rate limit/i.test(message): {
      const retryAfter = Number(headers["retry-after"]);
      const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : SECONDARY_FALLBACK_SECONDS;
      const text = `GitHub secondary rate limit hit while ${context.action}${headers["retry-after"] ? `; try again in ${retryAfter} s` : "; try again in a minute"}`;
      return new GitHubRateLimitError(text, new Date(Date.now() + seconds * 1000), { cause: error });
    }
    case (error.status === 403 || error.status === 429) && String(headers["x-ratelimit-remaining"]) === "0": {
      const reset = Number(headers["x-ratelimit-reset"]);
      const known = Number.isFinite(reset) && reset > 0;
      const at = known ? new Date(reset * 1000).toISOString() : "the top of the hour";
      const text = `GitHub API rate limit exhausted while ${context.action}; it resets at ${at}`;
      const retryAt = known ? new Date(Math.max(reset * 1000, Date.now())) : new Date(Date.now() + SECONDARY_FALLBACK_SECONDS * 1000);
      return new GitHubRateLimitError(text, retryAt, { cause: error });
    }
    case error.status === 403 && describeAcceptedPermissions(headers["x-accepted-github-permissions"]) !== undefined: {
      // A fine-grained token or App installation without the permission: GitHub names what would have worked.
      const needed = describeAcceptedPermissions(headers["x-accepted-github-permissions"])!;
      const who = context.auth === "token" ? "the token" : "the GitHub App installation";
      text =
        `GitHub refused ${context.action}: ${who} lacks ${needed} (403 ${message}); ` +
        `grant ${who === "the token" ? "it" : "the App"} ${needed} on ${where} and try again`;
      break;
    }
    case error.status === 403:
      text = `GitHub refused ${context.action} (403 ${message}): check that the token or App installation may access ${where}`;
      break;
    case error.status === 404:
      text = context.repo
        ? `repository ${context.repo} not found on GitHub, or the ${context.auth === "token" ? "token" : "GitHub App installation"} cannot see it`
        : `not found on GitHub while ${context.action}`;
      break;
    case error.status === 405:
      // A merge GitHub will not do: branch protection (required reviews or checks), a conflict, a draft.
      text = `GitHub refused ${context.action} (405 ${message}): the pull request on GitHub says what it still needs`;
      break;
    case error.status === 409 && /head branch was modified/i.test(message):
      text = `GitHub refused ${context.action}: commits were pushed to the pull request since it was checked (409 ${message})`;
      break;
    case error.status === 409 && /empty/i.test(message):
      text = `repository ${where} is empty: push a first commit to its default branch, then try again`;
      break;
    case error.status === 422:
      text = `GitHub rejected ${context.action}: ${message}`;
      break;
    case error.status >= 500 && !error.response:
      // Octokit reports a network failure or a timeout as a 500 without a response.
      text = `could not reach GitHub at ${context.baseUrl} while ${context.action}: ${error.message}`;
      break;
    case error.status >= 500:
      text = `GitHub is unavailable (${error.status}) while ${context.action}; try again later`;
      break;
    default:
      text = `GitHub answered ${error.status} while ${context.action}: ${message}`;
  }
  return new GitError(text, { cause: error });
}
