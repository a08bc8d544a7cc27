"use client";

import { LineChartOutlined, BranchesOutlined, RollbackOutlined } from "@ant-design/icons";
import Link from "next/link";
import { Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ServiceDetail } from "@/lib/snapshots/read-environment-detail";
import { LocalNumber } from "./local-number";
import { StatusBadge } from "./status-badge";

const isBrowsable = (url?: string) => Boolean(url && /^https?:\/\//.test(url));

const baseColumns: ColumnsType<ServiceDetail> = [
  {
    title: "Service",
    dataIndex: "service",
    sorter: (a, b) => a.service.localeCompare(b.service),
    render: (_, s) => (
      <span id={`service-${s.service}`}>
        <Typography.Text strong>{s.service}</Typography.Text>
        {s.chart !== s.service ? <Typography.Text type="secondary"> ({s.chart})</Typography.Text> : null}
      </span>
    ),
  },
  {
    title: "Running",
    dataIndex: "running",
    render: (_, s) => (
      <Space size={4} wrap>
        <Typography.Text code>{s.running ?? "?"}</Typography.Text>
        {s.constraint !== s.running ? (
          <Tooltip title={`version: ${s.constraint} in the chart, resolved from the ${s.resolvedFrom ?? "—"}`}>
            <Tag>{s.constraint}</Tag>
          </Tooltip>
        ) : null}
        {s.unpinned ? (
          <Tooltip title="A range with no lock entry: what runs is the registry's highest match at deploy time.">
            <Tag color="orange">unpinned</Tag>
          </Tooltip>
        ) : null}
        {s.imageTag ? <Tag title="image tag override in values.yaml">image {s.imageTag}</Tag> : null}
      </Space>
    ),
  },
  { title: "Latest", dataIndex: "latest", render: (v?: string) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
  {
    title: "Status",
    dataIndex: "status",
    sorter: (a, b) => a.badgeLevel - b.badgeLevel,
    defaultSortOrder: "descend",
    render: (_, s) => (
      <Space orientation="vertical" size={2}>
        <StatusBadge status={s.status} level={s.badgeLevel} label={s.badgeLabel} />
        {s.error ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{s.error}</Typography.Text> : null}
      </Space>
    ),
  },
  {
    title: "Releases behind",
    dataIndex: "releasesBehind",
    align: "right",
    sorter: (a, b) => a.releasesBehind - b.releasesBehind,
    render: (v: number, s) => (s.status === "behind" || s.status === "far-behind" ? <><LocalNumber value={v} /> ({s.step})</> : "—"),
  },
  {
    title: "Days behind",
    dataIndex: "daysBehind",
    align: "right",
    sorter: (a, b) => (a.daysBehind ?? -1) - (b.daysBehind ?? -1),
    render: (v?: number) => (v === undefined ? "—" : <LocalNumber value={v} />),
  },
  {
    title: "Links",
    key: "links",
    render: (_, s) => (
      <Space>
        {isBrowsable(s.sourceRepo) ? (
          <a href={s.sourceRepo} target="_blank" rel="noreferrer" aria-label={`${s.service} source repository`}>
            <BranchesOutlined /> source
          </a>
        ) : s.sourceRepo ? (
          <Typography.Text type="secondary" title={s.sourceRepo}>
            <BranchesOutlined /> {s.sourceRepo.split("/").pop()}
          </Typography.Text>
        ) : null}
        {isBrowsable(s.dashboardUrl) ? (
          <a href={s.dashboardUrl} target="_blank" rel="noreferrer" aria-label={`${s.service} Grafana dashboard`}>
            <LineChartOutlined /> Dashboard
          </a>
        ) : null}
      </Space>
    ),
  },
];

/** One click to a rollback of this service to the version it ran before (the page finds it and asks to confirm). */
function rollbackColumn(environment: string): ColumnsType<ServiceDetail>[number] {
  return {
    title: "Roll back",
    key: "rollback",
    render: (_, s) => (
      <Link
        href={`/environments/${encodeURIComponent(environment)}/rollback?service=${encodeURIComponent(s.service)}`}
        aria-label={`Roll back ${s.service} to its previous version`}
      >
        <RollbackOutlined /> previous
      </Link>
    ),
  };
}

/** The services of one environment; `rollbackFor` (the environment's name) when the viewer may raise releases there. */
export function EnvironmentServicesTable({ services, rollbackFor }: { services: ServiceDetail[]; rollbackFor?: string }) {
  const columns = rollbackFor ? [...baseColumns, rollbackColumn(rollbackFor)] : baseColumns;
  return (
    <Table<ServiceDetail>
      rowKey="service"
      columns={columns}
      dataSource={services}
      pagination={false}
      size="middle"
      scroll={{ x: 900 }}
      aria-label="Services"
    />
  );
}
