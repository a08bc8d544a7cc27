import { goQuote } from "./go-quote";
import { compareHelmVersions, comparePrerelease, type HelmVersion } from "./version";

/** The operators Masterminds `constraintOps` knows; `""` (no operator) behaves as `=`. */
export type HelmOperator = "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^";

/** One comparator of a constraint (Masterminds' unexported `constraint`), e.g. `>= 1.2` or `4.x`. */
export interface HelmComparator {
  readonly operator: HelmOperator;
  /** The version text as written in the constraint (`1.x`, `v2.3`), used in messages and `String()`. */
  readonly original: string;
  /** The version compared against: wildcards and missing parts filled with 0 (`1.x` → 1.0.0, `*-0` → 0.0.0-0). */
  readonly version: HelmVersion;
  /** A wildcard or missing part somewhere (`*`, `1`, `1.x`, `1.2`, `1.2.*`). */
  readonly dirty: boolean;
  /** The minor part is a wildcard or missing (`1`, `1.x`). */
  readonly minorDirty: boolean;
  /** The patch part is a wildcard or missing (`1.2`, `1.2.x`). */
  readonly patchDirty: boolean;
}

/**
 * Why a comparator rejected a version. Masterminds builds an error on every failed check; codes defer that string
 * work to `validate`, so `check` over an index of tens of thousands of versions allocates nothing.
 */
export const FAILURE = {
  none: 0,
  prerelease: 1,
  equal: 2,
  lessOrEqual: 3,
  greaterOrEqual: 4,
  less: 5,
  greater: 6,
  notSameMajor: 7,
  notSameMajorMinor: 8,
  notEqual: 9,
  caretMinor: 10,
  notSameMinor: 11,
  caretPatch: 12,
} as const;

export type Failure = (typeof FAILURE)[keyof typeof FAILURE];

export type OperatorCheck = (version: HelmVersion, comparator: HelmComparator, includePrerelease: boolean) => Failure;

/**
 * Masterminds' error texts for each failure. v3.5.0 prints the version (its `String()`) and the comparator's version
 * as written with `%q` (v3.4.0 used `%s`): `"1.2.3" is less than "2"`.
 */
export function describeFailure(failure: Failure, version: HelmVersion, comparator: HelmComparator): string {
  const v = goQuote(version.text);
  const c = goQuote(comparator.original);
  switch (failure) {
    case FAILURE.none:
      return "";
    case FAILURE.prerelease:
      return `${v} is a prerelease version and the constraint is only looking for release versions`;
    case FAILURE.equal:
      return `${v} is equal to ${c}`;
    case FAILURE.lessOrEqual:
      return `${v} is less than or equal to ${c}`;
    case FAILURE.greaterOrEqual:
      return `${v} is greater than or equal to ${c}`;
    case FAILURE.less:
      return `${v} is less than ${c}`;
    case FAILURE.greater:
      return `${v} is greater than ${c}`;
    case FAILURE.notSameMajor:
      return `${v} does not have same major version as ${c}`;
    case FAILURE.notSameMajorMinor:
      return `${v} does not have same major and minor version as ${c}`;
    case FAILURE.notEqual:
      return `${v} is not equal to ${c}`;
    case FAILURE.caretMinor:
      return (
        `${v} does not have same minor version as ${c}. ` +
        "Expected minor versions to match when constraint major version is 0"
      );
    case FAILURE.notSameMinor:
      return `${v} does not have same minor version as ${c}`;
    case FAILURE.caretPatch:
      return `${v} does not equal ${c}. Expect version and constraint to equal when major and minor versions are 0`;
  }
}

// Each function below is the Masterminds function of the same name, branch for branch. Whether prereleases are
// allowed is decided for the whole AND group (any comparator naming a prerelease opts the group in) and passed in.

export function constraintNotEqual(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  if (c.dirty) {
    if (c.version.major !== v.major) return FAILURE.none;
    if (c.version.minor !== v.minor && !c.minorDirty) {
      return FAILURE.none;
    } else if (c.minorDirty) {
      return FAILURE.equal;
    } else if (c.version.patch !== v.patch && !c.patchDirty) {
      return FAILURE.none;
    } else if (c.patchDirty) {
      if (v.prerelease !== "" || c.version.prerelease !== "") {
        return comparePrerelease(v.prerelease, c.version.prerelease) !== 0 ? FAILURE.none : FAILURE.equal;
      }
      return FAILURE.equal;
    }
  }
  return compareHelmVersions(v, c.version) === 0 ? FAILURE.equal : FAILURE.none;
}

