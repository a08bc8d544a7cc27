import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { type ReleaseRef, allows } from "@/lib/auth/policy";
import { readEnvironment } from "@/lib/config/environment";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { type FollowThroughView, readFollowThrough, rerunReleaseJob } from "./read-follow-through";

export type ReleaseFollowThroughView = FollowThroughView & {
  /** The viewer may run failed jobs again (the policy's job.rerun: admins). */
  canRerun: boolean;
};

/**
 * The follow-through section of a release request's page, for a viewer already allowed to see the request; undefined
 * when no integration is configured and the request has no jobs (nothing to show).
 */
export async function readReleaseFollowThrough(viewer: Viewer, request: ReleaseRef): Promise<ReleaseFollowThroughView | undefined> {
  const { config } = getWorkspace();
  const view = await readFollowThrough(getDb(), config, readEnvironment().secret, request.id);
  if (view.integrations.length === 0 && view.jobs.length === 0) return undefined;
  const environment = viewer.environments.find((e) => e.name === request.environment);
  return { ...view, canRerun: allows(viewer.principal, "job.rerun", { type: "release", request, environment }, viewer.access) };
}

/** Runs one of the request's failed jobs again; the caller has authorized job.rerun on the request. */
export async function rerunFollowThroughJob(viewer: Viewer, request: ReleaseRef, jobId: number): Promise<ReleaseFollowThroughView | undefined> {
  await rerunReleaseJob(getDb(), request.id, jobId);
  return readReleaseFollowThrough(viewer, request);
}
