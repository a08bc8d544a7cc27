import { describe, expect, it } from "vitest";
import { parseYamlFile } from "./parse-yaml-file";

describe("parseYamlFile", () => {
  it("reads a stack file as Helm fills its string fields: numbers become Go's text for them", () => {
    expect(parseYamlFile("name: stack\nversion: 1.10\n", "Chart.yaml", { helmStrings: true })).toEqual({
      ok: true,
      value: { name: "stack", version: "1.1" },
    });
    expect(parseYamlFile("name: stack\nversion: '1.10'\n", "Chart.yaml", { helmStrings: true })).toEqual({
      ok: true,
      value: { name: "stack", version: "1.10" },
    });
  });

  it("refuses a file over 2 MB, naming it and the limit", () => {
    expect(parseYamlFile(`a: ${"x".repeat(3 * 1024 * 1024)}\n`, "values.yaml")).toEqual({
      ok: false,
      message: "values.yaml is 3.0 MB; Slipway reads chart files up to 2 MB",
    });
  });

  it("refuses 2 MB of nested brackets before parsing, naming the line", () => {
    const head = "apiVersion: v2\nname: stack\ndependencies: ";
    const levels = Math.floor((2 * 1024 * 1024 - head.length - 1) / 2);
    const before = process.memoryUsage().heapUsed;
    const result = parseYamlFile(`${head}${"[".repeat(levels)}${"]".repeat(levels)}\n`, "Chart.yaml");
    expect(result).toEqual({ ok: false, message: "Chart.yaml nests deeper than 100 levels at line 3" });
    // The parser would build a node per bracket: over a gigabyte. Generous bound; the real figure is a few MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("breaks lines at a lone CR, as Helm's go-yaml does, and names the line it fails on", () => {
    expect(parseYamlFile("name: stack\rversion: 1.10.0\r", "Chart.yaml", { helmStrings: true })).toEqual({
      ok: true,
      value: { name: "stack", version: "1.10.0" },
    });
    expect(parseYamlFile("a: 1\r\nb: 2\rc: [3\r", "Chart.lock")).toEqual({
      ok: false,
      message: expect.stringMatching(/^Chart\.lock is not valid YAML: .*line 4/),
    });
  });

  it("still reads ordinary nesting", () => {
    const deep = `a: ${"[".repeat(50)}1${"]".repeat(50)}\n`;
    expect(parseYamlFile(deep, "values.yaml").ok).toBe(true);
  });
});
