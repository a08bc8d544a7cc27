"use client";

import { Table, Tag } from "antd";
import type { EnvironmentTiming } from "@/lib/snapshots/refresh-progress";

const OUTCOME_COLOR = { read: "blue", skipped: "default", failed: "red" } as const;

/** One row per environment of a refresh: how long its read took and whether it was read, skipped or failed. */
export function RefreshTimingsTable({ timings }: { timings: EnvironmentTiming[] }) {
  return (
    <Table
      aria-label="Refresh timings by environment"
      rowKey="environment"
      size="small"
      dataSource={timings}
      pagination={timings.length > 100 ? { pageSize: 100 } : false}
      columns={[
        { title: "Environment", dataIndex: "environment", sorter: (a, b) => a.environment.localeCompare(b.environment) },
        {
          title: "Time",
          dataIndex: "ms",
          align: "right",
          defaultSortOrder: "descend",
          sorter: (a, b) => a.ms - b.ms,
          render: (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`),
        },
        { title: "Outcome", dataIndex: "outcome", render: (outcome: EnvironmentTiming["outcome"]) => <Tag color={OUTCOME_COLOR[outcome]}>{outcome}</Tag> },
      ]}
    />
  );
}
