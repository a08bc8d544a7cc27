import type { Metadata } from "next";
import { z } from "zod";
import { AuditTable } from "@/components/audit-table";
import { PageHeader } from "@/components/page-header";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Audit trail" };
export const dynamic = "force-dynamic";

// A filter that cannot be right (too long, control characters: PostgreSQL refuses a NUL in text) is no filter, not a 500.
const filterText = z
  .string()
  .max(100)
  .regex(/^[^\p{Cc}]*$/u)
  .optional()
  .catch(undefined);

const searchSchema = z.object({
  actor: filterText,
  action: z.string().max(50).regex(/^[a-z.-]+$/).optional().catch(undefined),
  environment: filterText,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageViewer("/admin/audit", "audit.view");
  const query = searchSchema.parse(await searchParams);
  const pageSize = 50;
  const result = await listAuditEvents(getDb(), { ...query, pageSize });
  return (
    <>
      <PageHeader title="Audit trail" subtitle="Every sign-in and every write, newest first. Entries cannot be changed." />
      <AuditTable
        events={result.events}
        total={result.total}
        page={query.page}
        pageSize={pageSize}
        actions={result.actions}
        filters={{ actor: query.actor, action: query.action, environment: query.environment }}
      />
    </>
  );
}
