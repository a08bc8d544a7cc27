"use server";

import { z } from "zod";
import type { ActionResult } from "@/lib/actions/action-result";
import { runAction } from "@/lib/actions/run-action";
import { authorize } from "@/lib/auth/authorize";
import { getServerClients } from "@/lib/server-clients";
import { jiraTicketSource } from "@/lib/tickets/jira-ticket-source";
import { readTicketDetails } from "@/lib/tickets/read-ticket-details";
import { MAX_TICKET_KEYS, TICKET_KEY, type TicketDetailsAnswer } from "@/lib/tickets/ticket-details";

const schema = z
  .object({
    /** The environment whose changelog shows the tickets: the caller must be able to view it. */
    environment: z.string().min(1).max(100),
    keys: z.array(z.string().regex(TICKET_KEY, "must be Jira issue keys such as PAY-123")).min(1).max(MAX_TICKET_KEYS),
  })
  .strict();

/** Jira's details of the tickets a changelog names, for the ticket drawer and the summaries beside keys. */
export async function readTicketDetailsAction(input: unknown): Promise<ActionResult<TicketDetailsAnswer>> {
  return runAction("ticket-details", schema, input, async ({ environment, keys }, origin) => {
    await authorize("environment.view", environment, origin);
    const { config, environment: settings } = getServerClients();
    return readTicketDetails(jiraTicketSource(config, settings.secret), keys);
  });
}
