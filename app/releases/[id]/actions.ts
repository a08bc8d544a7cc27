"use server";

import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { authorizeRelease } from "@/lib/auth/authorize";
import { type ReleaseFollowThroughView, rerunFollowThroughJob } from "@/lib/follow-through/release-follow-through";
import { logger } from "@/lib/logger";
import { closeReleaseRequest, mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { readReleaseRequest } from "@/lib/releases/read-release-requests";
import type { ActionResult, ReleaseRequestView } from "@/lib/releases/release-types";
import { getServerClients } from "@/lib/server-clients";
import { requestRefresh } from "@/lib/snapshots/refresher";

// Ids are PostgreSQL integers: anything past int4 is not a request, and must be a 400 rather than a database error.
const idSchema = z.object({ id: z.number().int().positive().max(2_147_483_647) }).strict();

/** Approves and merges a plain-git change request: gatekeepers of its environment, never its requester. */
export async function mergeReleaseAction(input: unknown): Promise<ActionResult<ReleaseRequestView>> {
  return runAction("merge-release", idSchema, input, async ({ id }, origin) => {
    const { viewer } = await authorizeRelease("release.merge", id, origin);
    const deps = getServerClients();
    await mergeReleaseRequest(deps, viewer.principal, id, origin);
    // The merge deployed a new state: read it now rather than at the next interval.
    requestRefresh(`merge:#${id}`).catch((error) => logger.error({ err: error }, "refresh after merge failed"));
    return readReleaseRequest(viewer, id);
  });
}

/** Closes a change request unmerged: its requester or a gatekeeper of its environment. */
export async function closeReleaseAction(input: unknown): Promise<ActionResult<ReleaseRequestView>> {
  return runAction("close-release", idSchema, input, async ({ id }, origin) => {
    const { viewer } = await authorizeRelease("release.close", id, origin);
    await closeReleaseRequest(getServerClients(), viewer.principal, id, origin);
    return readReleaseRequest(viewer, id);
  });
}

const rerunSchema = z.object({ id: idSchema.shape.id, jobId: z.number().int().positive().max(2_147_483_647) }).strict();

/** Runs one of the request's failed follow-through jobs (Jira, Slack, Grafana) again: admins only. */
export async function rerunJobAction(input: unknown): Promise<ActionResult<ReleaseFollowThroughView | undefined>> {
  return runAction("rerun-job", rerunSchema, input, async ({ id, jobId }, origin) => {
    const { viewer, request } = await authorizeRelease("job.rerun", id, origin);
    return rerunFollowThroughJob(viewer, request, jobId);
  });
}
