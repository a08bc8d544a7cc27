import { describe, expect, it } from "vitest";
import type { ChartVersion } from "@/lib/registry/types";
import { computeVersionStatus, type VersionStatusInput } from "./compute-version-status";

const now = new Date("2024-06-30T12:00:00Z");

function published(...versions: (string | Partial<ChartVersion> & { version: string })[]): ChartVersion[] {
  return versions.map((entry) => ({ deprecated: false, ...(typeof entry === "string" ? { version: entry } : entry) }));
}

function status(overrides: Partial<VersionStatusInput>) {
  return computeVersionStatus({
    published: published("1.0.0", "1.1.0", "1.2.0"),
    includePrereleases: false,
    farBehindReleases: 5,
    now,
    ...overrides,
  });
}

describe("computeVersionStatus", () => {
  it("is current when running the latest", () => {
    expect(status({ running: "1.2.0" })).toEqual({
      status: "current",
      running: "1.2.0",
      latest: "1.2.0",
      releasesBehind: 0,
      step: "none",
      badge: { color: "#52c41a", level: 0, label: "current" },
    });
  });

  it("counts releases behind and the semver step", () => {
    expect(status({ running: "1.0.0" })).toMatchObject({
      status: "behind",
      latest: "1.2.0",
      releasesBehind: 2,
      step: "minor",
      badge: { level: 2, label: "2 behind (minor)" },
    });
    expect(status({ running: "1.2.0", published: published("1.2.0", "1.2.1") })).toMatchObject({
      status: "behind",
      step: "patch",
      releasesBehind: 1,
    });
  });

  it("leaves prereleases out of latest unless the environment opts in", () => {
    const versions = published("1.2.0", "1.3.0-rc.1", "1.3.0-rc.2");
    expect(status({ running: "1.2.0", published: versions })).toMatchObject({ status: "current", latest: "1.2.0" });
    expect(status({ running: "1.2.0", published: versions, includePrereleases: true })).toMatchObject({
      status: "behind",
      latest: "1.3.0-rc.2",
      releasesBehind: 2,
      step: "minor",
    });
  });

  it("compares a running prerelease like any version", () => {
    const versions = published("1.2.0", "1.3.0-rc.1", "1.3.0");
    expect(status({ running: "1.3.0-rc.1", published: versions })).toMatchObject({
      status: "behind",
      latest: "1.3.0",
      releasesBehind: 1,
      step: "prerelease",
    });
    // 2.0.0-rc.1 → 2.0.0 is a prerelease step, not the "major" semver.diff reports.
    expect(status({ running: "2.0.0-rc.1", published: published("1.9.0", "2.0.0-rc.1", "2.0.0") })).toMatchObject({
      status: "behind",
      step: "prerelease",
    });
    expect(status({ running: "1.4.0-beta.1", published: versions })).toMatchObject({ status: "ahead", latest: "1.3.0" });
  });

  it("ignores build metadata for ordering but shows it", () => {
    expect(status({ running: "1.2.0+build.9", published: published("1.1.0", "1.2.0+build.7") })).toMatchObject({
      status: "current",
      latest: "1.2.0+build.7",
    });
    expect(status({ running: "1.1.0", published: published("1.1.0", "1.2.0+a", "1.2.0+b") })).toMatchObject({
      status: "behind",
      releasesBehind: 1,
    });
  });

  it("accepts a leading v on either side", () => {
    expect(status({ running: "v1.2.0", published: published("v1.1.0", "1.2.0") })).toMatchObject({ status: "current" });
    expect(status({ running: "1.1.0", published: published("v1.1.0", "v1.2.0") })).toMatchObject({
      status: "behind",
      latest: "v1.2.0",
    });
  });

  it("ignores registry tags Helm cannot read as versions", () => {
    expect(status({ running: "1.2.0", published: published("latest", "1.2.0", "stable", "12.3.34.1234") })).toMatchObject({
      status: "current",
      latest: "1.2.0",
    });
  });

  it("reads versions as Helm does: 1.3 is 1.3.0, and 2024-06-01 is the prerelease 2024.0.0-06-01", () => {
    expect(status({ running: "1.2.0", published: published("1.2.0", "2024-06-01", "1.3") })).toMatchObject({
      status: "behind",
      latest: "1.3",
      releasesBehind: 1,
      step: "minor",
    });
    expect(status({ running: "v2021.08.23", published: published("2021.8.23", "2021.09.01") })).toMatchObject({
      status: "behind",
      latest: "2021.09.01",
    });
  });

  it("skips a deprecated latest", () => {
    expect(status({ running: "1.2.0", published: published("1.2.0", { version: "1.3.0", deprecated: true }) })).toMatchObject({
      status: "current",
      latest: "1.2.0",
    });
  });

  it("still counts a deprecated running version as published", () => {
    expect(status({ running: "1.1.0", published: published({ version: "1.1.0", deprecated: true }, "1.2.0") })).toMatchObject({
      status: "behind",
    });
  });

  it("says not-in-registry for a running version the registry does not have, and still reports latest", () => {
    expect(status({ running: "1.1.5" })).toMatchObject({
      status: "not-in-registry",
      latest: "1.2.0",
      releasesBehind: 1,
      badge: { level: -1, label: "not in registry" },
    });
  });

  it("says not-in-registry when the chart is in no registry or has nothing eligible", () => {
    expect(status({ running: "1.0.0", published: undefined })).toMatchObject({
      status: "not-in-registry",
      latest: undefined,
      badge: { color: "#8c8c8c", level: -1 },
    });
    expect(status({ running: "1.0.0", published: [] })).toMatchObject({ status: "not-in-registry" });
    expect(status({ running: "1.0.0", published: published({ version: "1.0.0", deprecated: true }) })).toMatchObject({
      status: "not-in-registry",
    });
  });

  it("says ahead when running a version newer than latest, published or not", () => {
    expect(status({ running: "1.3.0" })).toMatchObject({
      status: "ahead",
      latest: "1.2.0",
      releasesBehind: 0,
      badge: { label: "ahead", level: 0 },
    });
  });

  it("says unparseable for a missing or non-semver running version", () => {
    expect(status({ running: undefined })).toMatchObject({ status: "unparseable", badge: { level: -1 } });
    expect(status({ running: "latest" })).toMatchObject({ status: "unparseable", running: "latest", latest: "1.2.0" });
    expect(status({ running: "1.2.3.4" })).toMatchObject({ status: "unparseable" });
    // Helm reads "1.2" as 1.2.0.
    expect(status({ running: "1.2" })).toMatchObject({ status: "current" });
  });

  it("counts days since the first newer release was published", () => {
    const versions = published(
      { version: "1.0.0", created: new Date("2024-01-01T00:00:00Z") },
      { version: "1.1.0", created: new Date("2024-05-01T00:00:00Z") },
      // A backport published before 1.1.0 is also newer than 1.0.0.
      { version: "1.0.1", created: new Date("2024-04-20T00:00:00Z") },
      { version: "1.2.0" },
    );
    expect(status({ running: "1.0.0", published: versions })).toMatchObject({
      status: "behind",
      releasesBehind: 3,
      daysBehind: 71,
    });
    expect(status({ running: "1.2.0", published: versions }).daysBehind).toBeUndefined();
    expect(status({ running: "1.1.0", published: versions }).daysBehind).toBeUndefined();
  });

  it("is far behind after farBehindReleases releases", () => {
    const versions = published("1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5");
    expect(status({ running: "1.0.1", published: versions })).toMatchObject({ status: "behind", releasesBehind: 4 });
    expect(status({ running: "1.0.0", published: versions })).toMatchObject({ status: "far-behind", releasesBehind: 5 });
  });

  it("is far behind a major, however few releases", () => {
    expect(status({ running: "1.2.0", published: published("1.2.0", "2.0.0") })).toMatchObject({
      status: "far-behind",
      releasesBehind: 1,
      step: "major",
      badge: { label: "1 behind (major)", level: 4 },
    });
  });
});
