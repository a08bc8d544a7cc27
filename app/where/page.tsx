import { Alert, Empty, Space, Table, Tag, Typography } from "antd";
import type { Metadata } from "next";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { requirePageAccess, requirePageViewer } from "@/lib/auth/require-page-viewer";
import { hasErrorName } from "@/lib/errors";
import { type WhereRunningAnswer, type WhereRunningCell, findWhereRunning } from "@/lib/releases/where-running";
import { getServerClients } from "@/lib/server-clients";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Where is it running?" };

const searchSchema = z.object({ q: z.string().max(100).optional().catch(undefined) });
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const CONTAINS = {
  yes: { color: "green", label: "contains it" },
  partly: { color: "gold", label: "contains part of it" },
  no: { color: "default", label: "not yet" },
  unknown: { color: "default", label: "unknown" },
} as const;

/**
 * "Where is it running?": a Jira key or a commit (`?q=`), and for every service whose repository has it, whether each
 * environment's running version contains it (the commit is an ancestor of that version's release tag), and since
 * which release. Only the environments the viewer may see are read.
 */
export default async function WherePage({ searchParams }: Props) {
  const { q } = searchSchema.parse(await searchParams);
  const viewer = await requirePageViewer("/where");
  const query = q?.trim();
  const result = query
    ? await requirePageAccess("/where", async () => {
        try {
          return { answer: await findWhereRunning(getServerClients(), viewer.environments, query) };
        } catch (error) {
          if (hasErrorName(error, "ValidationError")) return { problem: (error as Error).message };
          throw error;
        }
      })
    : undefined;

  return (
    <>
      <PageHeader title="Where is it running?" subtitle="Type a ticket key (PAY-123) or a commit id in the search box on the left." />
      {!result ? (
        <Empty description="Search for a ticket or a commit to see which environments run it." />
      ) : result.problem ? (
        <Alert type="error" showIcon title="Nothing to search for" description={result.problem} />
      ) : (
        <WhereAnswer answer={result.answer!} />
      )}
    </>
  );
}

function WhereAnswer({ answer }: { answer: WhereRunningAnswer }) {
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
