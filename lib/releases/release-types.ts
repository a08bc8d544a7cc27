/**
 * The release-request shapes pages and the CLI see: plain, serialisable DTOs (dates as ISO strings), no Prisma or
 * vendor types. Produced by planUpgrade / raiseUpgrade / readReleaseRequest in lib/releases.
 */

export type ReleaseKind = "upgrade" | "rollback" | "promotion";
export type ReleaseState = "open" | "deferred" | "merged" | "closed" | "failed";

export interface PlannedCommit {
  sha: string;
  subject: string;
  author: string;
  date: string;
  url?: string;
  jiraKeys: string[];
}

export interface PlannedTicket {
  key: string;
  url?: string;
  /**
   * The commits that name the ticket, with their page in the service repository (its diff) when that repository is
   * browsable on the web (GitHub, an https URL); the ticket's own summary and status come from Jira.
   */
  commits: { sha: string; subject: string; url?: string }[];
}

export interface PlannedChangelog {
  fromTag: string;
  toTag: string;
  /** "added": commits the upgrade brings; "removed": commits a downgrade takes away. */
  effect: "added" | "removed" | "none";
  commits: PlannedCommit[];
  tickets: PlannedTicket[];
  truncated: boolean;
  /** Why the changelog is empty or partial (a missing tag, no source repository configured). */
  notes: string[];
}

export interface PlannedItem {
  service: string;
  chart: string;
  from: string;
  to: string;
  /** A downgrade is allowed but labelled. */
  direction: "upgrade" | "downgrade" | "same";
  changelog: PlannedChangelog;
}

export interface PlannedFile {
  /** Path in the stack repository. */
  path: string;
  /** Unified diff of the change. */
  diff: string;
}

export interface UpgradePlan {
  /** upgrade, or rollback to an earlier commit's versions (same request, PR and review; labelled as such). */
  kind: ReleaseKind;
  environment: string;
  /** The environment branch head the plan was made on; raising re-plans if the branch has moved. */
  baseSha: string;
  branch: string;
  title: string;
  body: string;
  items: PlannedItem[];
  files: PlannedFile[];
  notes: string[];
  /** A promotion raised as a merge of this commit (a snapshot's tag) into the branch, instead of a version edit. */
  mergeOf?: string;
}

/** A service the upgrade page can offer: what runs and what the registry publishes (newest first). */
export interface UpgradeCandidate {
  service: string;
  chart: string;
  running?: string;
  latest?: string;
  status: string;
  badgeColor: string;
  badgeLevel: number;
  badgeLabel: string;
  versions: string[];
}

export interface ReleaseItemView {
  service: string;
  chart: string;
  from: string;
  to: string;
  tickets: string[];
}

export interface ReleaseRequestView {
  id: number;
  kind: ReleaseKind;
  environment: string;
  state: ReleaseState;
  /** Why raising it failed (state "failed"), or when it resumes (state "deferred"). */
  error?: string;
  title: string;
  body: string;
  requester: string;
  provider: "local" | "github";
  repo: string;
  baseBranch: string;
  branch: string;
  /** Pull request URL on GitHub; undefined for local change requests (they live in Slipway). */
  url?: string;
  number?: number;
  createdAt: string;
  approvedBy?: string;
  mergedBy?: string;
  mergedAt?: string;
  closedAt?: string;
  items: ReleaseItemView[];
  files: PlannedFile[];
  /** What the viewer may do with it now. */
  canMerge: boolean;
  canClose: boolean;
  /** Steps after the merge (reverse promotion), each with how it went. */
  followUps: { kind: string; service: string; repo: string; branch: string; version: string; state: string; detail?: string }[];
}

export type { ActionResult } from "@/lib/actions/action-result";
