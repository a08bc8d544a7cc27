import type { PinnedVersion } from "@/lib/releases/read-versions-at";

/**
 * The release history of one environment: the commits on its branch (first-parent, so one entry per merge or squash,
 * never the commits of a merged branch) that changed what the stack pins.
 */

export type VersionChangeKind = "added" | "removed" | "changed";

/** One service's version before and after a commit. */
export interface VersionChange {
  service: string;
  /** The chart after the commit (before it, for a removed service). */
  chart: string;
  kind: VersionChangeKind;
  /** Null for an added service. */
  from: string | null;
  /** Null for a removed service. */
  to: string | null;
  /** Set when the alias stayed and the chart under it changed. */
  fromChart?: string;
}

/**
 * What one commit's stack says: no chart (the folder did not exist yet, or was deleted), a chart and what it pins,
 * or a chart Slipway cannot read (ChartReadError's message).
 */
export type StackState =
  | { kind: "absent" }
  | { kind: "pinned"; versions: ReadonlyMap<string, PinnedVersion> }
  | { kind: "unreadable"; error: string };

/**
 * - changed: at least one pinned version changed (services added or removed included);
 * - unreadable: the chart could not be read at this commit (`error` says why);
 * - readable: the chart became readable again. Its changes are not listed: what it pinned while unreadable is unknown.
 */
export type HistoryEntryKind = "changed" | "unreadable" | "readable";

export interface HistoryEntry {
  sha: string;
  /** When the commit landed on the branch (committer date). */
  date: Date;
  authorName: string;
  authorEmail: string;
  subject: string;
  /** More than one parent: a merge commit (a merged pull request or change request). */
  merge: boolean;
  /** The GitHub pull request its subject names (`Merge pull request #12 from …`, or a squash subject `… (#12)`). */
  pullRequest?: number;
  /** The Slipway change request its subject names (`Merge change request #7: …`, plain git). */
  changeRequest?: number;
  kind: HistoryEntryKind;
  changes: VersionChange[];
  error?: string;
}
