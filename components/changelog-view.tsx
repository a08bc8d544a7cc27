"use client";

import { Alert, Flex, Typography } from "antd";
import type { PlannedChangelog, PlannedTicket } from "@/lib/releases/release-types";
import { TicketStatusTag } from "./ticket-status-tag";
import { TicketTag } from "./ticket-tag";
import type { TicketDetailsView } from "./use-ticket-details";

const isBrowsable = (url?: string) => Boolean(url && /^https?:\/\//.test(url));

function commitsHeading(changelog: PlannedChangelog): string {
  const count = changelog.commits.length === 1 ? "1 commit" : `${changelog.commits.length} commits`;
  const range = `${changelog.fromTag} → ${changelog.toTag}`;
  if (changelog.effect === "removed") return `${count} this downgrade takes away (${range})`;
  return `${count} (${range})`;
}

/** The tickets as keys with Jira's summary and status beside each, once Jira has answered; the keys alone until then. */
function TicketList({ tickets, details, onOpenTicket }: { tickets: PlannedTicket[]; details?: TicketDetailsView; onOpenTicket: (ticket: PlannedTicket) => void }) {
  if (details?.state !== "on") {
    return (
      <div>
        <Typography.Text strong>Tickets: </Typography.Text>
        {tickets.map((ticket) => (
          <TicketTag key={ticket.key} ticketKey={ticket.key} onOpen={() => onOpenTicket(ticket)} />
        ))}
      </div>
    );
  }
  return (
    <div>
      <Typography.Text strong>Tickets</Typography.Text>
      <ul style={{ listStyle: "none", paddingInlineStart: 0, margin: "4px 0 0" }}>
        {tickets.map((ticket) => {
          const lookup = details.tickets.get(ticket.key);
          return (
            <li key={ticket.key} style={{ marginBottom: 4 }}>
              <TicketTag ticketKey={ticket.key} onOpen={() => onOpenTicket(ticket)} />
              {lookup?.found ? (
                <>
                  {lookup.ticket.summary} <TicketStatusTag status={lookup.ticket.status} />
                </>
              ) : (
                <Typography.Text type="secondary">{lookup ? lookup.message : "Jira did not answer for this ticket."}</Typography.Text>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/**
 * One service's changelog: the commits between the two tags, the tickets they name (with Jira's summaries when the
 * review passes them), and why it may be partial.
 */
export function ChangelogView({
  changelog,
  onOpenTicket,
  ticketDetails,
}: {
  changelog: PlannedChangelog;
  onOpenTicket: (ticket: PlannedTicket) => void;
  ticketDetails?: TicketDetailsView;
}) {
  return (
    <Flex vertical gap={12}>
      {changelog.notes.map((note) => (
        <Alert key={note} type="info" showIcon title={note} />
      ))}
      {changelog.tickets.length > 0 ? <TicketList tickets={changelog.tickets} details={ticketDetails} onOpenTicket={onOpenTicket} /> : null}
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
