/**
 * The shape of a JSON answer, to compare the test server with what GitHub really sent: the keys at the top level and
 * one level down, each with its type. Values do not matter (ids, shas and URLs differ by nature); a key the recorded
 * answer has and ours lacks, or a key whose type differs, does. null is compatible with any type: GitHub's nullable
 * fields (`merged_at`, `description`) are null in one recording and a string in another.
 */

export type ValueType = "null" | "string" | "number" | "boolean" | "array" | "object";

export function valueType(value: unknown): ValueType {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as ValueType;
}

/** "key" → type and "key.sub" → type for objects; an array is described by its first element, as "[]" and "[].key". */
export function shapeOf(value: unknown, prefix = "", depth = 2): Map<string, ValueType> {
  const shape = new Map<string, ValueType>();
  if (depth === 0) return shape;
  if (Array.isArray(value)) {
    if (value.length > 0) {
      shape.set(`${prefix}[]`, valueType(value[0]));
      for (const [key, type] of shapeOf(value[0], `${prefix}[].`, depth)) shape.set(key, type);
    }
    return shape;
  }
  if (valueType(value) !== "object") return shape;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    shape.set(`${prefix}${key}`, valueType(child));
    if (valueType(child) === "object") for (const [sub, type] of shapeOf(child, `${prefix}${key}.`, depth - 1)) shape.set(sub, type);
  }
  return shape;
}

/** Differences that matter: keys missing from ours, and types that disagree where neither side is null. */
export function shapeDifferences(recorded: unknown, ours: unknown, ignore: ReadonlySet<string> = new Set()): string[] {
  const expected = shapeOf(recorded);
  const actual = shapeOf(ours);
  const problems: string[] = [];
  if (valueType(recorded) !== valueType(ours)) problems.push(`answer is ${valueType(ours)}, GitHub sent ${valueType(recorded)}`);
  for (const [key, type] of expected) {
    if (ignore.has(key)) continue;
    const got = actual.get(key);
    if (got === undefined) {
      // A child of a key that is null on one side cannot be compared.
      const parent = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : undefined;
      if (parent !== undefined && (actual.get(parent) === "null" || expected.get(parent) === "null")) continue;
      problems.push(`${key}: missing (GitHub sent ${type})`);
    } else if (got !== type && got !== "null" && type !== "null") {
      problems.push(`${key}: ${got}, GitHub sent ${type}`);
    }
  }
  return problems;
}
