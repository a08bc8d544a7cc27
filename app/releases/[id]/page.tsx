import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ReleaseRequestPanel } from "@/components/release-request-panel";
import { authorizeRelease } from "@/lib/auth/authorize";
import { requirePageAccess } from "@/lib/auth/require-page-viewer";
import { readReleaseFollowThrough } from "@/lib/follow-through/release-follow-through";
import { readReleaseRequest } from "@/lib/releases/read-release-requests";
import { closeReleaseAction, mergeReleaseAction, rerunJobAction } from "./actions";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Release request #${id}` };
}

export default async function ReleaseRequestPage({ params }: Props) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const { id } = parsed.data;
  const { view, followThrough } = await requirePageAccess(`/releases/${id}`, async () => {
    const { viewer, request } = await authorizeRelease("release.view", id);
    const [view, followThrough] = await Promise.all([readReleaseRequest(viewer, id), readReleaseFollowThrough(viewer, request)]);
    return { view, followThrough };
  });
  return (
    <ReleaseRequestPanel
      view={view}
      followThrough={followThrough}
      actions={{ merge: mergeReleaseAction, close: closeReleaseAction, rerunJob: rerunJobAction }}
    />
  );
}
