import { goQuote } from "./go-quote";
import { HELM_VERSION_MAX_LENGTH } from "./limits";

/**
 * Chart versions parsed and ordered exactly as Helm 3 does. Versions are frozen: one parse may be shared by every
 * view of a registry index.
 *
 * A port of Masterminds/semver **v3.5.0** (`version.go`, `collection.go`), the version that Helm's latest v3 release,
 * tag v3.21.4, pins in its go.mod (from v3.21.1; v3.19.0 to v3.21.0 pinned v3.4.0). The port follows v3.5.0's
 * source, Masterminds master at 71f2b39 (the mirror has no v3.5.0 tag), which parses, compares and matches exactly
 * as v3.4.0 did and differs in its error messages, which quote versions and constraints with `%q` (see go-quote.ts);
 * its other change, overflow panics in `Inc*`, is in code Slipway does not port. Helm 3 calls `semver.NewVersion`
 * with the library defaults (`CoerceNewVersion` and `DetailedNewVersionErrors` both true, never changed by Helm), so
 * this is the coercing loose parser: `v` prefix, missing minor/patch read as 0 (`1.6` is 1.6.0), leading zeros in
 * major/minor/patch accepted (`v2021.08.23` is 2021.8.23; v3.4.0 restored this after v3.3.1 rejected it), four
 * numeric parts rejected (`12.3.34.1234`).
 */
export interface HelmVersion {
  /** uint64, as Go parses it: a segment above 18446744073709551615 makes the whole version invalid. */
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  /** Without the leading `-`; empty when there is none. */
  readonly prerelease: string;
  /** Build metadata without the leading `+`; empty when there is none. Never affects ordering. */
  readonly metadata: string;
  /** The text as written (`v2021.08.23`), so Slipway can write a version back in its author's spelling. */
  readonly original: string;
  /**
   * Masterminds `String()`: canonical, no `v`, missing parts filled in (`1.6` → `1.6.0`,
   * `v1.2-beta+b1` → `1.2.0-beta+b1`).
   */
  readonly text: string;
}

export type HelmVersionParseResult =
  | { readonly ok: true; readonly version: HelmVersion }
  | { readonly ok: false; readonly message: string };

/** Masterminds' error texts (`ErrInvalidSemVer` and friends), so messages read the same as `helm` prints them. */
export const HELM_VERSION_ERRORS = {
  invalidSemVer: "invalid semantic version",
  segmentStartsZero: "version segment starts with 0",
  invalidMetadata: "invalid metadata string",
  invalidPrerelease: "invalid prerelease string",
  tooLong: `version string is longer than ${HELM_VERSION_MAX_LENGTH} characters (Slipway's limit on untrusted input)`,
} as const;

/**
 * Masterminds' `looseSemVerRegex`, verbatim (it has no `\s`, so Go's RE2 and JavaScript read it alike). Groups used:
 * 1 major, 2 `.minor`, 3 `.patch`, 5 prerelease, 8 metadata. Linear on any input: every repetition is fenced by `.`.
 */
const LOOSE_VERSION =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$/;

const UINT64_MAX = 18446744073709551615n;
const DIGITS_ONLY = /^[0-9]+$/;
const IDENTIFIER_CHARS = /^[0-9A-Za-z-]+$/;

/**
 * Masterminds `NewVersion` (the coercing path Helm uses). Returns undefined where Go returns an error; use
 * {@link parseHelmVersionOrError} for the reason.
 */
export function parseHelmVersion(text: string): HelmVersion | undefined {
  const result = parseHelmVersionOrError(text);
  return result.ok ? result.version : undefined;
}

/** Masterminds `NewVersion` with its error text (`invalid semantic version`, `version segment starts with 0`, …). */
export function parseHelmVersionOrError(text: string): HelmVersionParseResult {
  if (text.length > HELM_VERSION_MAX_LENGTH) return { ok: false, message: HELM_VERSION_ERRORS.tooLong };
  return newVersion(text);
}

/**
 * Masterminds `NewVersion` without Slipway's length bound, for the versions inside a constraint, which the
 * constraint's own bound already covers (Go would accept a 300-character version there, so must we).
 */
export function newVersion(text: string): HelmVersionParseResult {
  const match = LOOSE_VERSION.exec(text);
  if (!match) return { ok: false, message: HELM_VERSION_ERRORS.invalidSemVer };

  const major = parseSegment(match[1] ?? "");
  if (typeof major === "string") return { ok: false, message: major };
  const minor = match[2] ? parseSegment(match[2].slice(1)) : 0n;
  if (typeof minor === "string") return { ok: false, message: minor };
  const patch = match[3] ? parseSegment(match[3].slice(1)) : 0n;
  if (typeof patch === "string") return { ok: false, message: patch };

  const prerelease = match[5] ?? "";
  const metadata = match[8] ?? "";
  const invalid = (prerelease && validatePrerelease(prerelease)) || (metadata && validateMetadata(metadata));
  if (invalid) return { ok: false, message: invalid };

  return { ok: true, version: makeVersion(major, minor, patch, prerelease, metadata, text) };
}

