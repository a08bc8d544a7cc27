"use client";

import { FileTextOutlined, RollbackOutlined } from "@ant-design/icons";
import { Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import Link from "next/link";
import type { VersionChange } from "@/lib/history/history-types";
import type { HistoryPageEntry } from "@/lib/history/read-history-page";
import { LocalTime } from "./local-time";
import { RelativeTime } from "./relative-time";
import { useQueryNavigation } from "./use-query-navigation";

function ChangeTag({ change }: { change: VersionChange }) {
  const chartNote = change.fromChart ? `chart ${change.fromChart} → ${change.chart}` : change.chart !== change.service ? `chart ${change.chart}` : undefined;
  const tag =
    change.kind === "added" ? (
      <Tag color="green">{`+ ${change.service} ${change.to} (added)`}</Tag>
    ) : change.kind === "removed" ? (
      <Tag color="red">{`− ${change.service} ${change.from} (removed)`}</Tag>
    ) : (
      <Tag>{`${change.service} ${change.from} → ${change.to}`}</Tag>
    );
  return chartNote ? <Tooltip title={chartNote}>{tag}</Tooltip> : tag;
}

function ChangeReference({ entry }: { entry: HistoryPageEntry }) {
  const links = [];
  if (entry.pullRequest) {
    links.push(
      entry.pullRequest.url ? (
        <a key="pr" href={entry.pullRequest.url} target="_blank" rel="noreferrer">
          PR #{entry.pullRequest.number}
        </a>
      ) : (
        <span key="pr">PR #{entry.pullRequest.number}</span>
      ),
    );
  }
  if (entry.releaseRequest) {
    links.push(
      <Link key="request" href={entry.releaseRequest.href}>
        {`Slipway ${entry.releaseRequest.kind} #${entry.releaseRequest.id}`}
      </Link>,
    );
  } else if (entry.changeRequest) {
    links.push(<span key="request">change request #{entry.changeRequest}</span>);
  }
  return links.length ? <Space orientation="vertical" size={0}>{links}</Space> : <Typography.Text type="secondary">—</Typography.Text>;
}

/**
 * An environment's release history, newest first. Paging happens on the server through `?page=`, so a page of a long
 * history can be linked to. "Roll back to here" is offered on every entry but the newest (which is what runs) and
 * those whose chart could not be read.
 */
export function EnvironmentHistoryTable(props: {
  environment: string;
  entries: HistoryPageEntry[];
  total: number;
  page: number;
  pageSize: number;
  canRollBack: boolean;
}) {
  const { pending, navigate } = useQueryNavigation();
  const newestSha = props.page === 1 ? props.entries[0]?.sha : undefined;

  const columns: ColumnsType<HistoryPageEntry> = [
    {
      title: "Time",
      dataIndex: "date",
      width: 170,
      render: (iso: string) => (
        <Space orientation="vertical" size={0}>
          <LocalTime iso={iso} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <RelativeTime iso={iso} />
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: "Author",
      dataIndex: "authorName",
      width: 160,
      render: (name: string, entry) => <span title={entry.authorEmail}>{name || entry.authorEmail}</span>,
    },
    {
      title: "Commit",
      dataIndex: "subject",
      render: (subject: string, entry) => (
        <Space orientation="vertical" size={0}>
          <span>{subject}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <Typography.Text code>{entry.sha.slice(0, 12)}</Typography.Text>
            {entry.merge ? " merge" : null}
          </Typography.Text>
        </Space>
      ),
    },
    { title: "Change", key: "reference", width: 170, render: (_, entry) => <ChangeReference entry={entry} /> },
    {
      title: "Versions",
      key: "changes",
      render: (_, entry) =>
        entry.kind === "unreadable" ? (
          <Typography.Text type="danger">Chart unreadable: {entry.error}</Typography.Text>
        ) : entry.kind === "readable" ? (
          <Typography.Text type="secondary">Chart readable again</Typography.Text>
        ) : (
          <Space size={[0, 4]} wrap>
            {entry.changes.map((change) => (
              <ChangeTag key={change.service} change={change} />
            ))}
          </Space>
        ),
    },
    {
      title: "",
      key: "notes",
      width: 130,
      render: (_: unknown, entry: HistoryPageEntry) =>
        entry.sha === newestSha ? null : (
          <Link
            href={`/environments/${encodeURIComponent(props.environment)}/notes?from=${entry.sha}`}
            aria-label={`Release notes since ${entry.sha.slice(0, 8)}`}
          >
            <FileTextOutlined /> Notes since
          </Link>
        ),
    },
    ...(props.canRollBack
      ? [
          {
            title: "",
            key: "rollback",
            width: 150,
            render: (_: unknown, entry: HistoryPageEntry) =>
              entry.sha === newestSha || entry.kind === "unreadable" ? null : (
                <Link href={`/environments/${encodeURIComponent(props.environment)}/rollback?to=${entry.sha}`}>
                  <RollbackOutlined /> Roll back to here
                </Link>
              ),
          },
        ]
      : []),
  ];

  return (
    <Table<HistoryPageEntry>
      rowKey="sha"
      columns={columns}
      dataSource={props.entries}
      size="middle"
      scroll={{ x: 1000 }}
      loading={pending}
      aria-label="Release history"
      locale={{ emptyText: <Typography.Text type="secondary">No commit on this branch has changed a chart version yet.</Typography.Text> }}
      pagination={{
        current: props.page,
        pageSize: props.pageSize,
        total: props.total,
        showSizeChanger: false,
        hideOnSinglePage: true,
        showTotal: (total) => `${total} entries`,
        onChange: (page) => navigate({ page: page > 1 ? page : undefined }),
      }}
    />
  );
}
