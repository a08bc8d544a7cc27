import { describe, expect, it } from "vitest";
import { BADGE_COLORS, badgeFor } from "./badge";
import type { SemverStep, VersionStatus } from "./types";

type StatusWithoutBadge = Omit<VersionStatus, "badge">;

function behind(step: SemverStep, releasesBehind: number, daysBehind?: number): StatusWithoutBadge {
  return { status: "behind", step, releasesBehind, ...(daysBehind !== undefined && { daysBehind }) };
}

describe("badgeFor", () => {
  it("colours the statuses that are not behind", () => {
    const none = { releasesBehind: 0, step: "none" } as const;
    expect(badgeFor({ ...none, status: "current" })).toEqual({ color: "#52c41a", level: 0, label: "current" });
    expect(badgeFor({ ...none, status: "ahead" })).toMatchObject({ level: 0, label: "ahead" });
    expect(badgeFor({ ...none, status: "ahead" }).color).not.toBe(BADGE_COLORS[0]);
    expect(badgeFor({ ...none, status: "not-in-registry" })).toMatchObject({ level: -1, label: "not in registry" });
    expect(badgeFor({ ...none, status: "vendored" })).toMatchObject({ level: -1, label: "vendored" });
    expect(badgeFor({ ...none, status: "unparseable" })).toMatchObject({ level: -1, label: "unparseable" });
    expect(badgeFor({ ...none, status: "unknown" })).toMatchObject({ level: -1 });
  });

  it("scores distance from step, releases and age", () => {
    expect(badgeFor(behind("patch", 1))).toMatchObject({ level: 1, color: "#faad14", label: "1 behind (patch)" });
    expect(badgeFor(behind("minor", 1))).toMatchObject({ level: 2, color: "#fa8c16" });
    expect(badgeFor(behind("minor", 3))).toMatchObject({ level: 3, color: "#f5222d", label: "3 behind (minor)" });
    expect(badgeFor(behind("patch", 12, 45))).toMatchObject({ level: 4, color: "#cf1322" });
    expect(badgeFor(behind("major", 12, 45))).toMatchObject({ level: 5, color: "#820014" });
  });

  it("never shows far-behind milder than red", () => {
    expect(badgeFor({ ...behind("patch", 5), status: "far-behind" }).level).toBe(3);
  });

  it("deepens monotonically with distance", () => {
    const steps: SemverStep[] = ["prerelease", "patch", "minor", "major"];
    const releases = [1, 2, 3, 5, 9, 10, 25];
    const days = [undefined, 0, 30, 31, 400];
    const level = (stepIndex: number, releaseIndex: number, dayIndex: number) =>
      badgeFor(behind(steps[stepIndex] ?? "patch", releases[releaseIndex] ?? 1, days[dayIndex])).level;

    for (let s = 0; s < steps.length; s++) {
      for (let r = 0; r < releases.length; r++) {
        for (let d = 0; d < days.length; d++) {
          const here = level(s, r, d);
          expect(here).toBeGreaterThanOrEqual(1);
          expect(here).toBeLessThanOrEqual(5);
          if (s + 1 < steps.length) expect(level(s + 1, r, d)).toBeGreaterThanOrEqual(here);
          if (r + 1 < releases.length) expect(level(s, r + 1, d)).toBeGreaterThanOrEqual(here);
          if (d + 1 < days.length) expect(level(s, r, d + 1)).toBeGreaterThanOrEqual(here);
        }
      }
    }
  });

  it("uses the colour of its level", () => {
    for (const step of ["patch", "minor", "major"] as const) {
      const badge = badgeFor(behind(step, 10, 40));
      expect(badge.color).toBe(BADGE_COLORS[badge.level]);
    }
  });
});
