/**
 * Jira issue keys mentioned in a commit message: `ABC-123: msg`, `[ABC-123] msg`, `feat(x): msg (ABC-123)`,
 * `Fixes ABC-123` in the body, branch names in merge subjects (`Merge … from acme/ABC-123-retry`), several per line.
 * Returned de-duplicated, in order of first appearance.
 *
 * A key is a project key — a capital letter, then 1–9 capitals, digits or underscores (Jira's default key format
 * `([A-Z][A-Z0-9_]+)`; a one-letter key is not a valid Jira project) — a hyphen and an issue number without leading
 * zeros, standing as a word of its own.
 *
 * Only UPPERCASE keys count. Jira stores keys in uppercase, and the integrations that link commits to issues (GitHub
 * for Jira, Bitbucket) only recognise them in uppercase; accepting `abc-123` would also read ordinary technical
 * lowercase text — `utf-8`, `node-20`, `python-3`, `x86-64`, `release-2` — as tickets.
 *
 * Which projects count:
 * - With `projects` — the service's `jiraProject` as `[project]`, or the project keys a configured Jira reports —
 *   only keys of those projects count (the names are trimmed and uppercased; an empty list matches nothing). The
 *   denylist does not apply: a team whose Jira project really is called ISO gets its tickets.
 * - Without `projects`, any key-shaped token counts except those whose prefix is on the denylist below: standards,
 *   specs, proposals, hashes and advisory ids that are written like keys (JDK-8, KIP-500, SQL-92, UTF-8, SHA-256,
 *   ISO-8601, CVE-2024-1234…). The list is short on purpose: it stops the common false tickets; a service whose own
 *   project is on it, or whose commits name other key-like tokens, should set `jiraProject`.
 */
export function extractJiraKeys(text: string, projects?: readonly string[]): string[] {
  const only = projects ? new Set(projects.map((project) => project.trim().toUpperCase())) : undefined;
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(JIRA_KEY)) {
    const [key, project] = match as unknown as [string, string];
    if (only ? !only.has(project) : NOT_PROJECTS.has(project)) continue;
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(key);
  }
  return keys;
}

/**
 * Not preceded or followed by a word character (so `xABC-1` and `ABC-1x` are not keys), and not followed by `.digit`
 * (so a version like `RELEASE-1.2.3` is not ticket RELEASE-1; "see ABC-12." at the end of a sentence still is).
 */
const JIRA_KEY = /(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]{1,9})-([1-9][0-9]*)(?![A-Za-z0-9_]|\.[0-9])/g;

/**
 * Uppercase prefixes that appear in commit messages as standards, specs and proposals, runtimes, algorithms, time
 * zones and advisory ids, written like keys but not tickets. Only consulted when no project list is given.
 */
const NOT_PROJECTS = new Set([
  "UTF", // UTF-8, UTF-16
  "UCS",
  "SHA", // SHA-1, SHA-256
  "MD", // MD-5
  "CRC", // CRC-32
  "AES",
  "RSA",
  "HMAC",
  "ISO", // ISO-8601, ISO-8859-1
  "IEC",
  "IEEE", // IEEE-754
  "ECMA", // ECMA-262
  "RFC", // RFC-3339
  "CVE", // CVE-2024-12345
  "CWE", // CWE-79
  "GHSA",
  "FIPS", // FIPS-140
  "PKCS", // PKCS-11
  "HTTP", // HTTP-2
  "TLS",
  "SSL",
  "X86", // X86-64
  "AMD", // AMD-64
  "ARM", // ARM-64
  "WIN", // WIN-1252
  "CP", // CP-1252
  "PEP", // PEP-8
  "JEP", // JEP-444
  "JSR", // JSR-310
  "KIP", // KIP-500
  "KEP", // KEP-1287
  "JDK", // JDK-8, JDK-17
  "JRE", // JRE-11
  "SQL", // SQL-92
  "UTC", // UTC-5
  "GMT", // GMT-8
  "ES", // ES-2015
  "GPT", // GPT-4
  "COVID", // COVID-19
]);
