import { createHash } from "node:crypto";

/** The placeholders a fix version pattern may use. */
export const FIX_VERSION_PLACEHOLDERS = ["service", "environment", "date", "version"] as const;

export interface FixVersionParts {
  service: string;
  environment: string;
  /** The day the release request was raised; written as YYYY-MM-DD in UTC. */
  date: Date | string;
  /** The chart or app version being released. */
  version: string;
}

/** Jira refuses longer version names. */
export const MAX_VERSION_NAME_LENGTH = 255;

/**
 * The fix version for one service's release to one environment, from slipway.yaml's `jira.fixVersionPattern`
 * (default `{service}/{environment}/{date}/{version}`): `payments/production/2025-03-14/1.4.2`.
 *
 * Jira keeps version names unique per project and compares them ignoring case, so the same parts always give the same
 * name (find-or-create by name is then idempotent) and different parts should give different names. The name is made
 * safe for Jira: control characters and line breaks become spaces, runs of spaces collapse, the ends are trimmed. A
 * name over 255 characters keeps its start and ends in `~` and 8 hex digits of a hash of the whole name, so two long
 * names that differ only in their tails still differ.
 */
export function fixVersionName(pattern: string, parts: FixVersionParts): string {
  const values: Record<(typeof FIX_VERSION_PLACEHOLDERS)[number], string> = {
    service: clean(parts.service),
    environment: clean(parts.environment),
    date: formatDate(parts.date),
    version: clean(parts.version),
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === "") throw new Error(`fix version ${name} is empty`);
  }
  const name = clean(
    pattern.replace(/\{(\w*)\}/g, (whole, placeholder: string) => {
      if (!(placeholder in values)) throw new Error(`unknown placeholder ${whole} in fix version pattern "${pattern}"`);
      return values[placeholder as keyof typeof values];
    }),
  );
  if (name === "") throw new Error(`fix version pattern "${pattern}" gives an empty name`);
  if (name.length <= MAX_VERSION_NAME_LENGTH) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_VERSION_NAME_LENGTH - hash.length - 1).trimEnd()}~${hash}`;
}

function clean(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").replace(/\s+/g, " ").trim();
}

function formatDate(date: Date | string): string {
  if (typeof date === "string") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`fix version date "${date}" is not YYYY-MM-DD`);
    return date;
  }
  if (Number.isNaN(date.getTime())) throw new Error("fix version date is not a valid date");
  return date.toISOString().slice(0, 10);
}
