import { describe, expect, it } from "vitest";
import { sortChartVersions } from "./sort-chart-versions";
import type { ChartVersion } from "./types";

const v = (version: string): ChartVersion => ({ version, deprecated: false });

describe("sortChartVersions", () => {
  it("orders semver newest first, prereleases below their release, then non-semver tags by name", () => {
    const input = ["latest", "1.2.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "v1.9.0", "1.0.0+build.2", "1.0.0+build.1", "main"];
    expect(sortChartVersions(input.map(v)).map((x) => x.version)).toEqual([
      "2.0.0",
      "2.0.0-rc.1",
      "1.10.0",
      "v1.9.0",
      "1.2.0",
      "1.0.0+build.2",
      "1.0.0+build.1",
      "latest",
      "main",
    ]);
  });

  it("reads versions as Helm does: 1.6 is 1.6.0, leading zeros count, four parts are no version", () => {
    const input = ["1.5.6", "1.6", "v2021.08.23", "2021.10.01", "12.3.34.1234", "1"];
    expect(sortChartVersions(input.map(v)).map((x) => x.version)).toEqual([
      "2021.10.01",
      "v2021.08.23",
      "1.6",
      "1.5.6",
      "1",
      "12.3.34.1234",
    ]);
  });

  it("returns a new array and leaves the input alone", () => {
    const input = [v("1.0.0"), v("2.0.0")];
    const sorted = sortChartVersions(input);
    expect(sorted).not.toBe(input);
    expect(input.map((x) => x.version)).toEqual(["1.0.0", "2.0.0"]);
  });
});
