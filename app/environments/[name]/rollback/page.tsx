import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { readTicketDetailsAction } from "@/app/tickets/actions";
import { whereRunningAction } from "@/app/where/actions";
import { Alert } from "antd";
import { type MembershipChoice, VersionChangeWizard } from "@/components/version-change-wizard";
import { requirePageAccess, requirePageViewer } from "@/lib/auth/require-page-viewer";
import { ValidationError, hasErrorName } from "@/lib/errors";
import { type RollbackPreview, findPreviousVersion, previewRollback } from "@/lib/releases/plan-rollback";
import { getServerClients } from "@/lib/server-clients";
import { planRollbackAction, raiseRollbackAction } from "./actions";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });
const searchSchema = z.object({
  to: z.string().min(1).max(200).optional().catch(undefined),
  service: z.string().min(1).max(100).optional().catch(undefined),
});

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Roll back ${decodeURIComponent(name)}` };
}

/**
 * Rolling an environment back: `?to=<commit or tag>` (from its history), or `?service=<name>` to take one service
 * back to the version it ran before (the one-click rollback on the environment page). The preview says what changes;
 * the wizard plans, shows the backwards changelog and raises the change request.
 */
export default async function RollbackPage({ params, searchParams }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const search = searchSchema.parse(await searchParams);
  const name = decodeURIComponent(parsed.data.name);
  const environmentPath = `/environments/${encodeURIComponent(name)}`;
  await requirePageViewer(`${environmentPath}/rollback`, "release.plan", name);
  const loaded = await requirePageAccess(`${environmentPath}/rollback`, async () => {
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === name)!;
    try {
      let to = search.to;
      if (!to && search.service) {
        const previous = await findPreviousVersion(deps, env, search.service);
        if (!previous) throw new ValidationError(`${search.service} has run the same version through the last commits of ${env.branch}: there is no earlier version to go back to.`);
        to = previous.sha;
      }
      if (!to) throw new ValidationError("Choose the state to roll back to: an entry of the environment's history, or a service's previous version.");
      return { preview: await previewRollback(deps, env, to) };
    } catch (error) {
      if (hasErrorName(error, "ValidationError")) return { problem: (error as Error).message };
      throw error;
    }
  });

  return (
    <>
      <PageHeader
        title={`Roll back ${name}`}
        subtitle="Go back to the versions an earlier commit ran, as a reviewed change request: nothing is force-pushed."
        extra={<Link href={environmentPath}>Back to {name}</Link>}
      />
      {loaded.preview ? (
        <VersionChangeWizard
          environment={name}
          intro={describeTarget(name, loaded.preview)}
          changes={loaded.preview.changes}
          notices={rollbackNotices(loaded.preview)}
          choices={membershipChoices(loaded.preview)}
          choicesWarning={{
            title: "Services were added or removed since then",
            description:
              "A rollback changes versions only: these services stay as they are unless you tick them. Removing one takes it out of " +
              `${name} (its chart entry and lock entry go); bringing one back installs the version it ran then, with its chart entry as it was.`,
          }}
          initialServices={search.service ? [search.service] : undefined}
          fixed={{ to: loaded.preview.to.sha }}
          labels={{ verb: "Roll back", toColumn: "Goes back to", review: "Review rollback", raised: "Rollback", several: "roll back" }}
          actions={{ plan: planRollbackAction, raise: raiseRollbackAction, whereRunning: whereRunningAction, ticketDetails: readTicketDetailsAction }}
        />
      ) : (
        <Alert type="error" showIcon title="Nothing to roll back" description={loaded.problem} />
      )}
    </>
  );
}

function describeTarget(environment: string, preview: RollbackPreview) {
  return (
    <>
      {`Back to the versions ${environment} ran at ${preview.to.sha.slice(0, 8)} (${preview.to.subject}, by ${preview.to.author}, `}
      <LocalTime iso={preview.to.date} />
      {")."}
    </>
  );
}

/** Per service added or removed since, a choice left unticked: nothing is removed or brought back unless chosen. */
function membershipChoices(preview: RollbackPreview): MembershipChoice[] {
  return [
    ...preview.addedSince.map((s) => ({ field: "remove" as const, service: s.service, label: `Remove ${s.service} (added since)` })),
    ...preview.removedSince.map((s) => ({
      field: "restore" as const,
      service: s.service,
      label: `Bring back ${s.service} ${s.version} (removed since)`,
      ...(s.unavailable ? { unavailable: s.unavailable } : {}),
    })),
  ];
}

/** What the rollback cannot do, said before anything is chosen. */
function rollbackNotices(preview: RollbackPreview) {
  const notices = [];
  if (preview.unresolved.length > 0) {
    notices.push({
      title: "Not rolled back",
      label: "Services that cannot be rolled back exactly",
      items: preview.unresolved.map((u) => `${u.service}: ${u.reason}.`),
    });
  }
  return notices;
}
