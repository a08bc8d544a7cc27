/**
 * Helm 3's semver: Masterminds/semver v3.5.0 as pinned by Helm v3.21.4, ported from its source (Masterminds master at
 * 71f2b39, which v3.5.0 released) so Slipway parses chart versions and dependency constraints, orders versions and
 * picks the version a constraint resolves to exactly as `helm` does. v3.5.0 parses, compares and matches as v3.4.0
 * (pinned by Helm up to v3.21.0) did; it differs in its error messages, which quote versions and constraints (`%q`).
 */
export {
  compareHelmVersions,
  helmVersionsEqual,
  HELM_VERSION_ERRORS,
  parseHelmVersion,
  parseHelmVersionOrError,
  sortHelmVersions,
  type HelmVersion,
  type HelmVersionParseResult,
} from "./version";
export {
  HELM_CONSTRAINT_TOO_LONG,
  maxSatisfying,
  parseHelmConstraint,
  type HelmConstraint,
  type HelmConstraintOptions,
  type HelmConstraintParseResult,
  type HelmConstraintValidation,
} from "./constraint";
export type { HelmComparator, HelmOperator } from "./operators";
export { HELM_CONSTRAINT_MAX_LENGTH, HELM_VERSION_MAX_LENGTH } from "./limits";
