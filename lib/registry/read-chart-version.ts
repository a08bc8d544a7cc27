import type { ChartVersion } from "./types";

/**
 * The index.yaml fields Slipway reads from one chart version, as scalar text before interpretation.
 * Both index parsers (the line scanner and the `yaml` fallback) hand their strings to `readChartVersion`,
 * so they interpret values identically by construction.
 */
export interface ChartVersionFields {
  version?: string;
  created?: string;
  deprecated?: string;
  digest?: string;
  appVersion?: string;
}

// Helm decodes index.yaml with YAML 1.1 rules (go-yaml v2), where these words are booleans.
const TRUE_WORDS = new Set(["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"]);
// Empty and null scalars mean "not set" to Helm's Go structs.
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);

/** Turns the raw fields of one index entry into a ChartVersion; undefined when the entry has no version. */
export function readChartVersion(fields: ChartVersionFields): ChartVersion | undefined {
  const version = presentText(fields.version);
  // Helm itself drops entries without a version when it loads an index.
  if (version === undefined) return undefined;
  const created = presentText(fields.created);
  const digest = presentText(fields.digest);
  const appVersion = presentText(fields.appVersion);
  return {
    version: ownCopy(version),
    created: created === undefined ? undefined : parseYamlTimestamp(created),
    deprecated: fields.deprecated !== undefined && TRUE_WORDS.has(fields.deprecated),
    digest: digest === undefined ? undefined : ownCopy(digest),
    appVersion: appVersion === undefined ? undefined : ownCopy(appVersion),
  };
}

/**
 * `text` as a string of its own. V8 makes a substring of 13 characters or more a view into the string it was cut from,
 * so one digest kept from a 20 MB index.yaml kept all 20 MB alive for as long as the parsed index was cached. A cut
 * from a concatenation is cut from a fresh flat copy instead. Every string a parsed index keeps goes through here.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function presentText(text: string | undefined): string | undefined {
  return text === undefined || NULL_WORDS.has(text) ? undefined : text;
}

// YAML timestamp grammar, which covers Go's RFC 3339 with nanoseconds ("2023-01-02T03:04:05.123456789Z").
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/**
 * Parses a YAML/RFC 3339 timestamp. Written out rather than `new Date(text)` because Date parsing treats
 * a date-time without offset as local time (YAML says UTC) and accepts many non-timestamp strings.
 */
export function parseYamlTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", zone] = m;
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const millis = fraction === "" ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zoneHours = Number(digits.slice(0, digits.length > 2 ? digits.length - 2 : digits.length));
    const zoneMinutes = digits.length > 2 ? Number(digits.slice(-2)) : 0;
    offsetMinutes = sign * (zoneHours * 60 + zoneMinutes);
  }
  const utc = Date.UTC(Number(year), mo - 1, d, h, mi, s, millis) - offsetMinutes * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