function makeVersion(
  major: bigint,
  minor: bigint,
  patch: bigint,
  prerelease: string,
  metadata: string,
  original: string,
): HelmVersion {
  let text = `${major}.${minor}.${patch}`;
  if (prerelease) text += `-${prerelease}`;
  if (metadata) text += `+${metadata}`;
  return Object.freeze({ major, minor, patch, prerelease, metadata, original, text });
}

/**
 * `strconv.ParseUint(s, 10, 64)` on a digits-only segment: the value, or Masterminds' wrapped error text (`%w` of
 * strconv's `NumError`, which quotes the number with `strconv.Quote`).
 */
function parseSegment(digits: string): bigint | string {
  const value = BigInt(digits);
  if (value > UINT64_MAX) {
    return `error parsing version segment: strconv.ParseUint: parsing ${goQuote(digits)}: value out of range`;
  }
  return value;
}

/**
 * Masterminds `validatePrerelease`: dot-separated identifiers, none empty, `[0-9A-Za-z-]` only, numeric ones without
 * a leading zero. Returns the error text, or undefined when valid.
 */
export function validatePrerelease(prerelease: string): string | undefined {
  for (const part of prerelease.split(".")) {
    if (part === "") return HELM_VERSION_ERRORS.invalidPrerelease;
    if (DIGITS_ONLY.test(part)) {
      if (part.length > 1 && part[0] === "0") return HELM_VERSION_ERRORS.segmentStartsZero;
    } else if (!IDENTIFIER_CHARS.test(part)) {
      return HELM_VERSION_ERRORS.invalidPrerelease;
    }
  }
  return undefined;
}

/** Masterminds `validateMetadata`: like prerelease, but leading zeros are fine. Error text, or undefined. */
export function validateMetadata(metadata: string): string | undefined {
  for (const part of metadata.split(".")) {
    if (part === "" || !IDENTIFIER_CHARS.test(part)) return HELM_VERSION_ERRORS.invalidMetadata;
  }
  return undefined;
}

/**
 * Masterminds `Compare`: major, minor, patch as integers; a version without prerelease ranks above one with; two
 * prereleases compare part by part (see {@link comparePrerelease}). Build metadata is ignored, so `1.2+a` and
 * `1.2+b` compare equal.
 */
export function compareHelmVersions(a: HelmVersion, b: HelmVersion): -1 | 0 | 1 {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  const ap = a.prerelease;
  const bp = b.prerelease;
  if (ap === "" && bp === "") return 0;
  if (ap === "") return 1;
  if (bp === "") return -1;
  return comparePrerelease(ap, bp);
}

/** Masterminds `Equal`, nil-safe as Go's is: two missing versions are equal, one missing is not. */
export function helmVersionsEqual(a: HelmVersion | undefined, b: HelmVersion | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return compareHelmVersions(a, b) === 0;
}

/**
 * Ascending, as `sort.Sort(semver.Collection(...))`. Returns a new array. Go's sort is not stable, so its order for
 * versions that compare equal (`1.0.0+a`, `1.0.0+b`) is unspecified; ours keeps their input order.
 */
export function sortHelmVersions(versions: readonly HelmVersion[]): HelmVersion[] {
  return [...versions].sort(compareHelmVersions);
}

/**
 * Masterminds `comparePrerelease`: split both on `.` (as `strings.Split`, so `""` is one empty part), walk the longer
 * length, a missing part reads as `""`. Walks by index instead of splitting to spare the allocations when sorting
 * large indexes.
 */
export function comparePrerelease(a: string, b: string): -1 | 0 | 1 {
  let aStart = 0;
  let bStart = 0;
  let aDone = false;
  let bDone = false;
  while (!aDone || !bDone) {
    let aPart = "";
    if (!aDone) {
      const dot = a.indexOf(".", aStart);
      aPart = a.slice(aStart, dot === -1 ? a.length : dot);
      if (dot === -1) aDone = true;
      else aStart = dot + 1;
    }
    let bPart = "";
    if (!bDone) {
      const dot = b.indexOf(".", bStart);
      bPart = b.slice(bStart, dot === -1 ? b.length : dot);
      if (dot === -1) bDone = true;
      else bStart = dot + 1;
    }
    const order = comparePrePart(aPart, bPart);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Masterminds `comparePrePart`, quirks included: an empty part ranks below anything; a part is numeric only if
 * `strconv.ParseUint` accepts it, so `-2` and parts above uint64 are compared as text; numbers rank below text;
 * text compares bytewise.
 */
function comparePrePart(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  if (a === "") return -1;
  if (b === "") return 1;
  const aNumber = parseUint64(a);
  const bNumber = parseUint64(b);
  if (aNumber === undefined && bNumber === undefined) return a > b ? 1 : -1;
  if (bNumber === undefined) return -1;
  if (aNumber === undefined) return 1;
  return aNumber > bNumber ? 1 : -1;
}

/** `strconv.ParseUint(s, 10, 64)` succeeding, as a number when exact (the common, cheap case) or a bigint. */
function parseUint64(text: string): number | bigint | undefined {
  if (!DIGITS_ONLY.test(text)) return undefined;
  if (text.length <= 15) return Number(text);
  const value = BigInt(text);
  return value > UINT64_MAX ? undefined : value;
}
