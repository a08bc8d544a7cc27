import type { SemverStep, VersionStatusKind } from "./types";

/**
 * A version status in words, for the badge's accessible name and its tooltip: the colour and shape say it at a
 * glance, this says it to a screen reader and to anyone who cannot tell the hues apart ("far behind: 6 releases
 * (major), 80 days").
 */
export function describeVersionStatus(status: {
  status: VersionStatusKind;
  releasesBehind: number;
  step: SemverStep | string;
  daysBehind?: number;
}): string {
  switch (status.status) {
    case "current":
      return "current";
    case "ahead":
      return "ahead of the registry";
    case "not-in-registry":
      return "not in registry";
    case "vendored":
      return "vendored";
    case "unparseable":
      return "unparseable version";
    case "unknown":
      return "registry unavailable";
    case "behind":
    case "far-behind": {
      const releases = `${status.releasesBehind} ${status.releasesBehind === 1 ? "release" : "releases"}`;
      const step = status.step === "none" ? "" : ` (${status.step})`;
      const days = status.daysBehind === undefined ? "" : `, ${status.daysBehind} ${status.daysBehind === 1 ? "day" : "days"}`;
      return `${status.status === "far-behind" ? "far behind" : "behind"}: ${releases}${step}${days}`;
    }
  }
}

/**
 * The badge tone: one per colour of the scale, chosen by status and level (never by a stored colour, so a palette
 * change needs no new refresh). Levels 1–5 deepen from amber to darkest red; each tone has a shape of its own.
 */
export type BadgeTone = "current" | "behind1" | "behind2" | "behind3" | "behind4" | "behind5" | "ahead" | "grey";

export function badgeTone(status: VersionStatusKind, level: number): BadgeTone {
  if (status === "current") return "current";
  if (status === "ahead") return "ahead";
  if (status === "behind" || status === "far-behind") return `behind${Math.min(5, Math.max(1, level))}` as BadgeTone;
  return "grey";
}

/** The legend: every tone with the words it stands for, mildest first. */
export const BADGE_LEGEND: { tone: BadgeTone; label: string }[] = [
  { tone: "current", label: "current" },
  { tone: "behind1", label: "behind: a patch" },
  { tone: "behind2", label: "behind: a minor" },
  { tone: "behind3", label: "far behind" },
  { tone: "behind4", label: "further behind" },
  { tone: "behind5", label: "furthest behind" },
  { tone: "ahead", label: "ahead of the registry" },
  { tone: "grey", label: "unknown, vendored or not in registry" },
];

/** The stylesheet class of each tone (components/status-matrix.css): one or two letters, repeated thousands of times. */
export const TONE_CLASS: Record<BadgeTone, string> = {
  current: "c",
  behind1: "b1",
  behind2: "b2",
  behind3: "b3",
  behind4: "b4",
  behind5: "b5",
  ahead: "a",
  grey: "g",
};
