/** The longest wait a vendor's Retry-After is taken at its word for: a job parked for longer looks lost to its users. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * A Retry-After header (RFC 9110 §10.2.3) as the time to try again: delay-seconds or an HTTP date, at most
 * MAX_RETRY_AFTER_MS away (a header is whatever the vendor, or anything between, sent: 30 digits are not a date). A
 * date already past means now; absent, empty or unreadable is undefined (the caller's own backoff decides).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const latest = now.getTime() + MAX_RETRY_AFTER_MS;
  if (/^\d+$/.test(text)) return new Date(Math.min(now.getTime() + Number(text) * 1000, latest));
  // Every HTTP date form starts with the day's name ("Thu, 03 Dec 2026 …"); Date.parse alone takes "-5" for a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(Math.min(Math.max(at, now.getTime()), latest));
}
