"use client";

import { Alert, App, Button, Descriptions, Flex, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult, ReleaseItemView, ReleaseRequestView } from "@/lib/releases/release-types";
import type { ReleaseFollowThroughView } from "@/lib/follow-through/release-follow-through";
import { DiffView } from "./diff-view";
import { FollowThroughSection, type RerunJob } from "./follow-through-section";
import { PageHeader } from "./page-header";
import { RelativeTime } from "./relative-time";
import { ReleaseKindTag, ReleaseStateTag } from "./release-state-tag";

const UNREACHABLE = "Could not reach the server; try again.";

const itemColumns: ColumnsType<ReleaseItemView> = [
  {
    title: "Service",
    dataIndex: "service",
    render: (_, item) => (
      <>
        <Typography.Text strong>{item.service}</Typography.Text>
        {item.chart !== item.service ? <Typography.Text type="secondary"> ({item.chart})</Typography.Text> : null}
      </>
    ),
  },
  {
    title: "Version",
    key: "version",
    render: (_, item) => (
      <span>
        <Typography.Text code>{item.from}</Typography.Text> → <Typography.Text code>{item.to}</Typography.Text>
      </span>
    ),
  },
  {
    title: "Tickets",
    dataIndex: "tickets",
    render: (tickets: string[]) => (tickets.length > 0 ? tickets.map((key) => <Tag key={key}>{key}</Tag>) : "—"),
  },
];

/** Slipway's own merge of its pull request (autoMerge on GitHub), while the request is open: what it waits for. */
const AUTO_MERGE_ALERT: Record<string, { type: "info" | "warning"; title: string }> = {
  waiting: { type: "info", title: "Slipway merges this when its checks pass" },
  failing: { type: "warning", title: "Checks failed: Slipway has not merged this" },
  blocked: { type: "warning", title: "Slipway will not merge this on its own" },
};

function When({ iso }: { iso?: string }) {
  return iso ? <RelativeTime iso={iso} /> : <>—</>;
}

/** One release request: what it changes, where it stands, and — for those allowed — approve-and-merge or close. */
export interface ReleaseRequestActions {
  merge: (input: { id: number }) => Promise<ActionResult<ReleaseRequestView>>;
  close: (input: { id: number }) => Promise<ActionResult<ReleaseRequestView>>;
  rerunJob?: RerunJob;
}