export function constraintGreaterThan(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  if (!c.dirty) return compareHelmVersions(v, c.version) === 1 ? FAILURE.none : FAILURE.lessOrEqual;
  if (v.major > c.version.major) return FAILURE.none;
  if (v.major < c.version.major) return FAILURE.lessOrEqual;
  // >11 is not met by 11.1.0: it takes 12 or higher.
  if (c.minorDirty) return FAILURE.lessOrEqual;
  // >11.1 is not met by 11.1.1, it is by 11.2.1.
  if (c.patchDirty) return v.minor > c.version.minor ? FAILURE.none : FAILURE.lessOrEqual;
  return compareHelmVersions(v, c.version) === 1 ? FAILURE.none : FAILURE.lessOrEqual;
}

export function constraintLessThan(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  return compareHelmVersions(v, c.version) < 0 ? FAILURE.none : FAILURE.greaterOrEqual;
}

export function constraintGreaterThanEqual(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  return compareHelmVersions(v, c.version) >= 0 ? FAILURE.none : FAILURE.less;
}

export function constraintLessThanEqual(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  if (!c.dirty) return compareHelmVersions(v, c.version) <= 0 ? FAILURE.none : FAILURE.greater;
  if (v.major > c.version.major) return FAILURE.greater;
  if (v.major === c.version.major && v.minor > c.version.minor && !c.minorDirty) return FAILURE.greater;
  return FAILURE.none;
}

/**
 * `~1.2.3` is >=1.2.3 <1.3.0, `~1` and `~1.x` are >=1.0.0 <2.0.0, and `~0.0.0` accepts everything (Masterminds'
 * special case: it reads as >=0.0.0).
 */
export function constraintTilde(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  if (compareHelmVersions(v, c.version) < 0) return FAILURE.less;
  const con = c.version;
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return FAILURE.none;
  if (v.major !== con.major) return FAILURE.notSameMajor;
  if (v.minor !== con.minor && !c.minorDirty) return FAILURE.notSameMajorMinor;
  return FAILURE.none;
}

/** No operator or `=`: a wildcard or missing part makes it a tilde range (`1.2` is ~1.2), otherwise exact. */
export function constraintTildeOrEqual(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  if (c.dirty) return constraintTilde(v, c, includePre);
  return compareHelmVersions(v, c.version) === 0 ? FAILURE.none : FAILURE.notEqual;
}

/** `^1.2.3` is >=1.2.3 <2.0.0, `^0.2.3` is >=0.2.3 <0.3.0, `^0.0.3` is exactly 0.0.3, `^0` is <1.0.0. */
export function constraintCaret(v: HelmVersion, c: HelmComparator, includePre: boolean): Failure {
  if (v.prerelease !== "" && !includePre) return FAILURE.prerelease;
  const con = c.version;
  if (compareHelmVersions(v, con) < 0) return FAILURE.less;
  if (con.major > 0n || c.minorDirty) return v.major === con.major ? FAILURE.none : FAILURE.notSameMajor;
  if (con.major === 0n && v.major > 0n) return FAILURE.notSameMajor;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor ? FAILURE.none : FAILURE.caretMinor;
  if (con.minor === 0n && v.minor > 0n) return FAILURE.notSameMinor;
  return con.patch === v.patch ? FAILURE.none : FAILURE.caretPatch;
}

/** Masterminds `constraintOps`. */
export const OPERATOR_CHECKS: Readonly<Record<HelmOperator, OperatorCheck>> = {
  "": constraintTildeOrEqual,
  "=": constraintTildeOrEqual,
  "!=": constraintNotEqual,
  ">": constraintGreaterThan,
  "<": constraintLessThan,
  ">=": constraintGreaterThanEqual,
  "=>": constraintGreaterThanEqual,
  "<=": constraintLessThanEqual,
  "=<": constraintLessThanEqual,
  "~": constraintTilde,
  "~>": constraintTilde,
  "^": constraintCaret,
};
