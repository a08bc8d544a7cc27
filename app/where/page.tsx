import { Alert } from "antd";
import type { Metadata } from "next";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { requirePageAccess, requirePageViewer } from "@/lib/auth/require-page-viewer";
import { hasErrorName } from "@/lib/errors";
import { WhereRunningView } from "@/components/where-running-view";
import { findWhereRunning } from "@/lib/releases/where-running";
import { getServerClients } from "@/lib/server-clients";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Where is it running?" };

const searchSchema = z.object({ q: z.string().max(100).optional().catch(undefined) });
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };


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
      <PageHeader
        title={query ? `Where is ${query.slice(0, 40)} running?` : "Where is it running?"}
        subtitle="Type a ticket key (PAY-123) or a commit id in the search box on the left."
      />
      {result?.problem ? (
        <Alert type="error" showIcon title="Nothing to search for" description={result.problem} />
      ) : (
        <WhereRunningView answer={result?.answer} />
      )}
    </>
  );
}
