import { parseHelmConstraint, type HelmConstraint } from "@/lib/versions/helm-semver";

/**
 * A dependency's `version:` as an exact version, or undefined when it is a range or junk — decided as Helm decides
 * it (Masterminds semver): one comparator, `=` or none, naming major, minor and patch. `1.2.3`, `=1.2.3`, `v1.2.3`
 * and `v2021.08.23` are exact; `1.2` is not (Masterminds reads it as 1.2.x), nor is `1.2.3 || 1.2.4`. The text is
 * returned as written, minus the `=`, so a version written back keeps its author's spelling.
 */
export function parseExactVersion(constraint: string): string | undefined {
  const text = constraint.trim();
  const parsed = parseHelmConstraint(text);
  if (!parsed.ok) return undefined;
  const [group, ...otherGroups] = parsed.constraint.groups;
  if (!group || otherGroups.length > 0 || group.length !== 1) return undefined;
  const [comparator] = group;
  if (!comparator || (comparator.operator !== "" && comparator.operator !== "=") || comparator.dirty) return undefined;
  return comparator.original;
}

export type DependencyConstraint = { ok: true; constraint: HelmConstraint } | { ok: false; message: string };

/**
 * A dependency's `version:` as Helm's resolver reads it (helm v3.21.4 internal/resolver `Resolve`): Masterminds
 * `NewConstraint`, with Masterminds' reason when Helm would stop ("dependency … has an invalid version/constraint
 * format"). That includes an absent or empty `version:`: `NewConstraint("")` fails ("improper constraint: \"\""), so
 * `helm dependency update` refuses such a dependency, and only a lock written some other way says what runs
 * (`helm dependency build` installs the lock without reading the constraints).
 */
export function parseDependencyConstraint(constraint: string): DependencyConstraint {
  if (constraint.trim() === "") {
    return { ok: false, message: "no version: (Masterminds reads an empty constraint as an improper constraint)" };
  }
  const parsed = parseHelmConstraint(constraint);
  return parsed.ok ? parsed : { ok: false, message: parsed.message };
}
