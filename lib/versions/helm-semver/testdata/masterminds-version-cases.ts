// Masterminds/semver's own table-driven tests, copied case for case from
// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4).
// The mirror has no v3.5.0 tag; its HEAD, 71f2b39, is what v3.5.0 released. Inputs and expectations are verbatim,
// comments kept, checked table by table against `git show 71f2b39:<file>`.
// Against v3.4.0 this adds two TestNewVersion cases: a prerelease identifier starting with 0 is fine as text
// (`-0abc123`), not as a number (`-beta.01`). (HEAD adds them to TestStrictNewVersion and to TestNewVersion's
// "Without loose NewVersion" too, both left out below.)
//
// Left out from version_test.go, as they do not apply to how Helm uses the library:
// - TestStrictNewVersion: StrictNewVersion only; chart versions and constraints go through NewVersion.
// - TestNewVersion "Without loose NewVersion" and TestNewVersionCheckError: run with CoerceNewVersion = false,
//   which Helm never sets (it keeps the default, true: leading zeros are coerced).
// - TestNew, TestInc, TestIncPatchOverflow, TestIncMinorOverflow, TestIncMajorOverflow, TestSetPrerelease,
//   TestSetMetadata, TestOriginalVPrefix: constructors and mutators Slipway does not port (it only parses, compares
//   and matches).
// - TestJsonMarshal, TestJsonUnmarshal, TestTextMarshal, TestTextUnmarshal, TestSQLScanner, TestDriverValuer:
//   Go encoding interfaces.
// - FuzzStrictNewVersion: StrictNewVersion only. (FuzzNewVersion's seed corpus is kept, as a must-not-throw check.)
// From collection_test.go nothing is left out; benchmark_test.go has benchmarks only.

export interface ParseCase {
  readonly version: string;
  readonly err: boolean;
}

export interface CoerceStringCase {
  readonly version: string;
  readonly expected: string;
}

export interface CompareCase {
  readonly v1: string;
  readonly v2: string;
  readonly expected: number;
}

export interface BooleanCompareCase {
  readonly v1: string;
  readonly v2: string;
  readonly expected: boolean;
}

/** `null` stands for Go's nil *Version. */
export interface EqualCase {
  readonly v1: string | null;
  readonly v2: string | null;
  readonly expected: boolean;
}

/** `expected` names the Go error variable, or is null for no error. */
export interface ValidatePrereleaseCase {
  readonly pre: string;
  readonly expected: string | null;
}

