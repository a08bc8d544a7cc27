import "server-only";
import { errorMessage, isSlipwayError } from "@/lib/errors";
import type { Jira, TicketRead } from "@/lib/integrations/jira/jira-client";
import { logger } from "@/lib/logger";
import type { TicketDetails, TicketDetailsAnswer, TicketLookup } from "./ticket-details";

/** All the drawer and the changelog need of the Jira port. */
export type TicketReader = Pick<Jira, "readTickets">;

/** Jira for reading tickets, or why there is none. */
export type TicketSource = { on: true; reader: TicketReader } | { on: false; reason: string };

const log = logger.child({ component: "ticket-details" });

/**
 * Summary, status, type, assignee and fix versions of many tickets in one read: the adapter asks Jira for up to 100
 * keys per JQL query (the enhanced search on Cloud, `search` on Data Center) and keeps each answer for
 * jira.cacheSeconds, so opening the drawer after the changelog asked costs nothing. Jira being off or failing is an
 * answer, not an error: the review it decorates goes on with the keys alone.
 */
export async function readTicketDetails(source: TicketSource, keys: readonly string[]): Promise<TicketDetailsAnswer> {
  if (!source.on) return { jira: "off", reason: source.reason };
  if (keys.length === 0) return { jira: "on", tickets: [] };
  let reads: Map<string, TicketRead>;
  try {
    reads = await source.reader.readTickets(keys);
  } catch (error) {
    // JiraError's message says what to do (credentials, permission, outage); anything else is logged in full.
    if (!isSlipwayError(error)) log.error({ err: error, keys: keys.length }, "reading tickets from Jira failed");
    else log.warn({ error: errorMessage(error), keys: keys.length }, "reading tickets from Jira failed");
    return { jira: "failed", error: isSlipwayError(error) ? error.message : `Jira could not be read: ${errorMessage(error)}` };
  }
  const tickets: TicketLookup[] = [...reads.entries()].map(([key, read]) =>
    read.found ? { key, found: true, ticket: toDetails(read.ticket) } : { key, found: false, message: read.message },
  );
  return { jira: "on", tickets };
}

function toDetails(ticket: Extract<TicketRead, { found: true }>["ticket"]): TicketDetails {
  return {
    key: ticket.key,
    url: ticket.url,
    summary: ticket.summary,
    status: { name: ticket.status.name, category: ticket.status.category },
    type: ticket.type,
    ...(ticket.assignee ? { assignee: ticket.assignee.displayName } : {}),
    fixVersions: ticket.fixVersions.map((version) => ({ name: version.name, released: version.released })),
  };
}
