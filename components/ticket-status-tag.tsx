"use client";

import { Tag } from "antd";
import type { TicketDetails } from "@/lib/tickets/ticket-details";

/** Jira colours a status by its category whatever the workflow calls it: grey to do, blue in progress, green done. */
const CATEGORY_COLOR: Record<TicketDetails["status"]["category"], string> = {
  todo: "default",
  "in-progress": "blue",
  done: "green",
};

const CATEGORY_LABEL: Record<TicketDetails["status"]["category"], string> = {
  todo: "to do",
  "in-progress": "in progress",
  done: "done",
};

export function TicketStatusTag({ status }: { status: TicketDetails["status"] }) {
  return (
    <Tag color={CATEGORY_COLOR[status.category]} title={`Status category: ${CATEGORY_LABEL[status.category]}`}>
      {status.name}
    </Tag>
  );
}
