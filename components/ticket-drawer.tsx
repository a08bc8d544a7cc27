"use client";

import Link from "next/link";
import { Alert, Descriptions, Drawer, Flex, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import type { PlannedTicket } from "@/lib/releases/release-types";
import type { WhereRunningAnswer } from "@/lib/releases/where-running";
import type { TicketDetails } from "@/lib/tickets/ticket-details";
import { TicketStatusTag } from "./ticket-status-tag";
import type { TicketDetailsView } from "./use-ticket-details";

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

/** Summary, status, type, assignee and fix versions, as Jira has them. */
function JiraFields({ details }: { details: TicketDetails }) {
  return (
    <Flex vertical gap={8}>
      <Typography.Text strong>{details.summary}</Typography.Text>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "status", label: "Status", children: <TicketStatusTag status={details.status} /> },
          { key: "type", label: "Type", children: details.type },
          { key: "assignee", label: "Assignee", children: details.assignee ?? <Typography.Text type="secondary">Unassigned</Typography.Text> },
          {
            key: "fix-versions",
            label: "Fix versions",
            children:
              details.fixVersions.length > 0 ? (
                <Flex wrap gap={4}>
                  {details.fixVersions.map((version) => (
                    <Tag key={version.name} color={version.released ? "green" : undefined} title={version.released ? "Released" : "Not released yet"}>
                      {version.name}
                    </Tag>
                  ))}
                </Flex>
              ) : (
                <Typography.Text type="secondary">None</Typography.Text>
              ),
          },
        ]}
      />
    </Flex>
  );
}

/** What Jira says of the ticket, or why it says nothing: not set up (and what to set), failing, or no such ticket. */
function JiraSection({ ticketKey, details }: { ticketKey: string; details?: TicketDetailsView }) {
  if (!details) return <Alert type="info" showIcon title="Jira is not configured: summaries appear once it is." />;
  switch (details.state) {
    case "loading":
      return <Typography.Text type="secondary">Reading {ticketKey} from Jira…</Typography.Text>;
    case "off":
      return <Alert type="info" showIcon title="Jira is not configured: summaries appear once it is." description={details.reason} />;
    case "failed":
      return <Alert type="warning" showIcon title="Jira could not be read" description={details.error} />;
    case "on": {
      const lookup = details.tickets.get(ticketKey);
      if (lookup?.found) return <JiraFields details={lookup.ticket} />;
      return <Alert type="info" showIcon title={lookup ? lookup.message : `Jira did not answer for ${ticketKey}.`} />;
    }
  }
}

const NO_COMMIT_PAGE = "The service's repository is not on GitHub or an https URL, so Slipway has no page to link this commit to.";

/**
 * A ticket as the changelog knows it — its key, the commits that name it (each linked to its diff when the service
 * repository is browsable), where it runs — and, with Jira set up, as Jira has it: summary, status, type, assignee
 * and fix versions. When Jira is off or failing, the drawer says why rather than inventing them.
 */
export function TicketDrawer({
  ticket,
  onClose,
  whereRunning,
  details,
}: {
  ticket?: PlannedTicket;
  onClose: () => void;
  whereRunning?: WhereRunningLookup;
  /** The review's one read of its tickets from Jira (useTicketDetails); without it the drawer says Jira is not configured. */
  details?: TicketDetailsView;
}) {
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
  const lookup = ticket && details?.state === "on" ? details.tickets.get(ticket.key) : undefined;
  const jiraUrl = ticket?.url ?? (lookup?.found ? lookup.ticket.url : undefined);

  return (
    <Drawer open={Boolean(ticket)} onClose={onClose} title={ticket?.key} size={460} destroyOnHidden>
      {ticket ? (
        <Flex vertical gap={16}>
          {jiraUrl ? (
            <a href={jiraUrl} target="_blank" rel="noreferrer">
              Open {ticket.key} in Jira
            </a>
          ) : null}
          <section aria-label={`${ticket.key} in Jira`}>
            <JiraSection ticketKey={ticket.key} details={details} />
          </section>
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
                  {commit.url && /^https?:\/\//.test(commit.url) ? (
                    <a href={commit.url} target="_blank" rel="noreferrer" aria-label={`Diff of commit ${commit.sha.slice(0, 7)}`}>
                      <Typography.Text code>{commit.sha.slice(0, 7)}</Typography.Text>
                    </a>
                  ) : (
                    <span title={NO_COMMIT_PAGE}>
                      <Typography.Text code>{commit.sha.slice(0, 7)}</Typography.Text>
                    </span>
                  )}{" "}
                  {commit.subject}
                </li>
              ))}
            </ul>
          </section>
        </Flex>
      ) : null}
    </Drawer>
  );
}
