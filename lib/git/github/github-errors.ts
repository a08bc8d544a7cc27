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
    case (error.status === 403 || error.status === 429) && String(headers["x-ratelimit-remaining"]) === "0": {
      const reset = Number(headers["x-ratelimit-reset"]);
      const at = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : "the top of the hour";
      text = `GitHub API rate limit exhausted while ${context.action}; it resets at ${at}`;
      break;
    }
    case (error.status === 403 || error.status === 429) && /secondary rate limit/i.test(message): {
      const retryAfter = headers["retry-after"];
      text = `GitHub secondary rate limit hit while ${context.action}${retryAfter ? `; try again in ${retryAfter} s` : "; try again in a minute"}`;
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
    case error.status === 409 && /empty/i.test(message):
      text = `repository ${where} is empty`;
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
