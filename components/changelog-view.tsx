"use client";

import { Alert, Flex, Typography } from "antd";
import type { PlannedChangelog, PlannedTicket } from "@/lib/releases/release-types";
import { TicketTag } from "./ticket-tag";

const isBrowsable = (url?: string) => Boolean(url && /^https?:\/\//.test(url));

function commitsHeading(changelog: PlannedChangelog): string {
  const count = changelog.commits.length === 1 ? "1 commit" : `${changelog.commits.length} commits`;
  const range = `${changelog.fromTag} → ${changelog.toTag}`;
  if (changelog.effect === "removed") return `${count} this downgrade takes away (${range})`;
  return `${count} (${range})`;
}

/** One service's changelog: the commits between the two tags, the tickets they name, and why it may be partial. */
export function ChangelogView({ changelog, onOpenTicket }: { changelog: PlannedChangelog; onOpenTicket: (ticket: PlannedTicket) => void }) {
  return (
    <Flex vertical gap={12}>
      {changelog.notes.map((note) => (
        <Alert key={note} type="info" showIcon title={note} />
      ))}
      {changelog.tickets.length > 0 ? (
        <div>
          <Typography.Text strong>Tickets: </Typography.Text>
          {changelog.tickets.map((ticket) => (
            <TicketTag key={ticket.key} ticketKey={ticket.key} onOpen={() => onOpenTicket(ticket)} />
          ))}
        </div>
      ) : null}
      {changelog.commits.length > 0 ? (
        <div>
          <Typography.Text strong>{commitsHeading(changelog)}</Typography.Text>
          <ul style={{ paddingInlineStart: 20, margin: "4px 0 0" }}>
            {changelog.commits.map((commit) => (
              <li key={commit.sha}>
                {isBrowsable(commit.url) ? (
                  <a href={commit.url} target="_blank" rel="noreferrer" aria-label={`Commit ${commit.sha.slice(0, 7)}`}>
                    <Typography.Text code>{commit.sha.slice(0, 7)}</Typography.Text>
                  </a>
                ) : (
                  <Typography.Text code>{commit.sha.slice(0, 7)}</Typography.Text>
                )}{" "}
                {commit.subject} <Typography.Text type="secondary">— {commit.author}</Typography.Text>
              </li>
            ))}
          </ul>
          {changelog.truncated ? (
            <Typography.Text type="secondary">The list is cut short; the source repository has the rest.</Typography.Text>
          ) : null}
        </div>
      ) : changelog.effect === "none" || changelog.notes.length === 0 ? (
        <Typography.Text type="secondary">No commits between {changelog.fromTag} and {changelog.toTag}.</Typography.Text>
      ) : null}
    </Flex>
  );
}
