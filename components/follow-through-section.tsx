"use client";

import { Alert, App, Button, Flex, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import type { FollowThroughJobView } from "@/lib/follow-through/read-follow-through";
import type { ReleaseFollowThroughView } from "@/lib/follow-through/release-follow-through";
import { RelativeTime } from "./relative-time";

const STATE_COLORS: Record<string, string> = { pending: "gold", running: "blue", done: "green", failed: "red" };
const INTEGRATION_NAMES = { jira: "Jira", slack: "Slack", grafana: "Grafana" } as const;

export type RerunJob = (input: { id: number; jobId: number }) => Promise<ActionResult<ReleaseFollowThroughView | undefined>>;

/**
 * What the release request set going in Jira, Slack and Grafana: each stored job with its state, attempts and last
 * error, what it had to leave out, and links to the fix versions and annotations it made. Admins may run a failed job
 * again.
 */
export function FollowThroughSection({ requestId, view, rerun }: { requestId: number; view: ReleaseFollowThroughView; rerun: RerunJob }) {
  const router = useRouter();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<string>();

  async function runAgain(jobId: number) {
    setBusy(jobId);
    setError(undefined);
    try {
      const result = await rerun({ id: requestId, jobId });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      message.success("The job runs again shortly.");
      router.refresh();
    } catch {
      setError("Could not reach the server; try again.");
    } finally {
      setBusy(undefined);
    }
  }

  const columns: ColumnsType<FollowThroughJobView> = [
    {
      title: "What",
      key: "what",
      render: (_, job) => (
        <>
          {job.label} <Typography.Text type="secondary">{job.subject}</Typography.Text>
        </>
      ),
    },
    { title: "State", dataIndex: "state", render: (state: string) => <Tag color={STATE_COLORS[state]}>{state}</Tag> },
    { title: "Attempts", key: "attempts", render: (_, job) => `${job.attempts}/${job.maxAttempts}` },
    {
      title: "Details",
      key: "details",
      render: (_, job) => (
        <Flex vertical gap={2}>
          {job.state === "pending" && job.nextAttemptAt ? (
            <Typography.Text type="secondary">
              Next try <RelativeTime iso={job.nextAttemptAt} />
            </Typography.Text>
          ) : null}
          {job.lastError ? <Typography.Text type={job.state === "failed" ? "danger" : "secondary"}>{job.lastError}</Typography.Text> : null}
          {job.problems.map((problem) => (
            <Typography.Text key={problem} type="warning">
              {problem}
            </Typography.Text>
          ))}
          {job.notes.map((note) => (
            <Typography.Text key={note} type="secondary">
              {note}
            </Typography.Text>
          ))}
        </Flex>
      ),
    },
    ...(view.canRerun
      ? [
          {
            title: "",
            key: "rerun",
            render: (_: unknown, job: FollowThroughJobView) =>
              job.state === "failed" ? (
                <Button size="small" loading={busy === job.id} onClick={() => runAgain(job.id)}>
                  Run again
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const off = view.integrations.filter((integration) => !integration.on);
  return (
    <section aria-label="Follow-through">
      <Typography.Title level={4}>Follow-through</Typography.Title>
      <Flex vertical gap={12}>
        {off.map((integration) => (
          <Alert key={integration.name} type="info" showIcon title={`${INTEGRATION_NAMES[integration.name]} is off`} description={integration.reason} />
        ))}
        {error ? <Alert type="error" showIcon title="The job was not run again" description={error} closable={{ onClose: () => setError(undefined) }} /> : null}
        {view.fixVersions.length > 0 || view.annotations.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {view.fixVersions.map((version) => (
              <li key={`${version.service}-${version.project}`}>
                Jira fix version{" "}
                <a href={version.url} target="_blank" rel="noreferrer">
                  {version.name}
                </a>{" "}
                in {version.project}
              </li>
            ))}
            {view.annotations.map((annotation) => (
              <li key={annotation.service}>
                Grafana annotation of {annotation.service}:{" "}
                {annotation.url ? (
                  <a href={annotation.url} target="_blank" rel="noreferrer">
                    open the dashboard at the release
                  </a>
                ) : (
                  `#${annotation.id}`
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {view.jobs.length > 0 ? (
          <Table<FollowThroughJobView> rowKey="id" columns={columns} dataSource={view.jobs} pagination={false} size="small" scroll={{ x: 700 }} />
        ) : (
          <Typography.Text type="secondary">Nothing to follow through yet.</Typography.Text>
        )}
      </Flex>
    </section>
  );
}
