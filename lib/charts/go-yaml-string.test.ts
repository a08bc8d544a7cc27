import { describe, expect, it } from "vitest";
import { formatFloat32, goYamlString, goYamlTimestamp } from "./go-yaml-string";
import { parseYamlFile } from "./parse-yaml-file";

describe("goYamlString — a YAML scalar in a Go string field, as sigs.k8s.io/yaml converts it for Helm", () => {
  it.each([
    [1.1, "1.10", "1.1"],
    [1, "1.0", "1"],
    [8, "010", "8"],
    [31, "0x1F", "31"],
    [1000, "1_000", "1000"],
    [2, "2", "2"],
    [1000, "1e3", "1000"],
    [1234567, "1234567.0", "1.234567e+06"],
    [0.0001, "0.0001", "0.0001"],
    [0.00001, "0.00001", "1e-05"],
    [Infinity, ".inf", "+Inf"],
    [80, "1:20", "1:20"],
    [true, "yes", "true"],
    [false, "off", "false"],
  ] as const)("%s written %s is %s", (value, source, expected) => {
    expect(goYamlString(value, source)).toBe(expected);
  });

  it("keeps float32 precision, as Go's bitSize 32 does", () => {
    expect(formatFloat32(0.1)).toBe("0.1");
    expect(formatFloat32(3.14159265358979)).toBe("3.1415927");
    expect(formatFloat32(-2.5)).toBe("-2.5");
  });
});

describe("goYamlTimestamp — an unquoted YAML 1.1 timestamp in a Go string field", () => {
  it("is RFC 3339 with the fraction trimmed, as Go's time.Time marshals", () => {
    expect(goYamlTimestamp(new Date("2021-08-23T00:00:00Z"))).toBe("2021-08-23T00:00:00Z");
    expect(goYamlTimestamp(new Date("2021-08-23T10:11:12.500Z"))).toBe("2021-08-23T10:11:12.5Z");
    expect(parseYamlFile("version: 2021-08-23\n", "Chart.yaml", { helmStrings: true })).toEqual({
      ok: true,
      value: { version: "2021-08-23T00:00:00Z" },
    });
  });
});
