/**
 * Slipway's view of Jira: what the ticket drawer, the changelog and the release flows need, and nothing of Jira's
 * payloads (jira-payloads.ts reshapes those into these types).
 */

export type JiraDeployment = "cloud" | "datacenter";

/** Jira's three status categories, which every workflow status belongs to, whatever it is called. */
export type StatusCategory = "todo" | "in-progress" | "done";

export interface TicketStatus {
  name: string;
  category: StatusCategory;
}

export interface TicketPerson {
  /** accountId on Cloud, the user name on Data Center. */
  id: string;
  displayName: string;
}

export interface FixVersion {
  id: string;
  name: string;
  released: boolean;
  archived: boolean;
  /** YYYY-MM-DD. */
  releaseDate?: string;
}

export interface Ticket {
  key: string;
  project: string;
  /** Where a person opens it: {site}/browse/KEY. */
  url: string;
  summary: string;
  status: TicketStatus;
  /** Issue type name: Bug, Story, Task… */
  type: string;
  assignee?: TicketPerson;
  fixVersions: FixVersion[];
  labels: string[];
}

/**
 * Why a ticket could not be read. Jira answers the same for a ticket that does not exist and one the account may not
 * see (it does not reveal which), so both are `unknown`.
 */
export type MissingTicketReason = "unknown" | "other-project" | "invalid-key";

export type TicketRead = { found: true; ticket: Ticket } | { found: false; key: string; reason: MissingTicketReason; message: string };

/** Why a change to a ticket was not made. Reported on the release request; never an error that blocks it. */
export type SkipReason = "unknown-ticket" | "other-project" | "no-permission" | "no-transition" | "rejected";

/**
 * What a write to a ticket did. `unchanged` means the ticket already was as asked (a retry after a lost answer lands
 * here), so counting `changed` counts effects.
 */
export type TicketChange =
  | { outcome: "changed"; detail: string }
  | { outcome: "unchanged"; detail: string }
  | { outcome: "skipped"; reason: SkipReason; message: string };

export interface VersionChange {
  outcome: "changed" | "unchanged";
  version: FixVersion;
}

export interface PullRequestLink {
  url: string;
  title: string;
  /**
   * Identifies the link in Jira: posting again with the same globalId updates the link instead of adding another
   * (Jira's documented upsert). Use something stable per pull request, such as its URL.
   */
  globalId: string;
  /** Shown under the title in Jira: "Upgrade payments to 1.4.2 in production". */
  summary?: string;
  /** Shown struck through in Jira once merged or closed. */
  resolved?: boolean;
}

export interface JiraConnection {
  deployment: JiraDeployment;
  /** Jira's version ("1001.0.0-SNAPSHOT" on Cloud, "9.12.4" on Data Center). */
  version: string;
  serverTitle?: string;
  /** The base URL Jira believes it has. */
  baseUrl?: string;
  user: { id: string; displayName: string; email?: string };
  /** Things that work but are probably not what was meant, such as a deployment type that differs from slipway.yaml. */
  warnings: string[];
}

/** The Jira port: narrow on purpose, each write idempotent where Jira allows it (see jira-client.ts). */
export interface Jira {
  readonly deployment: JiraDeployment;
  readonly siteUrl: string;
  readTickets(keys: readonly string[], options?: { fresh?: boolean }): Promise<Map<string, TicketRead>>;
  findOrCreateFixVersion(project: string, name: string, options?: { description?: string }): Promise<FixVersion>;
  addFixVersion(key: string, versionId: string): Promise<TicketChange>;
  addLabel(key: string, label: string): Promise<TicketChange>;
  linkPullRequest(key: string, link: PullRequestLink): Promise<TicketChange>;
  comment(key: string, text: string, options?: { marker?: string }): Promise<TicketChange>;
  transition(key: string, name: string, options?: { unlessCategory?: readonly StatusCategory[] }): Promise<TicketChange>;
  setVersionReleased(versionId: string, released: boolean, releaseDate?: Date | string): Promise<VersionChange>;
  archiveVersion(versionId: string): Promise<VersionChange>;
  testConnection(): Promise<JiraConnection>;
}
