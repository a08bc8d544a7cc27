import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { readTicketDetailsAction } from "@/app/tickets/actions";
import { whereRunningAction } from "@/app/where/actions";
import { UpgradeWizard } from "@/components/upgrade-wizard";
import { requirePageAccess, requirePageViewer } from "@/lib/auth/require-page-viewer";
import { readUpgradeCandidates } from "@/lib/releases/read-upgrade-candidates";
import { planUpgradeAction, raiseUpgradeAction } from "./actions";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Upgrade ${decodeURIComponent(name)}` };
}

export default async function UpgradePage({ params }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const name = decodeURIComponent(parsed.data.name);
  const environmentPath = `/environments/${encodeURIComponent(name)}`;
  const viewer = await requirePageViewer(`${environmentPath}/upgrade`, "release.plan", name);
  const candidates = await requirePageAccess(`${environmentPath}/upgrade`, () => readUpgradeCandidates(viewer, name));

  return (
    <>
      <PageHeader
        title={`Upgrade ${name}`}
        subtitle="Choose services and versions, review the changelog and the exact edit, then raise a change request."
        extra={<Link href={environmentPath}>Back to {name}</Link>}
      />
      <UpgradeWizard environment={name} candidates={candidates} actions={{ plan: planUpgradeAction, raise: raiseUpgradeAction, whereRunning: whereRunningAction, ticketDetails: readTicketDetailsAction }} />
    </>
  );
}