export function ReleaseRequestPanel({
  view,
  followThrough,
  actions: serverActions,
}: {
  view: ReleaseRequestView;
  /** Jira, Slack and Grafana jobs of the request; absent when none is configured. */
  followThrough?: ReleaseFollowThroughView;
  actions: ReleaseRequestActions;
}) {
  const router = useRouter();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<"merge" | "close">();
  const [error, setError] = useState<string>();
  const environmentHref = `/environments/${encodeURIComponent(view.environment)}`;
  // The auto-merge status is stored among the follow-ups (lib/releases/auto-merge-pull-request.ts); the rest come after the merge.
  const autoMerge = view.followUps.find((step) => step.kind === "auto-merge");
  const autoMergeAlert = view.state === "open" && autoMerge ? AUTO_MERGE_ALERT[autoMerge.state] : undefined;
  const afterMerge = view.followUps.filter((step) => step.kind !== "auto-merge");

  async function run(kind: "merge" | "close") {
    setBusy(kind);
    setError(undefined);
    try {
      const result: ActionResult<ReleaseRequestView> =
        kind === "merge" ? await serverActions.merge({ id: view.id }) : await serverActions.close({ id: view.id });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      message.success(kind === "merge" ? `Merged into ${view.baseBranch}.` : "Change request closed.");
      router.refresh();
    } catch {
      setError(UNREACHABLE);
    } finally {
      setBusy(undefined);
    }
  }

  const actions =
    view.canMerge || view.canClose ? (
      <Space wrap>
        {view.canMerge ? (
          <Popconfirm
            title="Approve and merge?"
            description={`This merges ${view.branch} into ${view.baseBranch}, which deploys ${view.environment}.`}
            okText="Yes"
            cancelText="No"
            onConfirm={() => run("merge")}
          >
            <Button type="primary" loading={busy === "merge"} disabled={busy === "close"}>
              Approve and merge
            </Button>
          </Popconfirm>
        ) : null}
        {view.canClose ? (
          <Popconfirm title="Close this change request without merging?" okText="Yes" cancelText="No" onConfirm={() => run("close")}>
            <Button danger loading={busy === "close"} disabled={busy === "merge"}>
              Close
            </Button>
          </Popconfirm>
        ) : null}
      </Space>
    ) : undefined;

  return (
    <>
      <PageHeader
        title={
          <Space size={12} wrap>
            <span>{view.title}</span>
            <ReleaseStateTag state={view.state} />
          </Space>
        }
        subtitle={
          <>
            Release request #{view.id} · <ReleaseKindTag kind={view.kind} /> in <Link href={environmentHref}>{view.environment}</Link>
          </>
        }
        extra={actions}
      />
      <Flex vertical gap={16}>
        {view.error && view.state === "deferred" ? (
          <Alert type="warning" showIcon title="Waiting for GitHub's rate limit" description={view.error} />
        ) : null}
        {view.error && view.state !== "deferred" ? (
          <Alert
            type="error"
            showIcon
            title="Raising this change request failed"
            description={
              <>
                {view.error}
                <div>
                  Raise the same upgrade again from <Link href={`${environmentHref}/upgrade`}>the upgrade page</Link> to retry it: the
                  retry picks up this request.
                </div>
              </>
            }
          />
        ) : null}
        {autoMergeAlert ? <Alert type={autoMergeAlert.type} showIcon title={autoMergeAlert.title} description={autoMerge!.detail} /> : null}
        {error ? (
          <Alert
            type="error"
            showIcon
            title="The change request was not updated"
            description={error}
            closable={{ onClose: () => setError(undefined) }}
          />
        ) : null}
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
          items={[
            { key: "environment", label: "Environment", children: <Link href={environmentHref}>{view.environment}</Link> },
            { key: "requester", label: "Requested by", children: view.requester },
            { key: "created", label: "Created", children: <When iso={view.createdAt} /> },
            {
              key: "branch",
              label: "Branch",
              children: (
                <span>
                  <Typography.Text code>{view.branch}</Typography.Text> → <Typography.Text code>{view.baseBranch}</Typography.Text>
                </span>
              ),
            },
            { key: "repo", label: "Repository", children: view.repo },
            ...(view.approvedBy ? [{ key: "approved", label: "Approved by", children: view.approvedBy }] : []),
            ...(view.state === "merged"
              ? [
                  { key: "mergedBy", label: "Merged by", children: view.mergedBy ?? "—" },
                  { key: "merged", label: "Merged", children: <When iso={view.mergedAt} /> },
                ]
              : []),
            ...(view.state === "closed" ? [{ key: "closed", label: "Closed", children: <When iso={view.closedAt} /> }] : []),
            {
              key: "where",
              label: "Change request",
              children: view.url ? (
                <a href={view.url} target="_blank" rel="noreferrer">
                  Open pull request on GitHub{view.number ? ` (#${view.number})` : ""}
                </a>
              ) : (
                "In Slipway: gatekeepers approve and merge it here."
              ),
            },
          ]}
        />

        <section aria-label="Services">
          <Typography.Title level={4}>Services</Typography.Title>
          <Table<ReleaseItemView> rowKey="service" columns={itemColumns} dataSource={view.items} pagination={false} size="small" scroll={{ x: 600 }} />
        </section>

        {afterMerge.length > 0 ? (
          <section aria-label="After the merge">
            <Typography.Title level={4}>After the merge</Typography.Title>
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {afterMerge.map((step) => (
                <li key={`${step.kind}-${step.service}`}>
                  <Tag color={step.state === "failed" ? "red" : "green"}>{step.state}</Tag>
                  {`${step.branch} of ${step.repo} → ${step.service} ${step.version}`}
                  {step.detail ? <Typography.Text type="secondary">{` (${step.detail})`}</Typography.Text> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        {followThrough && serverActions.rerunJob ? <FollowThroughSection requestId={view.id} view={followThrough} rerun={serverActions.rerunJob} /> : null}

        <section aria-label="Description">
          <Typography.Title level={4}>Description</Typography.Title>
          <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: 12, padding: 12, border: "1px solid rgba(128, 128, 128, 0.3)", borderRadius: 6 }}>
            {view.body}
          </pre>
        </section>

        <section aria-label="File changes">
          <Typography.Title level={4}>Changes to the stack repository</Typography.Title>
          {view.files.length > 0 ? (
            <Flex vertical gap={12}>
              {view.files.map((file) => (
                <DiffView key={file.path} path={file.path} diff={file.diff} />
              ))}
            </Flex>
          ) : (
            <Typography.Text type="secondary">No file changes recorded.</Typography.Text>
          )}
        </section>
      </Flex>
    </>
  );
}
