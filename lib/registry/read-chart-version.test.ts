import { describe, expect, it } from "vitest";
import { parseYamlTimestamp, readChartVersion } from "./read-chart-version";

describe("readChartVersion", () => {
  it("needs a version; empty and null-like fields count as unset", () => {
    expect(readChartVersion({})).toBeUndefined();
    expect(readChartVersion({ version: "" })).toBeUndefined();
    expect(readChartVersion({ version: "~" })).toBeUndefined();
    expect(readChartVersion({ version: "1.0.0", digest: "null", appVersion: "" })).toEqual({
      version: "1.0.0",
      created: undefined,
      deprecated: false,
      digest: undefined,
      appVersion: undefined,
    });
  });

  it.each([
    ["true", true],
    ["True", true],
    ["yes", true],
    ["on", true],
    ["false", false],
    ["no", false],
    ["", false],
    ["maybe", false],
  ])("deprecated: %s → %s", (text, expected) => {
    expect(readChartVersion({ version: "1.0.0", deprecated: text })?.deprecated).toBe(expected);
  });
});

describe("parseYamlTimestamp", () => {
  it.each([
    ["2024-03-01T10:00:00.123456789Z", "2024-03-01T10:00:00.123Z"],
    ["2016-10-06T16:23:20.499814565-06:00", "2016-10-06T22:23:20.499Z"],
    ["2024-01-01T00:30:00+05:30", "2023-12-31T19:00:00.000Z"],
    ["2024-01-01t00:00:00z", "2024-01-01T00:00:00.000Z"],
    ["2024-01-01T00:00:00", "2024-01-01T00:00:00.000Z"],
    ["2024-01-01 10:00:00 -5", "2024-01-01T15:00:00.000Z"],
    ["2024-01-01 10:00:00.5 +0130", "2024-01-01T08:30:00.500Z"],
    ["2024-01-01", "2024-01-01T00:00:00.000Z"],
  ])("%s → %s", (text, iso) => {
    expect(parseYamlTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each(["", "yesterday", "2024-13-01", "2024-01-01T25:00:00Z", "1700000000", "2024-01-01T10:00Z"])(
    "rejects %j",
    (text) => {
      expect(parseYamlTimestamp(text)).toBeUndefined();
    },
  );
});
