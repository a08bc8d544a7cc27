import type { Badge, VersionStatus } from "./types";

/** Index = badge level: green for current, then amber → orange → red → deep red → darkest red. */
export const BADGE_COLORS = ["#52c41a", "#faad14", "#fa8c16", "#f5222d", "#cf1322", "#820014"] as const;
const AHEAD_COLOR = "#1677ff";
const GREY_COLOR = "#8c8c8c";

const MAX_LEVEL = 5;
/** A version the dashboard calls "far behind" should look red, whatever its distance score. */
const FAR_BEHIND_MIN_LEVEL = 3;

/**
 * The traffic-light badge for a version status.
 *
 * current → green (level 0); ahead → blue (level 0: nothing to take); not in registry, vendored, unparseable and unknown
 * (registry unreachable) → grey (-1).
 * Behind and far behind get a distance score, used directly as the level:
 *   step        patch or prerelease 1, minor 2, major 4
 *   releases    +1 at 3 or more releases behind, +1 more at 10 or more
 *   age         +1 when the first newer release came out more than 30 days ago
 * capped at 5, and at least 3 for "far-behind" so the colour never reads milder than the word. Every term only grows
 * with distance, so the level never drops as a service falls further behind.
 */
export function badgeFor(status: Omit<VersionStatus, "badge">): Badge {
  switch (status.status) {
    case "current":
      return { color: BADGE_COLORS[0], level: 0, label: "current" };
    case "ahead":
      return { color: AHEAD_COLOR, level: 0, label: "ahead" };
    case "not-in-registry":
      return { color: GREY_COLOR, level: -1, label: "not in registry" };
    case "vendored":
      return { color: GREY_COLOR, level: -1, label: "vendored" };
    case "unparseable":
      return { color: GREY_COLOR, level: -1, label: "unparseable" };
    case "unknown":
      return { color: GREY_COLOR, level: -1, label: "registry unavailable" };
    case "behind":
    case "far-behind": {
      const score = scoreDistance(status);
      const floor = status.status === "far-behind" ? FAR_BEHIND_MIN_LEVEL : 1;
      const level = Math.min(MAX_LEVEL, Math.max(floor, score));
      return {
        color: BADGE_COLORS[level] ?? BADGE_COLORS[MAX_LEVEL],
        level,
        label: `${status.releasesBehind} behind (${status.step})`,
      };
    }
  }
}

function scoreDistance({ step, releasesBehind, daysBehind }: Omit<VersionStatus, "badge">): number {
  const stepScore = step === "major" ? 4 : step === "minor" ? 2 : 1;
  const releaseScore = (releasesBehind >= 3 ? 1 : 0) + (releasesBehind >= 10 ? 1 : 0);
  const ageScore = daysBehind !== undefined && daysBehind > 30 ? 1 : 0;
  return stepScore + releaseScore + ageScore;
}

/** A status with its badge. */
export function withBadge(status: Omit<VersionStatus, "badge">): VersionStatus {
  return { ...status, badge: badgeFor(status) };
}
