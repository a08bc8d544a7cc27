import { parseComparator } from "./comparator";
import { goQuote } from "./go-quote";
import { HELM_CONSTRAINT_MAX_LENGTH } from "./limits";
import { describeFailure, FAILURE, OPERATOR_CHECKS, type HelmComparator, type OperatorCheck } from "./operators";
import { CONSTRAINT_RANGE, FIND_CONSTRAINT, WHOLE_CV } from "./patterns";
import { compareHelmVersions, type HelmVersion } from "./version";

/**
 * Dependency constraints (`version:` in Chart.yaml, `--version` flags) read and matched exactly as Helm 3 does.
 *
 * A port of Masterminds/semver v3.5.0 `constraints.go`, the version Helm v3.21.4 (latest Helm 3 tag) pins, from its
 * source (Masterminds master at 71f2b39): it parses and matches as v3.4.0 did and differs in quoted (`%q`) error
 * messages (`improper constraint: "foo"`, `"1.2.3" is less than "1.2.4"`); see version.ts. Beyond npm semver it takes
 * `!=`, `=>`/`=<`, `~>`, wildcards `x X *`, comma or space for AND, `||` for OR, hyphen ranges anded with other
 * comparators (`1.0.0 - 2.0.0, <=2.0.0`), prereleases on partial versions (`~1.1-alpha`, `*-0`), `~0.0.0` as
 * "anything", and the prerelease rule of v3.4.0 and later: a prerelease version can only satisfy an AND group in
 * which some comparator names a prerelease, and then it is tested against every comparator of that group
 * (`>=1.2.0-0 <2.0.0` admits 1.5.0-beta).
 */
export interface HelmConstraint {
  /** The text as given. */
  readonly original: string;
  /** Masterminds `String()`: groups joined by ` || `, comparators by a space, each as operator + version as written. */
  readonly text: string;
  /** The OR groups, each a list of comparators that must all hold. Hyphen ranges appear as their `>=` and `<=`. */
  readonly groups: readonly (readonly HelmComparator[])[];
  /** Masterminds' `IncludePrerelease`; Helm never sets it, so false unless asked for. */
  readonly includePrerelease: boolean;
  /** Masterminds `Check`: does the version satisfy the constraint. */
  check(version: HelmVersion): boolean;
  /** Masterminds `Validate`: the same answer, with Masterminds' reasons when it is no (none when it is yes). */
  validate(version: HelmVersion): HelmConstraintValidation;
}

export interface HelmConstraintValidation {
  readonly satisfied: boolean;
  readonly reasons: readonly string[];
}

export interface HelmConstraintOptions {
  /** Masterminds' `IncludePrerelease`: let prereleases satisfy every group. Helm leaves it false. */
  readonly includePrerelease?: boolean;
}

export type HelmConstraintParseResult =
  | { readonly ok: true; readonly constraint: HelmConstraint }
  | { readonly ok: false; readonly message: string };

export const HELM_CONSTRAINT_TOO_LONG =
  `constraint is longer than ${HELM_CONSTRAINT_MAX_LENGTH} characters (Slipway's limit on untrusted input)`;

/**
 * Masterminds `NewConstraint`: rewrite hyphen ranges, split on `||`, check each group's shape, cut it into
 * comparators. Fails with Masterminds' text (`improper constraint: "…"` with the group quoted as Go's `%q` does,
 * `constraint parser error`). The empty string is not a constraint (`improper constraint: ""`): Helm's repo index
 * lookup substitutes `*` itself when no version is asked for, while its dependency resolver rejects an empty
 * `version:` ("has an invalid version/constraint format").
 */
export function parseHelmConstraint(text: string, options: HelmConstraintOptions = {}): HelmConstraintParseResult {
  if (text.length > HELM_CONSTRAINT_MAX_LENGTH) return { ok: false, message: HELM_CONSTRAINT_TOO_LONG };
  const groups: (readonly HelmComparator[])[] = [];
  const containsPrerelease: boolean[] = [];
  for (const segment of rewriteRange(text).split("||")) {
    if (!matchesValidConstraint(segment)) return { ok: false, message: `improper constraint: ${goQuote(segment)}` };
    const group: HelmComparator[] = [];
    let hasPrerelease = false;
    for (const piece of segment.match(FIND_CONSTRAINT) ?? [segment]) {
      const parsed = parseComparator(piece);
      if (!parsed.ok) return parsed;
      if (parsed.comparator.version.prerelease !== "") hasPrerelease = true;
      group.push(parsed.comparator);
    }
    groups.push(Object.freeze(group));
    containsPrerelease.push(hasPrerelease);
  }
  return {
    ok: true,
    constraint: new ParsedConstraint(
      text,
      Object.freeze(groups),
      containsPrerelease,
      options.includePrerelease ?? false,
    ),
  };
}

/**
 * The highest version that satisfies the constraint, as Helm's resolver and `helm search --version` pick from an
 * index. Of versions that compare equal (differing only in build metadata) the first given wins; Helm's pick among
 * those depends on Go's unstable sort.
 */
