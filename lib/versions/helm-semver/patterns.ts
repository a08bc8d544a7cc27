/**
 * Masterminds/semver v3.5.0's constraint regexes (`constraints.go` `init()`, unchanged since v3.4.0), translated once
 * at load.
 *
 * Go's RE2 and JavaScript agree on what these match, submatches included: Go documents leftmost-first matching as
 * "the one a backtracking implementation would have chosen", which is what JavaScript does. Two translations keep
 * them equal: RE2's `\s` is ASCII `[\t\n\f\r ]` while JavaScript's also takes `\v`, NBSP and other Unicode spaces;
 * and no pattern here relies on a capture inside a repeated group (JavaScript resets those per iteration).
 */

/** RE2's `\s`. */
const WS = "[\\t\\n\\f\\r ]";

/** Go: `=||!=|>|<|>=|=>|<=|=<|~|~>|\^`, with its empty alternative, in Go's order (order decides what matches). */
const OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";

/** Go `cvRegex`, verbatim: 9 groups. 1 major, 2 `.minor`, 3 `.patch`, 4 `-prerelease`, 7 `+metadata`. */
const CV =
  "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?" +
  "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?" +
  "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";

/** Go `constraintRegex`: `^\s*(ops)\s*(cv)\s*$`. Groups: 1 operator, 2 version as written, 3–11 `CV`'s. */
export const CONSTRAINT = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);

/** Go `constraintRangeRegex`: `\s*(cv)\s+-\s+(cv)\s*`. Groups: 1 lower bound, 11 upper bound. */
export const CONSTRAINT_RANGE = new RegExp(`${WS}*(${CV})${WS}+-${WS}+(${CV})${WS}*`, "g");

/** Go `findConstraintRegex`: `(ops)\s*(cv)`, used with `FindAllString`. */
export const FIND_CONSTRAINT = new RegExp(`(${OPS})${WS}*(${CV})`, "g");

/** `cvRegex` anchored, to check that one run of version characters is a whole constraint version. */
export const WHOLE_CV = new RegExp(`^${CV}$`);

/**
 * Go `validConstraintRegex`: `^(\s*(ops)\s*(cv)\s*)((?:\s+|,\s*)(ops)\s*(cv)\s*)*$`. Not used to parse: its
 * whitespace runs can be split many ways, which a backtracking engine explores exponentially on a near-miss.
 * `matchesValidConstraint` in constraint.ts decides the same language in one pass; this literal translation is kept so
 * the tests can check the two agree.
 */
export const VALID_CONSTRAINT_REFERENCE = new RegExp(
  `^(${WS}*(${OPS})${WS}*(${CV})${WS}*)((?:${WS}+|,${WS}*)(${OPS})${WS}*(${CV})${WS}*)*$`,
);
