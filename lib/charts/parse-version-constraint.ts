import semver from "semver";

/**
 * A dependency's `version:` as an exact version, or undefined when it is a range or junk. Helm (Masterminds semver)
 * reads "=1.2.3" and "v1.2.3" as exact pins; the text is returned as written, minus the "=".
 */
export function parseExactVersion(constraint: string): string | undefined {
  const text = constraint.trim().replace(/^=\s*/, "");
  return semver.valid(text) ? text : undefined;
}

/**
 * A dependency's `version:` as a node-semver range, or undefined. Masterminds separates AND-ed comparators with
 * commas (">=1.2.0, <2.0.0"); node-semver with spaces, so commas become spaces. An empty constraint (no `version:`)
 * is "*" to Masterminds, as to node-semver: any version, prereleases excluded.
 */
export function parseVersionRange(constraint: string): string | undefined {
  const text = constraint.trim();
  if (text === "") return "*";
  return semver.validRange(text.replace(/\s*,\s*/g, " ")) ?? undefined;
}
