/**
 * A Retry-After header (RFC 9110 §10.2.3) as the time to try again: delay-seconds or an HTTP date. A date already past
 * means now; absent, empty or unreadable is undefined (the caller's own backoff decides).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return new Date(now.getTime() + Number(text) * 1000);
  // Every HTTP date form starts with the day's name ("Thu, 03 Dec 2026 …"); Date.parse alone takes "-5" for a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(Math.max(at, now.getTime()));
}
