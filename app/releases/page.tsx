import type { Metadata } from "next";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { ReleaseHistoryTable } from "@/components/release-history-table";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { listReleaseRequests } from "@/lib/releases/read-release-requests";

export const metadata: Metadata = { title: "Releases" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;

const searchSchema = z.object({
  environment: z.string().max(100).optional().catch(undefined),
  state: z.enum(["open", "deferred", "merged", "closed", "failed"]).optional().catch(undefined),
  kind: z.enum(["upgrade", "rollback", "promotion"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export default async function ReleasesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer("/releases");
  const query = searchSchema.parse(await searchParams);
  const environments = viewer.environments.map((e) => e.name);
  // An environment the viewer cannot see (or that does not exist) filters nothing rather than failing the page.
  const environment = query.environment && environments.includes(query.environment) ? query.environment : undefined;
  const filters = { environment, state: query.state, kind: query.kind };
  const result = await listReleaseRequests(viewer, { ...filters, page: query.page, pageSize: PAGE_SIZE });

  return (
    <>
      <PageHeader title="Releases" subtitle="Release requests in the environments you can see, newest first." />
      <ReleaseHistoryTable
        requests={result.requests}
        total={result.total}
        page={query.page}
        pageSize={PAGE_SIZE}
        environments={environments}
        filters={filters}
      />
    </>
  );
}
