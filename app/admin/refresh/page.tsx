import type { Metadata } from "next";
import { Alert, Descriptions } from "antd";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { RefreshTimingsTable } from "@/components/refresh-timings-table";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { readLastRefreshTimings } from "@/lib/snapshots/read-refresh-progress";

export const metadata: Metadata = { title: "Refresh timings" };
export const dynamic = "force-dynamic";

/** The last finished refresh, environment by environment, slowest first: where a slow refresh spends its time. */
export default async function RefreshTimingsPage() {
  await requirePageViewer("/admin/refresh", "settings.view");
  const run = await readLastRefreshTimings();
  return (
    <>
      <PageHeader title="Refresh timings" subtitle="The last finished refresh, each environment's read, slowest first. Unchanged environments are skipped." />
      {run ? (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: "run", label: "Run", children: `#${run.id} (${run.trigger})` },
              { key: "started", label: "Started", children: <LocalTime iso={run.startedAt} /> },
              {
                key: "took",
                label: "Took",
                children: run.finishedAt ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : "—",
              },
              { key: "total", label: "Environments", children: run.total },
              { key: "skipped", label: "Skipped (unchanged)", children: run.skipped },
              { key: "failed", label: "Failed", children: run.failed },
            ]}
          />
          {run.error ? <Alert type="warning" showIcon title={run.error} style={{ margin: "12px 0" }} /> : null}
          <RefreshTimingsTable timings={run.timings} />
        </>
      ) : (
        <Alert type="info" showIcon title="No refresh has finished yet." />
      )}
    </>
  );
}
