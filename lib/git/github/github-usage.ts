/**
 * What this process has asked of GitHub: requests by kind and outcome, and the rate limits GitHub reported on its
 * answers. Kept in memory on globalThis (Next gives route bundles and the instrumentation hook their own copy of this
 * module, and they must count into one place); /metrics reads it at scrape time (lib/metrics).
 *
 * Label values are bounded here, not by the callers' good manners: a handful of resources and outcomes are kept, and
 * anything past that is folded into "other", so a bug upstream cannot grow the metrics without end.
 */

export interface GithubRateLimit {
  resource: string;
  limit: number;
  remaining: number;
  used: number;
  resetAt: Date;
  observedAt: Date;
}

type RequestKind = "rest" | "graphql";

/** Response headers as Octokit (a plain object) or fetch (Headers) hands them over. */
export type HeadersLike = Headers | Readonly<Record<string, string | number | undefined>>;

const MAX_RESOURCES = 16;
const MAX_OUTCOMES = 16;

interface Usage {
  rateLimits: Map<string, GithubRateLimit>;
  requests: Map<string, { kind: RequestKind; outcome: string; count: number }>;
}

const holder = globalThis as typeof globalThis & { slipwayGithubUsage?: Usage };

function usage(): Usage {
  holder.slipwayGithubUsage ??= { rateLimits: new Map(), requests: new Map() };
  return holder.slipwayGithubUsage;
}

function header(headers: HeadersLike, name: string): string | undefined {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Records the rate limit GitHub reported on a response. GitHub names the bucket in `x-ratelimit-resource` (core,
 * graphql, search…), which wins over `resource`; answers without rate-limit headers (GitHub Enterprise with limits
 * off, a 304 from a proxy) are ignored.
 */
export function recordGithubRateLimit(resource: string, headers: HeadersLike, observedAt: Date = new Date()): void {
  const limit = Number(header(headers, "x-ratelimit-limit"));
  const remaining = Number(header(headers, "x-ratelimit-remaining"));
  const reset = Number(header(headers, "x-ratelimit-reset"));
  if (![limit, remaining, reset].every(Number.isFinite)) return;
  const used = Number(header(headers, "x-ratelimit-used") ?? limit - remaining);
  const name = (header(headers, "x-ratelimit-resource") ?? resource).trim().toLowerCase() || resource;
  const { rateLimits } = usage();
  const key = rateLimits.has(name) || rateLimits.size < MAX_RESOURCES ? name : "other";
  // Answers to concurrent requests arrive out of order; within one window the limit only goes down, so an answer
  // reporting more left than one already seen for the same reset is the older of the two.
  const seen = rateLimits.get(key);
  if (seen && seen.resetAt.getTime() === reset * 1000 && seen.remaining < remaining) return;
  rateLimits.set(key, {
    resource: key,
    limit,
    remaining,
    used: Number.isFinite(used) ? used : limit - remaining,
    resetAt: new Date(reset * 1000),
    observedAt,
  });
}

/** Counts one request to GitHub by its outcome ("ok", "not_modified", "rate_limited", "client_error", …). */
export function recordGithubRequest(kind: RequestKind, outcome: string): void {
  const { requests } = usage();
  let key = `${kind} ${outcome}`;
  if (!requests.has(key) && requests.size >= MAX_OUTCOMES * 2) {
    outcome = "other";
    key = `${kind} other`;
  }
  const entry = requests.get(key) ?? { kind, outcome, count: 0 };
  entry.count++;
  requests.set(key, entry);
}

/** The last rate limit seen per resource. */
export function readGithubRateLimits(): GithubRateLimit[] {
  return [...usage().rateLimits.values()].map((limit) => ({ ...limit }));
}

/** Requests since the process started, by kind and outcome; counts only grow. */
export function readGithubRequestCounts(): { kind: "rest" | "graphql"; outcome: string; count: number }[] {
  return [...usage().requests.values()].map((entry) => ({ ...entry }));
}