export function maxSatisfying(constraint: HelmConstraint, versions: readonly HelmVersion[]): HelmVersion | undefined {
  let best: HelmVersion | undefined;
  for (const version of versions) {
    if (best !== undefined && compareHelmVersions(version, best) <= 0) continue;
    if (constraint.check(version)) best = version;
  }
  return best;
}

class ParsedConstraint implements HelmConstraint {
  readonly text: string;
  private readonly checks: (readonly OperatorCheck[])[];

  constructor(
    readonly original: string,
    readonly groups: readonly (readonly HelmComparator[])[],
    private readonly containsPrerelease: readonly boolean[],
    readonly includePrerelease: boolean,
  ) {
    this.text = groups.map((group) => group.map((c) => c.operator + c.original).join(" ")).join(" || ");
    this.checks = groups.map((group) => group.map((c) => OPERATOR_CHECKS[c.operator]));
  }

  check(version: HelmVersion): boolean {
    for (let i = 0; i < this.groups.length; i++) {
      const group = this.groups[i] ?? [];
      const checks = this.checks[i] ?? [];
      const includePre = this.includePrerelease || this.containsPrerelease[i] === true;
      let all = true;
      for (let j = 0; j < group.length; j++) {
        const comparator = group[j];
        const check = checks[j];
        if (!comparator || !check || check(version, comparator, includePre) !== FAILURE.none) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  validate(version: HelmVersion): HelmConstraintValidation {
    const reasons: string[] = [];
    // Masterminds reports "is a prerelease version" once, however many comparators and groups refuse it for that.
    let prereleaseReported = false;
    for (let i = 0; i < this.groups.length; i++) {
      const includePre = this.includePrerelease || this.containsPrerelease[i] === true;
      let all = true;
      for (const comparator of this.groups[i] ?? []) {
        if (!includePre && version.prerelease !== "") {
          if (!prereleaseReported) {
            reasons.push(describeFailure(FAILURE.prerelease, version, comparator));
            prereleaseReported = true;
          }
          all = false;
        } else {
          const failure = OPERATOR_CHECKS[comparator.operator](version, comparator, includePre);
          if (failure !== FAILURE.none) {
            reasons.push(describeFailure(failure, version, comparator));
            all = false;
          }
        }
      }
      if (all) return { satisfied: true, reasons: [] };
    }
    return { satisfied: false, reasons };
  }
}

/**
 * Masterminds `rewriteRange`: each `a - b` becomes `>= a, <= b `. Faithful to a quirk: every match is found in the
 * original text first, then each is replaced at its first occurrence in the text rewritten so far (`strings.Replace`
 * with n=1), which need not be where it matched.
 */
export function rewriteRange(text: string): string {
  let out = text;
  for (const match of text.matchAll(CONSTRAINT_RANGE)) {
    const at = out.indexOf(match[0]);
    if (at === -1) continue;
    out = `${out.slice(0, at)}>= ${match[1] ?? ""}, <= ${match[11] ?? ""} ${out.slice(at + match[0].length)}`;
  }
  return out;
}

const OPERATORS: ReadonlySet<string> = new Set(Object.keys(OPERATOR_CHECKS));

/**
 * Decides Masterminds' `validConstraintRegex` (`^(\s*(ops)\s*(cv)\s*)((?:\s+|,\s*)(ops)\s*(cv)\s*)*$`) in one pass.
 * Whitespace, operator characters (`=!<>~^`) and version characters (`A-Za-z0-9|*.+-`) are disjoint, and two versions
 * are always parted by whitespace or a comma, so each maximal run of version characters is exactly one `cv`, each
 * run of operator characters exactly one operator, and between two versions comes whitespace or one comma, then at
 * most one operator. Equivalence with the regex is checked in the tests.
 */
export function matchesValidConstraint(segment: string): boolean {
  const end = segment.length;
  let i = skipWhitespace(segment, 0);
  for (;;) {
    const operatorStart = i;
    while (i < end && isOperatorChar(segment.charCodeAt(i))) i++;
    if (!OPERATORS.has(segment.slice(operatorStart, i))) return false;
    i = skipWhitespace(segment, i);
    const versionStart = i;
    while (i < end && isVersionChar(segment.charCodeAt(i))) i++;
    if (versionStart === i || !WHOLE_CV.test(segment.slice(versionStart, i))) return false;
    const gapStart = i;
    i = skipWhitespace(segment, i);
    if (i === end) return true;
    if (segment.charCodeAt(i) === COMMA) i = skipWhitespace(segment, i + 1);
    else if (i === gapStart) return false;
  }
}

const COMMA = 0x2c;

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** RE2's `\s`: tab, newline, form feed, carriage return, space. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isOperatorChar(code: number): boolean {
  return code === 0x3d || code === 0x21 || code === 0x3c || code === 0x3e || code === 0x7e || code === 0x5e;
}

function isVersionChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x7c ||
    code === 0x2a ||
    code === 0x2e ||
    code === 0x2b ||
    code === 0x2d
  );
}
