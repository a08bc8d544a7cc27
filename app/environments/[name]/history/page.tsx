import { Alert, Space } from "antd";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { EnvironmentHistoryTable } from "@/components/environment-history-table";
import { LinkButton } from "@/components/link-button";
import { PageHeader } from "@/components/page-header";
import { RelativeTime } from "@/components/relative-time";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { readEnvironmentHistory } from "@/lib/history/read-environment-history";
import { MAX_HISTORY_PAGE } from "@/lib/history/read-history-page";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });
// A page number out of range, or not a number, shows the first page rather than an error: URLs get edited by hand.
const searchSchema = z.object({ page: z.coerce.number().int().min(1).max(MAX_HISTORY_PAGE).catch(1).default(1) });

type Props = {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `History · ${decodeURIComponent(name)}` };
}

export default async function EnvironmentHistoryPage({ params, searchParams }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const name = decodeURIComponent(parsed.data.name);
  const { page } = searchSchema.parse(await searchParams);
  const path = `/environments/${encodeURIComponent(name)}/history`;
  // An environment the viewer may not see is a 404, like one that does not exist: names cannot be probed.
  const viewer = await requirePageViewer(page > 1 ? `${path}?page=${page}` : path, "environment.view", name);
  const history = await readEnvironmentHistory(viewer, name, page);
  const { reading } = history;

  return (
    <>
      <PageHeader
        title={`${history.environment.name}: release history`}
        subtitle={
          <>
            Commits on <code>{history.environment.branch}</code> that changed chart versions, newest first
            {reading.state !== "not-started" ? (
              <>
                {" "}
                · read up to <code>{reading.headSha.slice(0, 12)}</code> <RelativeTime iso={reading.updatedAt} />
              </>
            ) : null}
          </>
        }
        extra={<LinkButton href={`/environments/${encodeURIComponent(history.environment.name)}`}>Back to the environment</LinkButton>}
      />
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        {reading.state === "not-started" ? (
          <Alert type="info" showIcon title="The history of this environment has not been read yet. The next refresh reads it." />
        ) : reading.state === "reading" ? (
          <Alert
            type="info"
            showIcon
            title="This environment's history is still being read"
            description={`${reading.commitsRead} commits of the stack read so far; older entries appear as the next refreshes read further back.`}
          />
        ) : null}
        <EnvironmentHistoryTable
          environment={history.environment.name}
          entries={history.entries}
          total={history.total}
          page={history.page}
          pageSize={history.pageSize}
          canRollBack={history.canRollBack}
        />
      </Space>
    </>
  );
}
