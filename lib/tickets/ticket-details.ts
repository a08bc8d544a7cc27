/**
 * What the ticket drawer and the changelog show of a Jira ticket: plain DTOs for the browser, free of Jira's payloads
 * and of `server-only`, so client components can name them (read-ticket-details.ts produces them).
 */

/** A Jira issue key, as the drawer and the changelog send them: PAY-123. */
export const TICKET_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

/** Keys per call: a review's changelog asks once for all of its tickets, in calls of at most this many. */
export const MAX_TICKET_KEYS = 200;

export interface TicketDetails {
  key: string;
  /** Where a person opens it in Jira. */
  url: string;
  summary: string;
  /** The workflow's status name, and the category Jira gives every status (its colour). */
  status: { name: string; category: "todo" | "in-progress" | "done" };
  /** Bug, Story, Task… */
  type: string;
  /** The assignee's display name; none when unassigned. */
  assignee?: string;
  fixVersions: { name: string; released: boolean }[];
}

/** One key's answer: its details, or why Jira had none (unknown or hidden, another project). */
export type TicketLookup = { key: string; found: true; ticket: TicketDetails } | { key: string; found: false; message: string };

/**
 * The answer for a batch of keys. `off`: Jira is not set up, and `reason` says what to set; `failed`: Jira was asked
 * and could not answer (the review goes on with the keys alone).
 */
export type TicketDetailsAnswer =
  | { jira: "off"; reason: string }
  | { jira: "failed"; error: string }
  | { jira: "on"; tickets: TicketLookup[] };
