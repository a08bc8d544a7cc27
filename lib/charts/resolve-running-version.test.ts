import { describe, expect, it } from "vitest";
import { resolveRunningVersion } from "./resolve-running-version";

const published = ["1.1.0", "1.2.0", "1.2.5", "1.3.0", "1.4.0-rc.1", "2.0.0", "not-a-version"];

describe("resolveRunningVersion", () => {
  it("prefers the lock, even for a range", () => {
    expect(resolveRunningVersion({ constraint: "^1.2.0", lockedVersion: "1.2.5" }, published)).toEqual({
      ok: true,
      version: "1.2.5",
      source: "lock",
      unpinned: false,
    });
  });

  it("takes an exact version as a pin, with or without a leading v or =", () => {
    expect(resolveRunningVersion({ constraint: "1.2.0" })).toEqual({ ok: true, version: "1.2.0", source: "pin", unpinned: false });
    expect(resolveRunningVersion({ constraint: " v1.2.0 " })).toMatchObject({ version: "v1.2.0", source: "pin" });
    expect(resolveRunningVersion({ constraint: "=1.2.0" })).toMatchObject({ version: "1.2.0", source: "pin" });
    expect(resolveRunningVersion({ constraint: "1.2.0-rc.1+build.7" })).toMatchObject({ version: "1.2.0-rc.1+build.7" });
  });

  it("skips a lock entry that holds a range (Helm copies the constraint for charts it could not look up)", () => {
    expect(resolveRunningVersion({ constraint: "1.3.0", lockedVersion: "^1.0.0" })).toMatchObject({
      version: "1.3.0",
      source: "pin",
    });
  });

  it("resolves a range without a lock to the highest stable published version that satisfies it", () => {
    expect(resolveRunningVersion({ constraint: "^1.2.0" }, published)).toEqual({
      ok: true,
      version: "1.3.0",
      source: "range",
      unpinned: true,
    });
    expect(resolveRunningVersion({ constraint: "~1.2" }, published)).toMatchObject({ version: "1.2.5" });
    expect(resolveRunningVersion({ constraint: "1.x" }, published)).toMatchObject({ version: "1.3.0" });
  });

  it("reads Helm's comma-separated ranges", () => {
    expect(resolveRunningVersion({ constraint: ">=1.2.0, <2.0.0" }, published)).toMatchObject({ version: "1.3.0" });
  });

  it("includes prereleases only when the range names one", () => {
    expect(resolveRunningVersion({ constraint: "^1.4.0-rc.0" }, published)).toMatchObject({ version: "1.4.0-rc.1" });
  });

  it("reports a range that nothing published satisfies", () => {
    expect(resolveRunningVersion({ constraint: "^3.0" }, published)).toEqual({
      ok: false,
      message: "range ^3.0 has no lock and no published version satisfies it",
    });
  });

  it("reports a range when the published versions are unknown", () => {
    expect(resolveRunningVersion({ constraint: "^1.2" })).toEqual({
      ok: false,
      message: "range ^1.2 has no lock and no published version satisfies it",
    });
  });

  it("reports a constraint that is neither a version nor a range", () => {
    expect(resolveRunningVersion({ constraint: "latest" }, published)).toEqual({
      ok: false,
      message: 'version "latest" is neither a version nor a range',
    });
  });

  it("reads an empty constraint (no version:) as Helm does, as \"*\": the highest release, prereleases excluded", () => {
    expect(resolveRunningVersion({ constraint: "" }, ["1.0.0", "2.0.0", "3.0.0-rc.1"])).toEqual({
      ok: true,
      version: "2.0.0",
      source: "range",
      unpinned: true,
    });
    expect(resolveRunningVersion({ constraint: "" })).toEqual({
      ok: false,
      message: 'range "*" (no version:) has no lock and no published version satisfies it',
    });
  });
});
