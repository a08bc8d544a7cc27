// Slipway's own cases: where npm semver and Helm disagree, and the limits Slipway adds. Every expectation below was
// confirmed against the real Masterminds/semver v3.4.0 and again, messages now quoted, against its master at 71f2b39
// (released as v3.5.0, pinned by Helm v3.21.4), built with Go 1.19.8 (except the length limits, which are Slipway's).

export interface OwnVersionCase {
  readonly version: string;
  /** Masterminds String(), or undefined when NewVersion fails. */
  readonly text?: string;
  readonly error?: string;
}

export const ownVersionCases: readonly OwnVersionCase[] = [
  // Four numeric parts are not a version to Helm (Masterminds issue #185).
  { version: "12.3.34.1234", error: "invalid semantic version" },
  // CalVer with leading zeros and a v: accepted since v3.4.0 restored coercion.
  { version: "v2021.08.23", text: "2021.8.23" },
  { version: "1.6", text: "1.6.0" },
  { version: "1", text: "1.0.0" },
  { version: "v1.2-beta+b1", text: "1.2.0-beta+b1" },
  { version: "18446744073709551615.0.0", text: "18446744073709551615.0.0" },
  {
    version: "18446744073709551616.0.0",
    error: 'error parsing version segment: strconv.ParseUint: parsing "18446744073709551616": value out of range',
  },
  {
    version: "1.18446744073709551616",
    error: 'error parsing version segment: strconv.ParseUint: parsing "18446744073709551616": value out of range',
  },
  { version: "1.2.3-01", error: "version segment starts with 0" },
  // Only a lowercase v, and no surrounding whitespace.
  { version: "V1.2.3", error: "invalid semantic version" },
  { version: " 1.2.3", error: "invalid semantic version" },
  { version: "", error: "invalid semantic version" },
];

export interface OwnCompareCase {
  readonly a: string;
  readonly b: string;
  readonly expected: -1 | 0 | 1;
}

export const ownCompareCases: readonly OwnCompareCase[] = [
  { a: "1.6", b: "1.5.6", expected: 1 },
  { a: "v2021.08.23", b: "2021.8.23", expected: 0 },
  // A prerelease part above uint64 is not a number to ParseUint, so it is text, and text ranks above numbers.
  { a: "1.0.0-rc.18446744073709551616", b: "1.0.0-rc.2", expected: 1 },
  { a: "1.0.0-alpha", b: "1.0.0-alpha.1", expected: -1 },
  { a: "1.0.0-1", b: "1.0.0-alpha", expected: -1 },
];

export interface OwnConstraintCase {
  readonly constraint: string;
  /** Masterminds String(), or undefined when NewConstraint fails. */
  readonly text?: string;
  readonly error?: string;
}

export const ownConstraintCases: readonly OwnConstraintCase[] = [
  // Helm substitutes "*" itself where a version may be omitted; NewConstraint("") is an error.
  { constraint: "", error: 'improper constraint: ""' },
  { constraint: "*", text: "*" },
  { constraint: "1.0.0 - 2.0.0, <=2.0.0", text: ">=1.0.0 <=2.0.0 <=2.0.0" },
  { constraint: "1 - 2 || 1 - 2", text: ">=1 <=2 || >=1 <=2" },
  { constraint: "=> 1.2, =< 2", text: "=>1.2 =<2" },
  { constraint: "~> 1.2", text: "~>1.2" },
  // Go's \s is [\t\n\f\r ]: a tab separates, a vertical tab or a no-break space does not.
  { constraint: ">=1.0\t<2", text: ">=1.0 <2" },
  { constraint: ">=1.0\v<2", error: 'improper constraint: ">=1.0\\v<2"' },
  { constraint: ">=1.0\u00a0<2", error: 'improper constraint: ">=1.0\\u00a0<2"' },
  { constraint: "12.3.34.1234", error: 'improper constraint: "12.3.34.1234"' },
  // The improper group is quoted as Go's %q does: `"` and `\` backslashed, control and other unprintable characters
  // escaped, printable non-ASCII kept. Only the group that failed is named.
  { constraint: '>=1.0 || "2.0"', error: 'improper constraint: " \\"2.0\\""' },
  { constraint: "C:\\charts\\1.0", error: 'improper constraint: "C:\\\\charts\\\\1.0"' },
  { constraint: "\u00001.0 ||\t\u0007 ", error: 'improper constraint: "\\x001.0 "' },
  { constraint: "1.0 || \u0007\u007f\u0085", error: 'improper constraint: " \\a\\x7f\\u0085"' },
  { constraint: "≥1.0 || 1.0\u200b", error: 'improper constraint: "≥1.0 "' },
  { constraint: "1.0\u200b", error: 'improper constraint: "1.0\\u200b"' },
  { constraint: "~1.0 ✓ ü 🚀 \u{e0001}", error: 'improper constraint: "~1.0 ✓ ü 🚀 \\U000e0001"' },
  // The regexes let these through; NewVersion then refuses the version.
  { constraint: "1.2.3-01", error: "constraint parser error" },
  { constraint: "1x.2", error: "constraint parser error" },
];

export interface OwnCheckCase {
  readonly constraint: string;
  readonly version: string;
  readonly check: boolean;
  /** Validate's reasons, when they are worth pinning. */
  readonly reasons?: readonly string[];
}

const PRERELEASE_REFUSED = "is a prerelease version and the constraint is only looking for release versions";

