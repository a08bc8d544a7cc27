import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { UpgradeWizard } from "@/components/upgrade-wizard";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { NotFoundError } from "@/lib/errors";
import { readUpgradeCandidates } from "@/lib/releases/read-upgrade-candidates";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Upgrade ${decodeURIComponent(name)}` };
}

const notFoundOn404 = (error: unknown): never => {
  if (error instanceof NotFoundError) notFound();
  throw error;
};

export default async function UpgradePage({ params }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const name = decodeURIComponent(parsed.data.name);
  const environmentPath = `/environments/${encodeURIComponent(name)}`;
  const viewer = await requirePageViewer(`${environmentPath}/upgrade`, "request", name).catch(notFoundOn404);
  const candidates = await readUpgradeCandidates(viewer, name).catch(notFoundOn404);

  return (
    <>
      <PageHeader
        title={`Upgrade ${name}`}
        subtitle="Choose services and versions, review the changelog and the exact edit, then raise a change request."
        extra={<Link href={environmentPath}>Back to {name}</Link>}
      />
      <UpgradeWizard environment={name} candidates={candidates} />
    </>
  );
}
