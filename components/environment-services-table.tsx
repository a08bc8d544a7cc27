"use client";

import { LineChartOutlined, BranchesOutlined } from "@ant-design/icons";
import { Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ServiceDetail } from "@/lib/snapshots/read-environment-detail";
import { StatusBadge } from "./status-badge";

const isBrowsable = (url?: string) => Boolean(url && /^https?:\/\//.test(url));

const columns: ColumnsType<ServiceDetail> = [
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
            <Tag color="warning">unpinned</Tag>
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
        <StatusBadge color={s.badgeColor} level={s.badgeLevel} label={s.badgeLabel} />
        {s.error ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{s.error}</Typography.Text> : null}
      </Space>
    ),
  },
  {
    title: "Releases behind",
    dataIndex: "releasesBehind",
    align: "right",
    sorter: (a, b) => a.releasesBehind - b.releasesBehind,
    render: (v: number, s) => (s.status === "behind" || s.status === "far-behind" ? `${v} (${s.step})` : "—"),
  },
  {
    title: "Days behind",
    dataIndex: "daysBehind",
    align: "right",
    sorter: (a, b) => (a.daysBehind ?? -1) - (b.daysBehind ?? -1),
    render: (v?: number) => (v === undefined ? "—" : v),
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
        {s.grafanaDashboard ? (
          <a href={s.grafanaDashboard} target="_blank" rel="noreferrer" aria-label={`${s.service} Grafana dashboard`}>
            <LineChartOutlined /> Grafana
          </a>
        ) : null}
      </Space>
    ),
  },
];

export function EnvironmentServicesTable({ services }: { services: ServiceDetail[] }) {
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
