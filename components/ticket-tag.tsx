"use client";

import { Tag } from "antd";
import type { KeyboardEvent } from "react";

/** A ticket key as a tag that opens its details: a real button to keyboards and screen readers. */
export function TicketTag({ ticketKey, onOpen }: { ticketKey: string; onOpen: () => void }) {
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen();
    }
  }
  return (
    <Tag color="geekblue" role="button" tabIndex={0} onClick={onOpen} onKeyDown={onKeyDown} style={{ cursor: "pointer" }}>
      {ticketKey}
    </Tag>
  );
}
