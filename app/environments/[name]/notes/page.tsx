import { Alert } from "antd";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { ReleaseNotesView } from "@/components/release-notes-view";
import { requirePageAccess, requirePageViewer } from "@/lib/auth/require-page-viewer";
import { ValidationError, hasErrorName } from "@/lib/errors";
import { environmentNamed } from "@/lib/releases/plan-promotion";
import { buildReleaseNotes, formatReleaseNotes } from "@/lib/releases/release-notes";
import { getServerClients } from "@/lib/server-clients";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });
const searchSchema = z.object({
  from: z.string().min(1).max(200).optional().catch(undefined),
  to: z.string().min(1).max(200).optional().catch(undefined),
});
type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Release notes: ${decodeURIComponent(name)}` };
}

/**
 * Release notes of one environment between two points of its history (`?from=` a commit, a tag or a day
 * YYYY-MM-DD; `?to=` default the head): per service the versions it went through and its tickets, every ticket once,
 * as Markdown to copy or download. `slipway notes` prints the same.
 */
export default async function ReleaseNotesPage({ params, searchParams }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const { from, to } = searchSchema.parse(await searchParams);
  const name = decodeURIComponent(parsed.data.name);
  const environmentPath = `/environments/${encodeURIComponent(name)}`;
  await requirePageViewer(`${environmentPath}/notes`, "environment.view", name);
  const loaded = await requirePageAccess(`${environmentPath}/notes`, async () => {
    const deps = getServerClients();
    try {
      if (!from) throw new ValidationError("Choose where the notes start: an entry of the history (Notes since), a tag or a day (?from=YYYY-MM-DD).");
      const notes = await buildReleaseNotes(deps, environmentNamed(deps.config, name), { from, ...(to ? { to } : {}) });
      return { notes, markdown: formatReleaseNotes(notes) };
    } catch (error) {
      if (hasErrorName(error, "ValidationError")) return { problem: (error as Error).message };
      throw error;
    }
  });

  return (
    <>
      <PageHeader
        title={`Release notes: ${name}`}
        subtitle="What went out: per service the versions it went through and the tickets of its commits."
        extra={<Link href={`${environmentPath}/history`}>Back to the history</Link>}
      />
      {loaded.notes ? (
        <ReleaseNotesView environment={name} notes={loaded.notes} markdown={loaded.markdown} />
      ) : (
        <Alert type="error" showIcon title="No release notes" description={loaded.problem} />
      )}
    </>
  );
}
