"use client";

import { useEffect, useMemo, useState } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import { MAX_TICKET_KEYS, TICKET_KEY, type TicketDetailsAnswer, type TicketLookup } from "@/lib/tickets/ticket-details";

/** The server action that reads tickets from Jira for one environment's review (app/tickets/actions.ts). */
export type TicketDetailsLookup = (input: { environment: string; keys: string[] }) => Promise<ActionResult<TicketDetailsAnswer>>;

/** What a review knows of its tickets from Jira: still asking, Jira off or failing (and why), or the answers. */
export type TicketDetailsView =
  | { state: "loading" }
  | { state: "off"; reason: string }
  | { state: "failed"; error: string }
  | { state: "on"; tickets: ReadonlyMap<string, TicketLookup> };

/**
 * Reads every ticket of a review in one call (more only past MAX_TICKET_KEYS keys), for the summaries beside keys and
 * the drawer alike. Undefined without a lookup: the page offers no Jira.
 */
export function useTicketDetails(lookup: TicketDetailsLookup | undefined, environment: string, keys: readonly string[]): TicketDetailsView | undefined {
  const wanted = useMemo(() => [...new Set(keys)].filter((key) => TICKET_KEY.test(key)), [keys]);
  const request = `${environment}\n${wanted.join(",")}`;
  const [answer, setAnswer] = useState<{ request: string; view: TicketDetailsView }>();

  useEffect(() => {
    if (!lookup || wanted.length === 0) return;
    let current = true;
    const batches: string[][] = [];
    for (let index = 0; index < wanted.length; index += MAX_TICKET_KEYS) batches.push(wanted.slice(index, index + MAX_TICKET_KEYS));
    Promise.all(batches.map((batch) => lookup({ environment, keys: batch })))
      .then((results) => {
        if (current) setAnswer({ request, view: combine(results) });
      })
      .catch(() => current && setAnswer({ request, view: { state: "failed", error: "Could not reach the server to read the tickets from Jira." } }));
    return () => {
      current = false;
    };
    // `request` stands for environment and wanted: a new array with the same keys asks nothing again.
  }, [lookup, request]);

  if (!lookup) return undefined;
  if (wanted.length === 0) return { state: "on", tickets: new Map() };
  return answer?.request === request ? answer.view : { state: "loading" };
}

function combine(results: ActionResult<TicketDetailsAnswer>[]): TicketDetailsView {
  const tickets = new Map<string, TicketLookup>();
  for (const result of results) {
    if (!result.ok) return { state: "failed", error: result.error };
    const answer = result.value;
    if (answer.jira === "off") return { state: "off", reason: answer.reason };
    if (answer.jira === "failed") return { state: "failed", error: answer.error };
    for (const ticket of answer.tickets) tickets.set(ticket.key, ticket);
  }
  return { state: "on", tickets };
}