export const ownCheckCases: readonly OwnCheckCase[] = [
  { constraint: "1.0.0 - 2.0.0, <=2.0.0", version: "1.5.0", check: true },
  {
    constraint: "1.0.0 - 2.0.0, <=2.0.0",
    version: "2.0.1",
    check: false,
    reasons: ['"2.0.1" is greater than "2.0.0"', '"2.0.1" is greater than "2.0.0"'],
  },
  // A prerelease in any comparator of an AND group lets prereleases through the whole group.
  { constraint: ">=1.2.0-0 <2.0.0", version: "1.5.0-beta", check: true },
  {
    constraint: ">=1.2.0 <2.0.0",
    version: "1.5.0-beta",
    check: false,
    reasons: [`"1.5.0-beta" ${PRERELEASE_REFUSED}`],
  },
  // ...but only that group: the other OR group still refuses it.
  {
    constraint: ">=1.2.0 <2.0.0 || >=3.0.0-0",
    version: "1.5.0-beta",
    check: false,
    reasons: [`"1.5.0-beta" ${PRERELEASE_REFUSED}`, '"1.5.0-beta" is less than "3.0.0-0"'],
  },
  { constraint: "!=1.5.0", version: "1.5.0", check: false, reasons: ['"1.5.0" is equal to "1.5.0"'] },
  { constraint: "!=1.5.0", version: "1.5.1", check: true },
  // =< 2 is "major 2 or below", so 2.5.0 is in.
  { constraint: "=> 1.2, =< 2", version: "2.5.0", check: true },
  { constraint: "=> 1.2, =< 2", version: "3.0.0", check: false, reasons: ['"3.0.0" is greater than "2"'] },
  { constraint: "^1.0.0 || ^2.0.0", version: "2.3.0", check: true },
  { constraint: "~1.1-alpha", version: "1.1.5-beta", check: true },
  {
    constraint: "~1.1-alpha",
    version: "1.2.0",
    check: false,
    reasons: ['"1.2.0" does not have same major and minor version as "1.1-alpha"'],
  },
  { constraint: "*-0", version: "0.0.1-alpha", check: true },
  { constraint: "*", version: "0.0.1-alpha", check: false },
  { constraint: "~0.0.0", version: "12.0.0", check: true },
  { constraint: "1.6", version: "1.6.9", check: true },
  { constraint: "v2021.08.x", version: "2021.8.23", check: true },
  { constraint: ">=v2021.08.01", version: "v2021.08.23", check: true },
  { constraint: "~> 1.2", version: "1.2.9", check: true },
  { constraint: "~> 1.2", version: "1.3.0", check: false },
];

export interface MaxSatisfyingCase {
  readonly constraint: string;
  readonly expected: string | undefined;
}

/** An index as a registry might publish it, unsorted, in several spellings. */
export const maxSatisfyingIndex: readonly string[] = [
  "1.0.0",
  "v1.2.0",
  "1.10.1",
  "1.3.0-beta.2",
  "2.0.0-rc.1",
  "1.9",
  "2.0.0",
  "0.9.0",
  "v2021.08.23",
  "1.10.1+build.7",
];

export const maxSatisfyingCases: readonly MaxSatisfyingCase[] = [
  { constraint: "^1.0.0", expected: "1.10.1" },
  { constraint: "~1.2", expected: "v1.2.0" },
  { constraint: ">=1.2.0-0 <1.4.0", expected: "1.3.0-beta.2" },
  { constraint: ">=1.2.0 <1.4.0", expected: "v1.2.0" },
  { constraint: "<2.0.0", expected: "1.10.1" },
  { constraint: "<2.0.0-0 || 2.0.0-rc.1", expected: "2.0.0-rc.1" },
  { constraint: "2021.x", expected: "v2021.08.23" },
  { constraint: "~3", expected: undefined },
];

export interface GoQuoteCase {
  readonly text: string;
  /** Go's `strconv.Quote(text)`, which is what `%q` prints. */
  readonly quoted: string;
}

/** Recorded from Go 1.19.8's `strconv.Quote`. The escapes here are TypeScript's; `quoted` holds Go's backslashes. */
export const goQuoteCases: readonly GoQuoteCase[] = [
  { text: "", quoted: '""' },
  { text: "1.2.3", quoted: '"1.2.3"' },
  { text: ">= 1.0, < 2", quoted: '">= 1.0, < 2"' },
  { text: "%q %s", quoted: '"%q %s"' },
  { text: 'say "hi"', quoted: '"say \\"hi\\""' },
  { text: "back\\slash", quoted: '"back\\\\slash"' },
  { text: "'single'", quoted: "\"'single'\"" },
  { text: "\x07\b\f\n\r\t\v", quoted: '"\\a\\b\\f\\n\\r\\t\\v"' },
  { text: "\x00\x1b\x7f", quoted: '"\\x00\\x1b\\x7f"' },
  // C1 control, no-break space, soft hyphen: not printable to Go, escaped although Latin-1.
  { text: "\u0085\u00a0\u00ad", quoted: '"\\u0085\\u00a0\\u00ad"' },
  { text: "é ü ñ ß", quoted: '"é ü ñ ß"' },
  { text: "日本語", quoted: '"日本語"' },
  { text: "≥1.0 ✓", quoted: '"≥1.0 ✓"' },
  { text: "🚀😀", quoted: '"🚀😀"' },
  // A combining mark is printable.
  { text: "e\u0301", quoted: '"e\u0301"' },
  // Zero-width space, line separator, ideographic space, BOM; private use; unassigned; astral format, noncharacter.
  { text: "\u200b\u2028\u3000\ufeff", quoted: '"\\u200b\\u2028\\u3000\\ufeff"' },
  { text: "\ue000", quoted: '"\\ue000"' },
  { text: "\u0378", quoted: '"\\u0378"' },
  { text: "\u{e0001}\u{10ffff}", quoted: '"\\U000e0001\\U0010ffff"' },
  { text: "\ufffd", quoted: '"\ufffd"' },
];
