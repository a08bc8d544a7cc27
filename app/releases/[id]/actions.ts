"use server";

import { z } from "zod";
import { authorize, getViewer } from "@/lib/auth/authorize";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { closeReleaseRequest, mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { readReleaseRequest } from "@/lib/releases/read-release-requests";
import type { ActionResult, ReleaseRequestView } from "@/lib/releases/release-types";
import { runReleaseAction } from "@/lib/releases/run-release-action";
import { readReleaseDeps, requestRefresh } from "@/lib/snapshots/refresher";
import { logger } from "@/lib/logger";

const inputSchema = z.object({ id: z.number().int().positive() }).strict();

function parseId(input: unknown): number {
  const result = inputSchema.safeParse(input);
  if (!result.success) throw new ValidationError("id must be a change request number");
  return result.data.id;
}

async function environmentOf(id: number): Promise<string> {
  const request = await getDb().releaseRequest.findUnique({ where: { id }, select: { environment: true } });
  if (!request) throw new NotFoundError(`There is no change request #${id}.`);
  return request.environment;
}

/** Approves and merges a plain-git change request. Gatekeepers of its environment only, never the requester. */
export async function mergeReleaseAction(input: unknown): Promise<ActionResult<ReleaseRequestView>> {
  return runReleaseAction("merge-release", async (origin) => {
    const id = parseId(input);
    const viewer = await authorize("approve", await environmentOf(id));
    await mergeReleaseRequest({ db: getDb(), git: readReleaseDeps().git }, viewer.principal, id, origin);
    // The merge deployed a new state: read it now rather than at the next interval.
    requestRefresh(`merge:#${id}`).catch((error) => logger.error({ err: error }, "refresh after merge failed"));
    return readReleaseRequest(viewer, id);
  });
}

/** Closes a change request unmerged: its requester or a gatekeeper of its environment. */
export async function closeReleaseAction(input: unknown): Promise<ActionResult<ReleaseRequestView>> {
  return runReleaseAction("close-release", async (origin) => {
    const id = parseId(input);
    const environment = await environmentOf(id);
    const viewer = await getViewer();
    const env = viewer.environments.find((e) => e.name === environment);
    const request = await readReleaseRequest(viewer, id);
    const mayClose = request.requester === viewer.principal.username || Boolean(env && can(viewer.principal, "approve", viewer.access, env));
    if (viewer.principal.source === "anonymous" || !mayClose) {
      throw new ForbiddenError(`${viewer.principal.username} may not close change request #${id}.`);
    }
    await closeReleaseRequest(getDb(), viewer.principal, id, origin);
    return readReleaseRequest(viewer, id);
  });
}
