import { Alert } from "antd";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { readTicketDetailsAction } from "@/app/tickets/actions";
import { whereRunningAction } from "@/app/where/actions";
import { VersionChangeWizard } from "@/components/version-change-wizard";
import { requirePageAccess, requirePageViewer } from "@/lib/auth/require-page-viewer";
import { NotFoundError, ValidationError, hasErrorName } from "@/lib/errors";
import { type PromotionPreview, environmentNamed, previewPromotion } from "@/lib/releases/plan-promotion";
import { getServerClients } from "@/lib/server-clients";
import { planPromotionAction, raisePromotionAction } from "./actions";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });
const searchSchema = z.object({
  from: z.string().min(1).max(100).optional().catch(undefined),
  snapshot: z.string().min(1).max(200).optional().catch(undefined),
  mode: z.enum(["auto", "versions"]).optional().catch(undefined),
});

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Promote to ${decodeURIComponent(name)}` };
}

/**
 * Promoting onto this environment (`[name]`, the target) the versions `?from=<environment>` runs: the services both
 * have, at other versions, selectable; services only one side has are listed, never added or dropped silently.
 */
export default async function PromotePage({ params, searchParams }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const { from, snapshot, mode } = searchSchema.parse(await searchParams);
  const name = decodeURIComponent(parsed.data.name);
  const environmentPath = `/environments/${encodeURIComponent(name)}`;
  const viewer = await requirePageViewer(`${environmentPath}/promote`, "release.plan", name);
  const loaded = await requirePageAccess(`${environmentPath}/promote`, async () => {
    const deps = getServerClients();
    try {
      if (!from) throw new ValidationError("Choose the environment to promote from (?from=NAME).");
      // A source the viewer may not see is answered as one that does not exist.
      if (!viewer.environments.some((e) => e.name === from)) throw new NotFoundError(`There is no environment named "${from}".`);
      return { preview: await previewPromotion(deps, environmentNamed(deps.config, from), environmentNamed(deps.config, name), snapshot) };
    } catch (error) {
      if (hasErrorName(error, "ValidationError")) return { problem: (error as Error).message };
      throw error;
    }
  });

  return (
    <>
      <PageHeader
        title={`Promote to ${name}`}
        subtitle="Run here the versions another environment runs, as a reviewed change request on this environment."
        extra={<Link href={environmentPath}>Back to {name}</Link>}
      />
      {loaded.preview ? (
        loaded.preview.changes.length > 0 ? (
          <VersionChangeWizard
            environment={name}
            intro={
              <>
                {describeSource(name, loaded.preview)} {describeMode(loaded.preview, environmentPath, mode)}
              </>
            }
            changes={loaded.preview.changes}
            notices={promotionNotices(loaded.preview)}
            fixed={{
              from: loaded.preview.from.environment,
              ...(loaded.preview.from.snapshot ? { snapshot: loaded.preview.from.snapshot } : {}),
              ...(mode ? { mode } : {}),
            }}
            labels={{ verb: "Promote", toColumn: `Runs in ${loaded.preview.from.environment}`, review: "Review promotion", raised: "Promotion", several: "move" }}
            actions={{ plan: planPromotionAction, raise: raisePromotionAction, whereRunning: whereRunningAction, ticketDetails: readTicketDetailsAction }}
          />
        ) : (
          <Alert type="info" showIcon title="Nothing to promote" description={`${name} already runs every version ${loaded.preview.from.environment} runs for the services both have.`} />
        )
      ) : (
        <Alert type="error" showIcon title="Nothing to promote" description={loaded.problem} />
      )}
    </>
  );
}

/** What a promotion of versions leaves as it is, said before anything is chosen. */
function promotionNotices(preview: PromotionPreview) {
  const notices = [];
  if (preview.onlyInSource.length > 0) {
    notices.push({
      title: `Only in ${preview.from.environment}`,
      label: `Services only ${preview.from.environment} runs`,
      items: preview.onlyInSource.map((s) => `${s.service} ${s.version}: not in ${preview.environment}; a promotion moves versions, so add it to the chart first to promote it.`),
    });
  }
  if (preview.onlyInTarget.length > 0) {
    notices.push({
      title: `Only in ${preview.environment}`,
      label: `Services only ${preview.environment} runs`,
      items: preview.onlyInTarget.map((s) => `${s.service} ${s.version}: not in ${preview.from.environment}; it stays as it is.`),
    });
  }
  if (preview.unresolved.length > 0) {
    notices.push({ title: "Not promoted", label: "Services that cannot be promoted exactly", items: preview.unresolved.map((u) => `${u.service}: ${u.reason}.`) });
  }
  return notices;
}

/**
 * How a snapshot's promotion is written, with the way to the other: a merge of its tag into this branch (every service
 * that differs, values too), or a version edit, and why when a merge is not possible.
 */
function describeMode(preview: PromotionPreview, environmentPath: string, mode: "auto" | "versions" | undefined) {
  const { snapshot, environment } = preview.from;
  if (!snapshot) return null;
  const query = (extra: string) => `${environmentPath}/promote?from=${encodeURIComponent(environment)}&snapshot=${encodeURIComponent(snapshot)}${extra}`;
  if (preview.mergeBlocker) return <>It is raised as a version edit: {preview.mergeBlocker}.</>;
  if (mode === "versions") {
    return (
      <>
        It is raised as a version edit. <Link href={query("")}>Merge the tag instead</Link>.
      </>
    );
  }
  return (
    <>
      It is raised as a merge of the tag {snapshot} into this environment&apos;s branch, as <code>git merge {snapshot}</code> would: every service
      that differs moves, and the rest of the snapshot (values too) comes along. <Link href={query("&mode=versions")}>Promote chosen versions instead</Link>.
    </>
  );
}

function describeSource(target: string, preview: PromotionPreview): string {
  const { environment, sha, snapshot } = preview.from;
  const source = snapshot ? `${environment} ran in its snapshot ${snapshot} (${sha.slice(0, 8)})` : `${environment} runs (at ${sha.slice(0, 8)})`;
  return `${target} would run the versions ${source} for the services both have.`;
}
