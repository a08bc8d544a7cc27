/** Shape checks for values that came out of a parsed YAML file, so readers can say what they found instead. */

export type YamlMapping = Record<string, unknown>;

export function isYamlMapping(value: unknown): value is YamlMapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A key's own value: a key spelled like an Object.prototype member ("constructor") must not read the prototype. */
export function readYamlField(mapping: YamlMapping, key: string): unknown {
  return Object.hasOwn(mapping, key) ? mapping[key] : undefined;
}

/** "a list", "a mapping", "a number" — for messages that tell the user what was written where a string belongs. */
export function describeYamlValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}
