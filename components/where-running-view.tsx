"use client";

import { Alert, Empty, Space, Table, Tag, Typography } from "antd";
import type { WhereRunningAnswer, WhereRunningCell } from "@/lib/releases/where-running";

const CONTAINS = {
  yes: { color: "green", label: "contains it" },
  partly: { color: "gold", label: "contains part of it" },
  no: { color: "default", label: "not yet" },
  unknown: { color: "default", label: "unknown" },
} as const;

/** The answer to "where is it running?", or the prompt to search (client: antd's table renders cells with functions). */
export function WhereRunningView({ answer }: { answer?: WhereRunningAnswer }) {
  if (!answer) return <Empty description="Search for a ticket or a commit to see which environments run it." />;
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      {answer.problems.map((p) => (
        <Alert key={p.service} type="warning" showIcon title={`${p.service} could not be searched`} description={p.error} />
      ))}
      {answer.services.length === 0 ? (
        <Empty description={`No service repository has a released commit ${answer.kind === "ticket" ? "naming" : "with id"} ${answer.query}.`} />
      ) : null}
      {answer.services.map((service) => (
        <section key={service.service} aria-label={`${service.service}: where ${answer.query} runs`}>
          <Typography.Title level={4}>
            {service.service}{" "}
            <Typography.Text type="secondary" style={{ fontSize: 14 }}>
              {service.since ? `released in ${service.since}` : "in no release yet"}
            </Typography.Text>
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {service.commits.length === 1 ? "1 commit" : `${service.commits.length} commits`}:{" "}
            {service.commits.map((c) => `${c.sha.slice(0, 8)} ${c.subject}`).join(" · ")}
          </Typography.Paragraph>
          <Table<WhereRunningCell>
            rowKey="environment"
            size="small"
            pagination={false}
            dataSource={service.environments}
            aria-label={`Environments running ${service.service}`}
            columns={[
              { title: "Environment", dataIndex: "environment" },
              { title: "Runs", dataIndex: "running", render: (v?: string) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
              {
                title: answer.query,
                dataIndex: "contains",
                render: (contains: WhereRunningCell["contains"], cell) => (
                  <Space size={4}>
                    <Tag color={CONTAINS[contains].color}>{CONTAINS[contains].label}</Tag>
                    {cell.reason ? <Typography.Text type="secondary">{cell.reason}</Typography.Text> : null}
                  </Space>
                ),
              },
            ]}
          />
        </section>
      ))}
    </Space>
  );
}
