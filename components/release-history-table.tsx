"use client";

import { Select, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import Link from "next/link";
import type { ReleaseKind, ReleaseRequestView, ReleaseState } from "@/lib/releases/release-types";
import { RelativeTime } from "./relative-time";
import { ReleaseKindTag, ReleaseStateTag } from "./release-state-tag";
import { useQueryNavigation } from "./use-query-navigation";

interface Filters {
  environment?: string;
  state?: ReleaseState;
  kind?: ReleaseKind;
}

const STATES: ReleaseState[] = ["open", "deferred", "merged", "closed", "failed"];
const KINDS: ReleaseKind[] = ["upgrade", "rollback", "promotion"];

const columns: ColumnsType<ReleaseRequestView> = [
  { title: "#", dataIndex: "id", width: 80, render: (id: number) => <Link href={`/releases/${id}`}>#{id}</Link> },
  { title: "Title", dataIndex: "title", render: (title: string, r) => <Link href={`/releases/${r.id}`}>{title}</Link> },
  {
    title: "Environment",
    dataIndex: "environment",
    render: (environment: string) => <Link href={`/environments/${encodeURIComponent(environment)}`}>{environment}</Link>,
  },
  { title: "Kind", dataIndex: "kind", render: (kind: ReleaseKind) => <ReleaseKindTag kind={kind} /> },
  { title: "State", dataIndex: "state", render: (state: ReleaseState) => <ReleaseStateTag state={state} /> },
  { title: "Requested by", dataIndex: "requester" },
  { title: "Created", dataIndex: "createdAt", width: 160, render: (iso: string) => <RelativeTime iso={iso} /> },
];

/** Release history with its filters; filtering and paging happen on the server through the URL, so views can be shared. */
export function ReleaseHistoryTable(props: {
  requests: ReleaseRequestView[];
  total: number;
  page: number;
  pageSize: number;
  environments: string[];
  filters: Filters;
}) {
  const { pending, navigate } = useQueryNavigation();

  function go(filters: Filters, page = 1) {
    navigate({ ...filters, page: page > 1 ? page : undefined });
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }} aria-busy={pending}>
        <Select
          aria-label="Environment"
          placeholder="All environments"
          allowClear
          showSearch
          value={props.filters.environment}
          onChange={(environment?: string) => go({ ...props.filters, environment })}
          options={props.environments.map((e) => ({ value: e, label: e }))}
          style={{ minWidth: 220 }}
        />
        <Select
          aria-label="State"
          placeholder="Any state"
          allowClear
          value={props.filters.state}
          onChange={(state?: ReleaseState) => go({ ...props.filters, state })}
          options={STATES.map((s) => ({ value: s, label: s }))}
          style={{ minWidth: 140 }}
        />
        <Select
          aria-label="Kind"
          placeholder="Any kind"
          allowClear
          value={props.filters.kind}
          onChange={(kind?: ReleaseKind) => go({ ...props.filters, kind })}
          options={KINDS.map((k) => ({ value: k, label: k }))}
          style={{ minWidth: 140 }}
        />
      </Space>
      <Table<ReleaseRequestView>
        rowKey="id"
        columns={columns}
        dataSource={props.requests}
        size="middle"
        scroll={{ x: 900 }}
        loading={pending}
        aria-label="Release requests"
        locale={{ emptyText: <Typography.Text type="secondary">No release requests yet.</Typography.Text> }}
        pagination={{
          current: props.page,
          pageSize: props.pageSize,
          total: props.total,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: (page) => go(props.filters, page),
        }}
      />
    </>
  );
}
