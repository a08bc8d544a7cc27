"use client";

import { Alert, Button, Collapse, Flex, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import type { PlannedItem, PlannedTicket, UpgradePlan } from "@/lib/releases/release-types";
import { ChangelogView } from "./changelog-view";
import { DiffView } from "./diff-view";
import { TicketDrawer, type WhereRunningLookup } from "./ticket-drawer";
import { type TicketDetailsLookup, useTicketDetails } from "./use-ticket-details";

function itemLabel(item: PlannedItem) {
  return (
    <Space size={8} wrap>
      <Typography.Text strong>{item.service}</Typography.Text>
      <span>
        <Typography.Text code>{item.from}</Typography.Text> → <Typography.Text code>{item.to}</Typography.Text>
      </span>
      {item.direction === "downgrade" ? <Tag color="red">downgrade</Tag> : null}
      {item.direction === "same" ? <Tag>no change</Tag> : null}
    </Space>
  );
}

function itemSummary(item: PlannedItem): string {
  const { commits, tickets } = item.changelog;
  const c = commits.length === 1 ? "1 commit" : `${commits.length} commits`;
  const t = tickets.length === 1 ? "1 ticket" : `${tickets.length} tickets`;
  return `${c} · ${t}`;
}

/**
 * Step 2 of the upgrade: what the change request would contain — per service the changelog and its tickets, then the
 * exact edit to the stack repository — before anything is written.
 */
export function UpgradePlanReview({
  plan,
  raising,
  error,
  onBack,
  onRaise,
  whereRunning,
  ticketDetails,
}: {
  plan: UpgradePlan;
  raising: boolean;
  error?: string;
  onBack: () => void;
  onRaise: () => void;
  whereRunning?: WhereRunningLookup;
  /** Reads the plan's tickets from Jira: once for the whole review, for the summaries and the drawer. */
  ticketDetails?: TicketDetailsLookup;
}) {
  const [ticket, setTicket] = useState<PlannedTicket>();
  const keys = useMemo(() => plan.items.flatMap((item) => item.changelog.tickets.map((t) => t.key)), [plan]);
  const details = useTicketDetails(ticketDetails, plan.environment, keys);
  const nothingToChange = plan.files.length === 0;

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {plan.title}
        </Typography.Title>
        <Typography.Text type="secondary">
          Planned on <Typography.Text code>{plan.branch}</Typography.Text> at{" "}
          <Typography.Text code>{plan.baseSha.slice(0, 12)}</Typography.Text>. If the branch moves before you raise it,
          Slipway plans again on the new head.
        </Typography.Text>
      </div>
      {plan.notes.map((note) => (
        <Alert key={note} type="warning" showIcon title={note} />
      ))}

      <section aria-label="Changelog">
        <Typography.Title level={5}>Services</Typography.Title>
        <Collapse
          defaultActiveKey={plan.items.map((item) => item.service)}
          items={plan.items.map((item) => ({
            key: item.service,
            label: itemLabel(item),
            extra: <Typography.Text type="secondary">{itemSummary(item)}</Typography.Text>,
            children: <ChangelogView changelog={item.changelog} onOpenTicket={setTicket} ticketDetails={details} />,
          }))}
        />
      </section>

      <section aria-label="File changes">
        <Typography.Title level={5}>Changes to the stack repository</Typography.Title>
        {nothingToChange ? (
          <Typography.Text type="secondary">No file changes: every selected service already runs its target version.</Typography.Text>
        ) : (
          <Flex vertical gap={12}>
            {plan.files.map((file) => (
              <DiffView key={file.path} path={file.path} diff={file.diff} />
            ))}
          </Flex>
        )}
      </section>

      <Collapse
        items={[
          {
            key: "body",
            label: "Change request description",
            children: <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: 12 }}>{plan.body}</pre>,
          },
        ]}
      />

      {error ? <Alert type="error" showIcon title="The change request was not raised" description={error} /> : null}

      <Space>
        <Button onClick={onBack} disabled={raising}>
          Back
        </Button>
        <Button type="primary" onClick={onRaise} loading={raising} disabled={nothingToChange}>
          Raise change request
        </Button>
      </Space>

      <TicketDrawer ticket={ticket} onClose={() => setTicket(undefined)} whereRunning={whereRunning} details={details} />
    </Flex>
  );
}
