"use client";

import Link from "next/link";
import { Alert, Drawer, Flex, Typography } from "antd";
import type { PlannedTicket } from "@/lib/releases/release-types";

/**
 * What Slipway knows about a ticket without Jira: its key, its link when a Jira URL is configured, and the commits
 * that name it. Summaries and statuses need the Jira integration; the drawer says so rather than inventing them.
 */
export function TicketDrawer({ ticket, onClose }: { ticket?: PlannedTicket; onClose: () => void }) {
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
          <Link href={`/where?q=${encodeURIComponent(ticket.key)}`}>Where is {ticket.key} running?</Link>
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
