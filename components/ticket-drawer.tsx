"use client";

import Link from "next/link";
import { Alert, Drawer, Flex, Typography } from "antd";
import { useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import type { PlannedTicket } from "@/lib/releases/release-types";
import type { WhereRunningAnswer } from "@/lib/releases/where-running";

/** The drawer's way to ask "where is it running?" (a server action the page passes down). */
export type WhereRunningLookup = (input: { query: string }) => Promise<ActionResult<WhereRunningAnswer>>;

/** "shipped in shop-dev since 2.3.0, not yet in shop-production", per service. */
function describeWhere(answer: WhereRunningAnswer): string[] {
  if (answer.services.length === 0) return [`No released version of any service names ${answer.query} yet.`];
  return answer.services.map((service) => {
    const has = service.environments.filter((e) => e.contains === "yes").map((e) => e.environment);
    const lacks = service.environments.filter((e) => e.contains === "no" || e.contains === "partly").map((e) => e.environment);
    const parts = [
      has.length > 0 ? `shipped in ${has.join(", ")}${service.since ? ` since ${service.since}` : ""}` : `in no environment yet${service.since ? ` (released in ${service.since})` : ""}`,
      ...(lacks.length > 0 ? [`not yet in ${lacks.join(", ")}`] : []),
    ];
    return `${service.service}: ${parts.join("; ")}`;
  });
}

/**
 * What Slipway knows about a ticket without Jira: its key, its link when a Jira URL is configured, and the commits
 * that name it. Summaries and statuses need the Jira integration; the drawer says so rather than inventing them.
 */
export function TicketDrawer({ ticket, onClose, whereRunning }: { ticket?: PlannedTicket; onClose: () => void; whereRunning?: WhereRunningLookup }) {
  const [where, setWhere] = useState<{ key: string; lines: string[] }>();
  useEffect(() => {
    if (!ticket || !whereRunning) return;
    let current = true;
    whereRunning({ query: ticket.key })
      .then((result) => {
        if (current) setWhere({ key: ticket.key, lines: result.ok ? describeWhere(result.value) : [result.error] });
      })
      .catch(() => current && setWhere({ key: ticket.key, lines: ["Could not reach the server."] }));
    return () => {
      current = false;
    };
  }, [ticket, whereRunning]);
  const lines = where?.key === ticket?.key ? where?.lines : undefined;

  return (
    <Drawer open={Boolean(ticket)} onClose={onClose} title={ticket?.key} size={460} destroyOnHidden>
      {ticket ? (
        <Flex vertical gap={16}>
          {ticket.url ? (
            <a href={ticket.url} target="_blank" rel="noreferrer">
              Open {ticket.key} in Jira
            </a>
          ) : null}
          <Alert type="info" showIcon title="Jira is not configured: summaries appear once it is." />
          <section aria-label={`Where ${ticket.key} is running`}>
            {whereRunning ? (
              lines ? (
                <ul style={{ paddingInlineStart: 20, margin: "0 0 4px" }}>
                  {lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : (
                <Typography.Text type="secondary">Looking up where it runs…</Typography.Text>
              )
            ) : null}
            <Link href={`/where?q=${encodeURIComponent(ticket.key)}`}>Where is {ticket.key} running?</Link>
          </section>
          <section aria-label={`Commits that mention ${ticket.key}`}>
            <Typography.Title level={5}>
              {ticket.commits.length === 1 ? "1 commit mentions it" : `${ticket.commits.length} commits mention it`}
            </Typography.Title>
            <ul style={{ paddingInlineStart: 20, margin: 0 }}>
              {ticket.commits.map((commit) => (
                <li key={commit.sha}>
                  <Typography.Text code>{commit.sha.slice(0, 7)}</Typography.Text> {commit.subject}
                </li>
              ))}
            </ul>
          </section>
        </Flex>
      ) : null}
    </Drawer>
  );
}
