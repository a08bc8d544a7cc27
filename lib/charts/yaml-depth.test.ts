import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { findExcessiveYamlDepth, MAX_YAML_DEPTH } from "./yaml-depth";

/** The smallest limit the text passes: the depth findExcessiveYamlDepth sees. */
function measuredDepth(text: string): number {
  let limit = 0;
  while (!findExcessiveYamlDepth(text, limit).ok) limit++;
  return limit;
}

describe("findExcessiveYamlDepth", () => {
  it("counts flow and block collections, however they are laid out", () => {
    expect(measuredDepth("name: x\nversion: 1\n")).toBe(1);
    expect(measuredDepth("a:\n  b:\n    c: 1\n")).toBe(3);
    expect(measuredDepth("- - - a\n")).toBe(3);
    // go-yaml puts a sequence at its key's column: still one level deeper.
    expect(measuredDepth("a:\n- b:\n  - c\n")).toBe(4);
    expect(measuredDepth("a:\n  b:\n  - c: 1\n    d: [1, {x: [2]}]\n  - e\n")).toBe(7);
    expect(measuredDepth("? - a\n: [b]\n")).toBe(2);
    expect(measuredDepth("a: 1\n---\nb: {c: [[d]]}\n")).toBe(4);
  });

  it("does not count brackets inside strings, comments and block scalars", () => {
    const text = [
      `a: "[[[[{{{{"`,
      `b: '[[[[ it''s {{{{'`,
      `c: plain [[[[ text {{{{`,
      `# [[[[[[[[[[`,
      `d: |`,
      `  [[[[[[[[[[ {{{{{{{{`,
      `e: >-`,
      `  "[[[[[`,
      `f: multi-line plain`,
      `  "[[[[[ continued`,
      ``,
    ].join("\n");
    expect(measuredDepth(text)).toBe(1);
  });

  it("is never below the depth the yaml parser builds", () => {
    const samples = [
      "a:\n  - b: [1, {c: d}]\n    e:\n      f: g\n",
      "- [a, [b, [c, {d: [e]}]]]\n- x: {y: z}\n",
      "root:\n  list:\n  - - - deep\n  - {a: {b: {c: {}}}}\n",
      "? {a: [b]}\n: - c\n  - d: e\n",
    ];
    const depth = (node: unknown): number =>
      node !== null && typeof node === "object" && "items" in node && Array.isArray(node.items)
        ? 1 + Math.max(0, ...node.items.map((item: unknown) => (item !== null && typeof item === "object" && "key" in item && "value" in item ? Math.max(depth(item.key), depth(item.value)) : depth(item))))
        : 0;
    for (const text of samples) {
      const built = Math.max(...parseAllDocuments(text).map((doc) => ("contents" in doc ? depth(doc.contents) : 0)));
      expect(measuredDepth(text), text).toBeGreaterThanOrEqual(built);
      expect(measuredDepth(text), text).toBeLessThanOrEqual(built + 2);
    }
  });

  it("stops at the line where the limit is passed", () => {
    const nested = `a: 1\nb:\n  c: ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}\n`;
    expect(findExcessiveYamlDepth(nested)).toEqual({ ok: false, depth: MAX_YAML_DEPTH + 1, line: 3 });
    const indented = Array.from({ length: 150 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
    expect(findExcessiveYamlDepth(indented)).toEqual({ ok: false, depth: MAX_YAML_DEPTH + 1, line: MAX_YAML_DEPTH + 1 });
    expect(findExcessiveYamlDepth(`${"- ".repeat(500_000)}x\n`)).toMatchObject({ ok: false, line: 1 });
    expect(findExcessiveYamlDepth(`x: ${"[".repeat(MAX_YAML_DEPTH - 1)}${"]".repeat(MAX_YAML_DEPTH - 1)}\n`)).toEqual({ ok: true });
  });
});