export interface ValidateMetadataCase {
  readonly meta: string;
  readonly expected: string | null;
}

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestNewVersion,
// subtest "With loose NewVersion" (NewVersion with Helm's defaults).
export const newVersionCases: readonly ParseCase[] = [
  { version: "1.2.3", err: false },
  { version: "1.2.3-alpha.01", err: true },
  { version: "1.2.3+test.01", err: false },
  { version: "1.2.3-alpha.-1", err: false },
  { version: "v1.2.3", err: false },
  { version: "1.0", err: false },
  { version: "v1.0", err: false },
  { version: "1", err: false },
  { version: "v1", err: false },
  { version: "1.2.beta", err: true },
  { version: "v1.2.beta", err: true },
  { version: "foo", err: true },
  { version: "1.2-5", err: false },
  { version: "v1.2-5", err: false },
  { version: "1.2-beta.5", err: false },
  { version: "v1.2-beta.5", err: false },
  { version: "\n1.2", err: true },
  { version: "\nv1.2", err: true },
  { version: "1.2.0-x.Y.0+metadata", err: false },
  { version: "v1.2.0-x.Y.0+metadata", err: false },
  { version: "1.2.0-x.Y.0+metadata-width-hypen", err: false },
  { version: "v1.2.0-x.Y.0+metadata-width-hypen", err: false },
  { version: "1.2.3-rc1-with-hypen", err: false },
  { version: "v1.2.3-rc1-with-hypen", err: false },
  { version: "1.2.3-0abc123", err: false }, // string pre-releases can start with 0
  { version: "1.2.3-beta.01", err: true }, // number segment cannot start with 0
  { version: "1.2.3.4", err: true },
  { version: "v1.2.3.4", err: true },
  { version: "1.2.2147483648", err: false },
  { version: "1.2147483648.3", err: false },
  { version: "2147483648.3.0", err: false },

  // Due to having 4 parts these should produce an error. See
  // https://github.com/Masterminds/semver/issues/185 for the reason for
  // these tests.
  { version: "12.3.4.1234", err: true },
  { version: "12.23.4.1234", err: true },
  { version: "12.3.34.1234", err: true },

  // The SemVer spec in a pre-release expects to allow [0-9A-Za-z-].
  { version: "20221209-update-renovatejson-v4", err: false },

  // Various cases that are invalid semver
  // A leading . in build metadata. This would signify that the first segment is empty
  {
    version: "1.1.2+.123",
    err: true,
  },
  { version: "1.0.0-alpha_beta", err: true }, // An underscore in the pre-release is an invalid character
  { version: "1.0.0-alpha..", err: true }, // Multiple empty segments
  { version: "1.0.0-alpha..1", err: true }, // Multiple empty segments but one with a value
  { version: "9.8.7+meta+meta", err: true }, // Multiple metadata parts
  // Leading 0 in a number part of a pre-release segment
  {
    version: "1.2.31----RC-SNAPSHOT.12.09.1--.12+788",
    err: true,
  },

  // Versions that are invalid but in loose mode are handled.
  // This enables a calver-ish style. This pattern has long
  // been supported by this package even though it technically
  // breaks from semver. Tools built on this allow it.
  { version: "01.1.1", err: false }, // A leading 0 on a number segment
  { version: "1.01.1", err: false }, // A leading 0 on a number segment
  { version: "1.1.01", err: false }, // A leading 0 on a number segment
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestOriginal:
// Original() returns the text as given.
export const originalCases: readonly string[] = [
  "1.2.3",
  "v1.2.3",
  "1.0",
  "v1.0",
  "1",
  "v1",
  "1.2-5",
  "v1.2-5",
  "1.2-beta.5",
  "v1.2-beta.5",
  "1.2.0-x.Y.0+metadata",
  "v1.2.0-x.Y.0+metadata",
  "1.2.0-x.Y.0+metadata-width-hypen",
  "v1.2.0-x.Y.0+metadata-width-hypen",
  "1.2.3-rc1-with-hypen",
  "v1.2.3-rc1-with-hypen",
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestParts (a single
// case, written out as data).
export const partsCase = {
  version: "1.2.3-beta.1+build.123",
  major: 1n,
  minor: 2n,
  patch: 3n,
  prerelease: "beta.1",
  metadata: "build.123",
} as const;

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestCoerceString:
// String() of NewVersion.
export const coerceStringCases: readonly CoerceStringCase[] = [
  { version: "1.2.3", expected: "1.2.3" },
  { version: "v1.2.3", expected: "1.2.3" },
  { version: "1.0", expected: "1.0.0" },
  { version: "v1.0", expected: "1.0.0" },
  { version: "1", expected: "1.0.0" },
  { version: "v1", expected: "1.0.0" },
  { version: "1.2-5", expected: "1.2.0-5" },
  { version: "v1.2-5", expected: "1.2.0-5" },
  { version: "1.2-beta.5", expected: "1.2.0-beta.5" },
  { version: "v1.2-beta.5", expected: "1.2.0-beta.5" },
  { version: "1.2.0-x.Y.0+metadata", expected: "1.2.0-x.Y.0+metadata" },
  { version: "v1.2.0-x.Y.0+metadata", expected: "1.2.0-x.Y.0+metadata" },
  { version: "1.2.0-x.Y.0+metadata-width-hypen", expected: "1.2.0-x.Y.0+metadata-width-hypen" },
  { version: "v1.2.0-x.Y.0+metadata-width-hypen", expected: "1.2.0-x.Y.0+metadata-width-hypen" },
  { version: "1.2.3-rc1-with-hypen", expected: "1.2.3-rc1-with-hypen" },
  { version: "v1.2.3-rc1-with-hypen", expected: "1.2.3-rc1-with-hypen" },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestCompare.
export const compareCases: readonly CompareCase[] = [
  { v1: "1.2.3", v2: "1.5.1", expected: -1 },
  { v1: "2.2.3", v2: "1.5.1", expected: 1 },
  { v1: "2.2.3", v2: "2.2.2", expected: 1 },
  { v1: "3.2-beta", v2: "3.2-beta", expected: 0 },
  { v1: "1.3", v2: "1.1.4", expected: 1 },
  { v1: "4.2", v2: "4.2-beta", expected: 1 },
  { v1: "4.2-beta", v2: "4.2", expected: -1 },
  { v1: "4.2-alpha", v2: "4.2-beta", expected: -1 },
  { v1: "4.2-alpha", v2: "4.2-alpha", expected: 0 },
  { v1: "4.2-beta.2", v2: "4.2-beta.1", expected: 1 },
  { v1: "4.2-beta2", v2: "4.2-beta1", expected: 1 },
  { v1: "4.2-beta", v2: "4.2-beta.2", expected: -1 },
  { v1: "4.2-beta", v2: "4.2-beta.foo", expected: -1 },
  { v1: "4.2-beta.2", v2: "4.2-beta", expected: 1 },
  { v1: "4.2-beta.foo", v2: "4.2-beta", expected: 1 },
  { v1: "1.2+bar", v2: "1.2+baz", expected: 0 },
  { v1: "1.0.0-beta.4", v2: "1.0.0-beta.-2", expected: -1 },
  { v1: "1.0.0-beta.-2", v2: "1.0.0-beta.-3", expected: -1 },
  { v1: "1.0.0-beta.-3", v2: "1.0.0-beta.5", expected: 1 },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestLessThan.
export const lessThanCases: readonly BooleanCompareCase[] = [
  { v1: "1.2.3", v2: "1.5.1", expected: true },
  { v1: "2.2.3", v2: "1.5.1", expected: false },
  { v1: "3.2-beta", v2: "3.2-beta", expected: false },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestLessThanEqual.
export const lessThanEqualCases: readonly BooleanCompareCase[] = [
  { v1: "1.2.3", v2: "1.5.1", expected: true },
  { v1: "2.2.3", v2: "1.5.1", expected: false },
  { v1: "1.5.1", v2: "1.5.1", expected: true },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestGreaterThan.
export const greaterThanCases: readonly BooleanCompareCase[] = [
  { v1: "1.2.3", v2: "1.5.1", expected: false },
  { v1: "2.2.3", v2: "1.5.1", expected: true },
  { v1: "3.2-beta", v2: "3.2-beta", expected: false },
  { v1: "3.2.0-beta.1", v2: "3.2.0-beta.5", expected: false },
  { v1: "3.2-beta.4", v2: "3.2-beta.2", expected: true },
  { v1: "7.43.0-SNAPSHOT.99", v2: "7.43.0-SNAPSHOT.103", expected: false },
  { v1: "7.43.0-SNAPSHOT.FOO", v2: "7.43.0-SNAPSHOT.103", expected: true },
  { v1: "7.43.0-SNAPSHOT.99", v2: "7.43.0-SNAPSHOT.BAR", expected: false },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go,
// TestGreaterThanEqual.
export const greaterThanEqualCases: readonly BooleanCompareCase[] = [
  { v1: "1.2.3", v2: "1.5.1", expected: false },
  { v1: "2.2.3", v2: "1.5.1", expected: true },
  { v1: "1.5.1", v2: "1.5.1", expected: true },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, TestEqual
// (MustParse(x) written as x, nil as null).
export const equalCases: readonly EqualCase[] = [
  { v1: "1.2.3", v2: "1.5.1", expected: false },
  { v1: "2.2.3", v2: "1.5.1", expected: false },
  { v1: "3.2-beta", v2: "3.2-beta", expected: true },
  { v1: "3.2-beta+foo", v2: "3.2-beta+bar", expected: true },
  { v1: null, v2: null, expected: true },
  { v1: null, v2: "1.2.3", expected: false },
  { v1: "1.2.3", v2: null, expected: false },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go,
// TestValidatePrerelease.
export const validatePrereleaseCases: readonly ValidatePrereleaseCase[] = [
  { pre: "foo", expected: null },
  { pre: "alpha.1", expected: null },
  { pre: "alpha.01", expected: "ErrSegmentStartsZero" },
  { pre: "foo☃︎", expected: "ErrInvalidPrerelease" },
  { pre: "alpha.0-1", expected: null },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go,
// TestValidateMetadata.
export const validateMetadataCases: readonly ValidateMetadataCase[] = [
  { meta: "foo", expected: null },
  { meta: "alpha.1", expected: null },
  { meta: "alpha.01", expected: null },
  { meta: "foo☃︎", expected: "ErrInvalidMetadata" },
  { meta: "alpha.0-1", expected: null },
  { meta: "al-pha.1Phe70CgWe050H9K1mJwRUqTNQXZRERwLOEg37wpXUb4JgzgaD5YkL52ABnoyiE", expected: null },
];

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), collection_test.go, TestCollection:
// sort.Sort(Collection(raw)), then String() of each.
export const collectionCase = {
  raw: ["1.2.3", "1.0", "1.3", "2", "0.4.2"],
  expected: ["0.4.2", "1.0.0", "1.2.3", "1.3.0", "2.0.0"],
} as const;

// Masterminds/semver master 71f2b39 (released as v3.5.0, pinned by Helm v3.21.4), version_test.go, FuzzNewVersion seed
// corpus: NewVersion must not panic (here: throw).
export const fuzzNewVersionSeeds: readonly string[] = [
  "v1.2.3",
  " ",
  "......",
  "1",
  "1.2.3-beta.1",
  "1.2.3+foo",
  "2.3.4-alpha.1+bar",
  "lorem ipsum",
];
