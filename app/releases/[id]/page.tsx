import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { ReleaseRequestPanel } from "@/components/release-request-panel";
import { requirePageViewer } from "@/lib/auth/require-page-viewer";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { readReleaseRequest } from "@/lib/releases/read-release-requests";

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
  const viewer = await requirePageViewer(`/releases/${id}`);
  const view = await readReleaseRequest(viewer, id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    if (error instanceof ForbiddenError) forbidden();
    throw error;
  });
  return <ReleaseRequestPanel view={view} />;
}
