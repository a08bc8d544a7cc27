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
      message: expect.stringMatching(/^version "latest" is neither a version nor a range Helm reads \(improper constraint: /),
    });
  });

  it("reads versions and constraints as Masterminds semver does, not as npm semver", () => {
    const registry = ["1.5.6", "1.6", "v2021.08.23", "2021.09.01", "12.3.34.1234", "2.0.0-beta.1"];
    // "1.6" is 1.6.0 to Helm, newer than 1.5.6; npm semver ignores it.
    expect(resolveRunningVersion({ constraint: "^1.0.0" }, registry)).toMatchObject({ version: "1.6" });
    // Leading zeros are fine; four parts are not a version at all.
    expect(resolveRunningVersion({ constraint: ">=2021.0.0" }, registry)).toMatchObject({ version: "2021.09.01" });
    expect(resolveRunningVersion({ constraint: "v2021.08.23" })).toMatchObject({ version: "v2021.08.23", source: "pin" });
    // "1.2" as a constraint is 1.2.x to Masterminds, a range, not the pin 1.2.0.
    expect(resolveRunningVersion({ constraint: "1.5" }, registry)).toMatchObject({ version: "1.5.6", source: "range" });
    // A prerelease named anywhere in an AND group lets prereleases through the whole range.
    expect(resolveRunningVersion({ constraint: ">=1.0.0-0, <3.0.0" }, ["1.9.0", "2.0.0-beta.1"])).toMatchObject({ version: "2.0.0-beta.1" });
    // Syntax npm semver lacks.
    expect(resolveRunningVersion({ constraint: "!=1.6.0, <2.0.0" }, registry)).toMatchObject({ version: "1.5.6" });
    expect(resolveRunningVersion({ constraint: "=>1.5.0, =<1.5.9" }, registry)).toMatchObject({ version: "1.5.6" });
    expect(resolveRunningVersion({ constraint: "1.0.0 - 2.0.0, <=1.5.9" }, registry)).toMatchObject({ version: "1.5.6" });
  });

  it("reads an empty constraint (no version:) as Helm does: the lock says what runs; without one, Helm stops", () => {
    expect(resolveRunningVersion({ constraint: "", lockedVersion: "2.0.0" }, ["1.0.0", "3.0.0"])).toMatchObject({
      version: "2.0.0",
      source: "lock",
    });
    // Masterminds NewConstraint("") fails, so helm dependency update refuses the dependency: no highest match.
    expect(resolveRunningVersion({ constraint: "" }, ["1.0.0", "2.0.0"])).toEqual({
      ok: false,
      message: expect.stringContaining("no version: and no lock entry: helm dependency update stops on such a dependency"),
    });
  });
});
