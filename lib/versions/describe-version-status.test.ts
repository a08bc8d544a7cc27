import { describe, expect, it } from "vitest";
import { BADGE_LEGEND, TONE_CLASS, badgeTone, describeVersionStatus } from "./describe-version-status";

describe("describeVersionStatus", () => {
  it("says how far behind a service is, in releases, step and days", () => {
    expect(describeVersionStatus({ status: "far-behind", releasesBehind: 6, step: "major", daysBehind: 80 })).toBe(
      "far behind: 6 releases (major), 80 days",
    );
    expect(describeVersionStatus({ status: "behind", releasesBehind: 1, step: "patch", daysBehind: 1 })).toBe("behind: 1 release (patch), 1 day");
    expect(describeVersionStatus({ status: "behind", releasesBehind: 2, step: "minor" })).toBe("behind: 2 releases (minor)");
  });

  it("names the statuses that have no distance", () => {
    const none = { releasesBehind: 0, step: "none" };
    expect(describeVersionStatus({ ...none, status: "current" })).toBe("current");
    expect(describeVersionStatus({ ...none, status: "ahead" })).toBe("ahead of the registry");
    expect(describeVersionStatus({ ...none, status: "unknown" })).toBe("registry unavailable");
    expect(describeVersionStatus({ ...none, status: "not-in-registry" })).toBe("not in registry");
  });
});

describe("badgeTone", () => {
  it("deepens with the level for services behind, and is grey for what is not known", () => {
    expect(badgeTone("current", 0)).toBe("current");
    expect(badgeTone("behind", 1)).toBe("behind1");
    expect(badgeTone("far-behind", 5)).toBe("behind5");
    expect(badgeTone("far-behind", 9)).toBe("behind5");
    expect(badgeTone("ahead", 0)).toBe("ahead");
    expect(badgeTone("vendored", -1)).toBe("grey");
    expect(badgeTone("unknown", -1)).toBe("grey");
  });

  it("has a class and a legend entry for every tone", () => {
    expect(BADGE_LEGEND.map((entry) => entry.tone).sort()).toEqual(Object.keys(TONE_CLASS).sort());
    expect(new Set(Object.values(TONE_CLASS)).size).toBe(Object.keys(TONE_CLASS).length);
  });
});
