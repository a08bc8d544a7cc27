"use client";

import { Input, Select, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { AuditEventView } from "@/lib/audit/list-audit-events";
import { LocalTime } from "./local-time";
import { useQueryNavigation } from "./use-query-navigation";

interface Filters {
  actor?: string;
  action?: string;
  environment?: string;
}

const columns: ColumnsType<AuditEventView> = [
  { title: "When", dataIndex: "at", width: 200, render: (at: string) => <LocalTime iso={at} /> },
  { title: "Who", dataIndex: "actor", render: (actor: string, e) => <>{actor} <Tag>{e.actorSource}</Tag></> },
  { title: "What", dataIndex: "action", render: (action: string) => <Tag color={action.endsWith("failure") ? "red" : "default"}>{action}</Tag> },
  { title: "Environment", dataIndex: "environment", render: (v?: string) => v ?? "—" },
  { title: "Details", dataIndex: "detail", render: (v: string | undefined, e) => [e.target, v].filter(Boolean).join(" ") || "—" },
  { title: "From", dataIndex: "ip", render: (ip: string | undefined, e) => <span title={e.userAgent}>{ip ?? "—"}</span> },
];

/** The audit trail with its filters; filtering and paging happen on the server through the URL. */
export function AuditTable(props: { events: AuditEventView[]; total: number; page: number; pageSize: number; actions: string[]; filters: Filters }) {
  const { navigate } = useQueryNavigation();

  function go(filters: Filters, page = 1) {
    navigate({ ...filters, page: page > 1 ? page : undefined });
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="Filter by user"
          placeholder="User"
          allowClear
          defaultValue={props.filters.actor}
          onSearch={(actor) => go({ ...props.filters, actor: actor || undefined })}
          style={{ width: 200 }}
        />
        <Select
          aria-label="Filter by action"
          placeholder="Any action"
          allowClear
          value={props.filters.action}
          onChange={(action?: string) => go({ ...props.filters, action })}
          options={props.actions.map((a) => ({ value: a, label: a }))}
          style={{ minWidth: 200 }}
        />
      </Space>
      <Table<AuditEventView>
        rowKey="id"
        columns={columns}
        dataSource={props.events}
        size="small"
        scroll={{ x: 900 }}
        pagination={{ current: props.page, pageSize: props.pageSize, total: props.total, showSizeChanger: false, onChange: (page) => go(props.filters, page) }}
      />
    </>
  );
}
