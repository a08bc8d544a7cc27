/**
 * When a failed job runs again: exponential backoff with jitter, never before the vendor's Retry-After. Pure, so the
 * schedule is tested without waiting for it.
 */

/** The first retry waits about this long; each further one doubles it. */
export const BASE_DELAY_MS = 5_000;
/** No retry waits longer than this (a vendor's Retry-After may). */
export const MAX_DELAY_MS = 30 * 60_000;

/** What an error says about trying again: adapters' errors carry `retryable` and `retryAfter` (Jira, Slack, Grafana). */
export interface RetryHint {
  retryable: boolean;
  retryAfter?: Date;
}

/**
 * Reads the hint off any error: `retryable: false` is permanent (a bad token, a missing channel: retrying cannot
 * help), `retryAfter` is the vendor's own wait. Errors that say nothing (a dropped connection, a timeout) are retried.
 */
export function retryHint(error: unknown): RetryHint {
  const fields = (typeof error === "object" && error !== null ? error : {}) as { retryable?: unknown; retryAfter?: unknown };
  const retryAfter = fields.retryAfter instanceof Date && !Number.isNaN(fields.retryAfter.getTime()) ? fields.retryAfter : undefined;
  return { retryable: fields.retryable !== false, ...(retryAfter ? { retryAfter } : {}) };
}

/**
 * The time of the next attempt after `attempts` failed ones: "equal jitter" (half the exponential delay fixed, half
 * random) so a burst of jobs failing together at an outage does not come back together, and never before the
 * vendor's Retry-After.
 */
export function nextAttemptAt(attempts: number, now: Date, retryAfter?: Date, random: () => number = Math.random): Date {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const delay = exponential / 2 + random() * (exponential / 2);
  const backoff = now.getTime() + delay;
  return new Date(retryAfter ? Math.max(backoff, retryAfter.getTime()) : backoff);
}
