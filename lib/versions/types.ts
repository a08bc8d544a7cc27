export type VersionStatusKind =
  | "current" // running the latest
  | "behind" // a few releases behind (patch/minor)
  | "far-behind" // a major behind, or many releases / days behind
  | "ahead" // running a version newer than the registry's latest (a prerelease, a yanked release)
  | "not-in-registry" // the running version, or the chart, is not published
  | "vendored" // the chart lives in the stack repository (file:// or charts/): there is no registry to compare with
  | "unparseable" // the running version is not semver
  | "unknown"; // the registry could not be reached: nothing is known about what it publishes

export type SemverStep = "patch" | "minor" | "major" | "prerelease" | "none";

export interface VersionStatus {
  status: VersionStatusKind;
  running?: string;
  latest?: string;
  /** How many published, eligible versions lie between running (exclusive) and latest (inclusive). */
  releasesBehind: number;
  step: SemverStep;
  /** Whole days since the first version newer than running was published; undefined when unknown or current. */
  daysBehind?: number;
  badge: Badge;
}

export interface Badge {
  /** Traffic-light colour as a CSS colour; the red deepens with distance. */
  color: string;
  /** 0 = green … 5 = deepest red; grey statuses use -1. */
  level: number;
  label: string;
}
