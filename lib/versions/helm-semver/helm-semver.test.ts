import { describe, expect, it } from "vitest";
import { isX, parseComparator } from "./comparator";
import { matchesValidConstraint, rewriteRange } from "./constraint";
import { goQuote } from "./go-quote";
import {
  compareHelmVersions,
  HELM_CONSTRAINT_MAX_LENGTH,
  HELM_CONSTRAINT_TOO_LONG,
  HELM_VERSION_ERRORS,
  HELM_VERSION_MAX_LENGTH,
  helmVersionsEqual,
  maxSatisfying,
  parseHelmConstraint,
  parseHelmVersion,
  parseHelmVersionOrError,
  sortHelmVersions,
  type HelmConstraint,
  type HelmVersion,
} from "./index";
import * as operators from "./operators";
import { VALID_CONSTRAINT_REFERENCE } from "./patterns";
import goRecorded from "./testdata/go-recorded-cases.json";
import * as mc from "./testdata/masterminds-constraint-cases";
import * as mv from "./testdata/masterminds-version-cases";
import * as own from "./testdata/slipway-cases";
import { validateMetadata, validatePrerelease } from "./version";

function version(text: string): HelmVersion {
  const parsed = parseHelmVersionOrError(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return parsed.version;
}

function constraint(text: string, includePrerelease = false): HelmConstraint {
  const parsed = parseHelmConstraint(text, { includePrerelease });
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return parsed.constraint;
}

/** Go's error variables, by name, as their messages. */
const GO_ERRORS: Readonly<Record<string, string>> = {
  ErrSegmentStartsZero: HELM_VERSION_ERRORS.segmentStartsZero,
  ErrInvalidPrerelease: HELM_VERSION_ERRORS.invalidPrerelease,
  ErrInvalidMetadata: HELM_VERSION_ERRORS.invalidMetadata,
};

describe("Masterminds version_test.go / collection_test.go (master 71f2b39, released as v3.5.0)", () => {
  it.each(mv.newVersionCases)("TestNewVersion: $version (err: $err)", ({ version: text, err }) => {
    expect(parseHelmVersionOrError(text).ok).toBe(!err);
  });

  it.each(mv.originalCases)("TestOriginal: %s", (text) => {
    expect(version(text).original).toBe(text);
  });

  it("TestParts", () => {
    const { version: text, ...parts } = mv.partsCase;
    expect(version(text)).toMatchObject(parts);
  });

  it.each(mv.coerceStringCases)("TestCoerceString: $version → $expected", ({ version: text, expected }) => {
    expect(version(text).text).toBe(expected);
  });

  it.each(mv.compareCases)("TestCompare: $v1 vs $v2 → $expected", ({ v1, v2, expected }) => {
    expect(compareHelmVersions(version(v1), version(v2))).toBe(expected);
  });

  it.each(mv.lessThanCases)("TestLessThan: $v1 < $v2 is $expected", ({ v1, v2, expected }) => {
    expect(compareHelmVersions(version(v1), version(v2)) < 0).toBe(expected);
  });

  it.each(mv.lessThanEqualCases)("TestLessThanEqual: $v1 <= $v2 is $expected", ({ v1, v2, expected }) => {
    expect(compareHelmVersions(version(v1), version(v2)) <= 0).toBe(expected);
  });

  it.each(mv.greaterThanCases)("TestGreaterThan: $v1 > $v2 is $expected", ({ v1, v2, expected }) => {
    expect(compareHelmVersions(version(v1), version(v2)) > 0).toBe(expected);
  });

  it.each(mv.greaterThanEqualCases)("TestGreaterThanEqual: $v1 >= $v2 is $expected", ({ v1, v2, expected }) => {
    expect(compareHelmVersions(version(v1), version(v2)) >= 0).toBe(expected);
  });

  it.each(mv.equalCases)("TestEqual: $v1 == $v2 is $expected", ({ v1, v2, expected }) => {
    const a = v1 === null ? undefined : version(v1);
    const b = v2 === null ? undefined : version(v2);
    expect(helmVersionsEqual(a, b)).toBe(expected);
  });

  it.each(mv.validatePrereleaseCases)("TestValidatePrerelease: $pre → $expected", ({ pre, expected }) => {
    expect(validatePrerelease(pre)).toBe(expected === null ? undefined : GO_ERRORS[expected]);
  });

  it.each(mv.validateMetadataCases)("TestValidateMetadata: $meta → $expected", ({ meta, expected }) => {
    expect(validateMetadata(meta)).toBe(expected === null ? undefined : GO_ERRORS[expected]);
  });

  it("TestCollection", () => {
    const sorted = sortHelmVersions(mv.collectionCase.raw.map(version));
    expect(sorted.map((v) => v.text)).toEqual(mv.collectionCase.expected);
  });

  it.each(mv.fuzzNewVersionSeeds)("FuzzNewVersion seed %j does not throw", (text) => {
    expect(() => parseHelmVersionOrError(text)).not.toThrow();
  });
});

describe("Masterminds constraints_test.go (master 71f2b39, released as v3.5.0)", () => {
  const { FAILURE, OPERATOR_CHECKS } = operators;
  const byGoName = operators as unknown as Readonly<Record<string, operators.OperatorCheck>>;

  it.each(mc.parseConstraintCases)("TestParseConstraint: $in", ({ in: text, f, v, err }) => {
    const parsed = parseComparator(text);
    expect(parsed.ok).toBe(!err);
    if (!parsed.ok || f === null) return;
    expect(parsed.comparator.version.text).toBe(v);
    expect(OPERATOR_CHECKS[parsed.comparator.operator]).toBe(byGoName[f]);
  });

  it.each(mc.constraintCheckCases)("TestConstraintCheck: $constraint, $version → $check", (c) => {
    const parsed = parseComparator(c.constraint);
    if (!parsed.ok) throw new Error(parsed.message);
    const comparator = parsed.comparator;
    const hasPre = comparator.version.prerelease !== "";
    const failure = OPERATOR_CHECKS[comparator.operator](version(c.version), comparator, hasPre);
    expect(failure === FAILURE.none).toBe(c.check);
  });

  it.each(mc.newConstraintCases)("TestNewConstraint: $input", ({ input, ors, count, err }) => {
    const parsed = parseHelmConstraint(input);
    expect(parsed.ok).toBe(!err);
    if (!parsed.ok || err) return;
    expect(parsed.constraint.groups).toHaveLength(ors);
    expect(parsed.constraint.groups[0]).toHaveLength(count);
  });

  it.each(mc.constraintsCheckCases)("TestConstraintsCheck: $constraint, $version → $check", (c) => {
    expect(constraint(c.constraint).check(version(c.version))).toBe(c.check);
  });

  it.each(mc.constraintsCheckIncludePrereleaseCases)(
    "TestConstraintsCheckIncludePrerelease: $constraint, $version → $check",
    (c) => {
      expect(constraint(c.constraint, true).check(version(c.version))).toBe(c.check);
    },
  );

  it.each(mc.rewriteRangeCases)("TestRewriteRange: $c", ({ c, nc }) => {
    expect(rewriteRange(c)).toBe(nc);
  });

  it.each(mc.isXCases)("TestIsX: $t → $c", ({ t, c }) => {
    expect(isX(t)).toBe(c);
  });

  it.each(mc.constraintsValidateCases)("TestConstraintsValidate: $constraint, $version → $check", (c) => {
    const result = constraint(c.constraint).validate(version(c.version));
    expect(result.satisfied).toBe(c.check);
    if (!c.check) expect(result.reasons.length).toBeGreaterThan(0);
  });

  it("TestConstraintsValidate: reasons in order", () => {
    const { constraint: text, version: v, reasons } = mc.constraintsValidateReasonsCase;
    expect(constraint(text).validate(version(v)).reasons).toEqual(reasons);
  });

  it.each(mc.constraintsValidateMessageCases)("TestConstraintsValidate: $constraint, $version says $msg", (c) => {
    expect(constraint(c.constraint).validate(version(c.version)).reasons[0]).toBe(c.msg);
  });

  it.each(mc.constraintsValidateIncludePrereleaseCases)(
    "TestConstraintsValidateIncludePrerelease: $constraint, $version → $check",
    (c) => {
      const result = constraint(c.constraint, true).validate(version(c.version));
      expect(result.satisfied).toBe(c.check);
      if (!c.check) expect(result.reasons.length).toBeGreaterThan(0);
    },
  );

  it("TestConstraintsValidateIncludePrerelease: reasons in order", () => {
    const { constraint: text, version: v, reasons } = mc.constraintsValidateIncludePrereleaseReasonsCase;
    expect(constraint(text, true).validate(version(v)).reasons).toEqual(reasons);
  });

  it.each(mc.constraintsValidateIncludePrereleaseMessageCases)(
    "TestConstraintsValidateIncludePrerelease: $constraint, $version says $msg",
    (c) => {
      expect(constraint(c.constraint, true).validate(version(c.version)).reasons[0]).toBe(c.msg);
    },
  );

  it.each(mc.constraintStringCases)("TestConstraintString: $constraint → $st", ({ constraint: text, st }) => {
    const parsed = constraint(text);
    expect(parsed.text).toBe(st);
    expect(parseHelmConstraint(parsed.text).ok).toBe(true);
  });

  it.each(mc.textMarshalConstraintCases)("TestTextMarshalConstraints: $constraint → $want", (c) => {
    expect(constraint(c.constraint).text).toBe(c.want);
  });

  it.each(mc.textUnmarshalConstraintCases)("TestTextUnmarshalConstraints: $constraint → $want", (c) => {
    expect(constraint(c.constraint).text).toBe(c.want);
  });

  it.each(mc.fuzzNewConstraintSeeds)("FuzzNewConstraint seed %j does not throw", (text) => {
    expect(() => parseHelmConstraint(text)).not.toThrow();
  });
});

describe("Slipway's own cases", () => {
  it.each(own.ownVersionCases)("parses $version as Helm does", ({ version: text, text: canonical, error }) => {
    const parsed = parseHelmVersionOrError(text);
    if (error !== undefined) {
      expect(parsed).toEqual({ ok: false, message: error });
      expect(parseHelmVersion(text)).toBeUndefined();
    } else {
      expect(parsed.ok && parsed.version.text).toBe(canonical);
      expect(parsed.ok && parsed.version.original).toBe(text);
    }
  });

  it("keeps the spelling of v2021.08.23 and reads its parts as numbers", () => {
    expect(parseHelmVersion("v2021.08.23")).toEqual({
      major: 2021n,
      minor: 8n,
      patch: 23n,
      prerelease: "",
      metadata: "",
      original: "v2021.08.23",
      text: "2021.8.23",
    });
  });

  it.each(own.ownCompareCases)("compares $a with $b as $expected", ({ a, b, expected }) => {
    expect(compareHelmVersions(version(a), version(b))).toBe(expected);
    expect(compareHelmVersions(version(b), version(a))).toBe(-expected || 0);
  });

  it.each(own.ownConstraintCases)("parses constraint $constraint as Helm does", ({ constraint: text, ...expected }) => {
    const parsed = parseHelmConstraint(text);
    if (expected.error !== undefined) expect(parsed).toEqual({ ok: false, message: expected.error });
    else expect(parsed.ok && parsed.constraint.text).toBe(expected.text);
  });

  it("reads a hyphen range anded with another comparator as three comparators", () => {
    const parsed = constraint("1.0.0 - 2.0.0, <=2.0.0");
    expect(parsed.groups.map((group) => group.map((c) => `${c.operator}${c.original}`))).toEqual([
      [">=1.0.0", "<=2.0.0", "<=2.0.0"],
    ]);
    expect(parsed.original).toBe("1.0.0 - 2.0.0, <=2.0.0");
  });

  it.each(own.ownCheckCases)("checks $version against $constraint → $check", (c) => {
    const parsed = constraint(c.constraint);
    expect(parsed.check(version(c.version))).toBe(c.check);
    const validation = parsed.validate(version(c.version));
    expect(validation.satisfied).toBe(c.check);
    if (c.reasons) expect(validation.reasons).toEqual(c.reasons);
  });

  it.each(own.maxSatisfyingCases)("resolves $constraint to $expected", ({ constraint: text, expected }) => {
    const index = own.maxSatisfyingIndex.map(version);
    expect(maxSatisfying(constraint(text), index)?.original).toBe(expected);
  });

  it("sorts an index ascending, prereleases below their release, metadata ignored", () => {
    const sorted = sortHelmVersions(own.maxSatisfyingIndex.map(version)).map((v) => v.original);
    expect(sorted).toEqual([
      "0.9.0",
      "1.0.0",
      "v1.2.0",
      "1.3.0-beta.2",
      "1.9",
      "1.10.1",
      "1.10.1+build.7",
      "2.0.0-rc.1",
      "2.0.0",
      "v2021.08.23",
    ]);
  });

  it("bounds the length of untrusted text", () => {
    const longest = `1.0.0-${"a".repeat(HELM_VERSION_MAX_LENGTH - 6)}`;
    expect(parseHelmVersion(longest)?.prerelease).toHaveLength(HELM_VERSION_MAX_LENGTH - 6);
    expect(parseHelmVersionOrError(`${longest}a`)).toEqual({ ok: false, message: HELM_VERSION_ERRORS.tooLong });
    const wide = `>=${" ".repeat(HELM_CONSTRAINT_MAX_LENGTH - 7)}1.0.0`;
    expect(parseHelmConstraint(wide).ok).toBe(true);
    expect(parseHelmConstraint(`${wide} `)).toEqual({ ok: false, message: HELM_CONSTRAINT_TOO_LONG });
    // A version inside a constraint is bounded by the constraint's limit only, as Go takes it (checked against Go).
    const longPrerelease = constraint(`>=1.0.0-${"a".repeat(300)}`);
    expect(longPrerelease.groups[0]?.[0]?.version.prerelease).toHaveLength(300);
    expect(longPrerelease.check(version("1.0.0"))).toBe(true);
  });

  it.each([
    ["spaces between comparators", `1${" ".repeat(HELM_CONSTRAINT_MAX_LENGTH - 3)}!`],
    ["many comparators with doubled spaces", `${"1  ".repeat(Math.floor(HELM_CONSTRAINT_MAX_LENGTH / 3) - 1)}1!`],
    ["a hyphen-less range", `1-${"a-".repeat(Math.floor(HELM_CONSTRAINT_MAX_LENGTH / 2) - 2)}!`],
    ["operators and spaces", `${">= ".repeat(Math.floor(HELM_CONSTRAINT_MAX_LENGTH / 3) - 1)}1`],
    ["dotted identifiers", `1.${"1.".repeat(Math.floor(HELM_CONSTRAINT_MAX_LENGTH / 2) - 2)} -`],
  ])("rejects hostile input quickly: %s", (_name, text) => {
    const started = performance.now();
    expect(parseHelmConstraint(text).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe("goQuote: Go's strconv.Quote, as %q prints a string", () => {
  it.each(own.goQuoteCases)("quotes $text as $quoted", ({ text, quoted }) => {
    expect(goQuote(text)).toBe(quoted);
  });

  it("reads a lone surrogate as U+FFFD, as a UTF-8 encoder hands it to Go", () => {
    expect(goQuote("a\ud800b\udc00")).toBe('"a\ufffdb\ufffd"');
  });
});

describe("recorded from the Go library (testdata/go-recorded-cases.json)", () => {
  it.each(goRecorded.versions)("NewVersion($version)", (c) => {
    const parsed = parseHelmVersionOrError(c.version);
    if ("error" in c) {
      expect(parsed).toEqual({ ok: false, message: c.error });
      return;
    }
    if (!parsed.ok) throw new Error(parsed.message);
    const v = parsed.version;
    expect([v.text, `${v.major}`, `${v.minor}`, `${v.patch}`, v.prerelease, v.metadata]).toEqual([
      c.text,
      c.major,
      c.minor,
      c.patch,
      c.prerelease,
      c.metadata,
    ]);
  });

  it.each(goRecorded.constraints)("NewConstraint($constraint)", (c) => {
    expect(rewriteRange(c.constraint)).toBe(c.rewritten);
    const parsed = parseHelmConstraint(c.constraint);
    if ("error" in c) expect(parsed).toEqual({ ok: false, message: c.error });
    else expect(parsed.ok && parsed.constraint.text).toBe(c.text);
  });

  it.each(goRecorded.checks)("Check($constraint, $version) is $check", (c) => {
    const parsed = constraint(c.constraint);
    expect(parsed.check(version(c.version))).toBe(c.check);
    expect(parsed.validate(version(c.version))).toEqual({ satisfied: c.check, reasons: c.reasons });
  });

  it.each(goRecorded.compares)("Compare($a, $b) is $compare", ({ a, b, compare }) => {
    expect(compareHelmVersions(version(a), version(b))).toBe(compare);
  });
});

describe("the one-pass validConstraintRegex", () => {
  it("agrees with the regex on every short string over the characters that matter", () => {
    // Deterministic PRNG (mulberry32): the same strings on every run.
    let seed = 20250627;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = [..."10.x*-+va ,|=><!~^", "\t", "\v"];
    let disagreements = 0;
    let matched = 0;
    for (let n = 0; n < 40_000; n++) {
      let text = "";
      const length = Math.floor(random() * 11);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = VALID_CONSTRAINT_REFERENCE.test(text);
      if (expected) matched++;
      if (matchesValidConstraint(text) !== expected) disagreements++;
    }
    expect(disagreements).toBe(0);
    expect(matched).toBeGreaterThan(1_000);
  });
});
