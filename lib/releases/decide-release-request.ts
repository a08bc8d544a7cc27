import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { refusal } from "@/lib/auth/enforce";
import { decide } from "@/lib/auth/policy";
import type { Principal } from "@/lib/auth/principal";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { ConflictError, NotFoundError, errorMessage } from "@/lib/errors";
import { recordReleaseEvent } from "@/lib/follow-through/record-release-event";
import type { PrismaClient, ReleaseRequest } from "@/lib/generated/prisma/client";
import type { GitProvider } from "@/lib/git/git-provider";
import type { LocalGitProvider } from "@/lib/git/local/local-git-provider";
import type { PlannedFile } from "./release-types";
import { reversePromote } from "./reverse-promotion";
import { createSnapshot } from "./snapshots";

type Origin = { ip?: string; userAgent?: string };

/**
 * Loads a request and asks the policy about it, on the row as it is now: the caller authorized before, but a request
 * can change state between that check and this use (merged by someone else meanwhile).
 */
async function loadDecided(db: PrismaClient, config: Pick<WorkspaceConfig, "access" | "environments">, actor: Principal, action: "release.merge" | "release.close", id: number): Promise<ReleaseRequest> {
  const request = await db.releaseRequest.findUnique({ where: { id } });
  if (!request) throw new NotFoundError(`There is no change request #${id}.`);
  const environment = config.environments.find((e) => e.name === request.environment);
  const decision = decide(actor, action, { type: "release", request, environment }, config.access);
  if (!decision.allowed) throw refusal(decision);
  return request;
}

/**
 * A gatekeeper approves and merges a change request on plain git: a merge commit on the environment branch, which
 * deploys it. Exactly what was reviewed is merged — the commit recorded when the request was raised (`headSha`), whose
 * diff the review page showed. If the branch has moved since (someone pushed to it), nothing is merged: the gatekeeper
 * is told to review again and the refusal goes into the audit trail. The reviewed commits may touch only the files the
 * plan changed.
 */
export async function mergeReleaseRequest(
  deps: { db: PrismaClient; git: LocalGitProvider; config: Pick<WorkspaceConfig, "access" | "environments" | "services"> },
  gatekeeper: Principal,
  id: number,
  origin?: Origin,
): Promise<void> {
  const request = await loadDecided(deps.db, deps.config, gatekeeper, "release.merge", id);
  if (!request.headSha) throw new ConflictError(`Change request #${id} has no reviewed commit to merge.`);
  // Claim the merge first so two gatekeepers clicking at once cannot both merge.
  const claimed = await deps.db.releaseRequest.updateMany({ where: { id, state: "open" }, data: { state: "merging" } });
  if (claimed.count === 0) throw new ConflictError(`Change request #${id} is already being merged.`);
  let now: Date | undefined;
  let mergeSha: string | undefined;
  try {
    await checkReviewedCommits(deps, request, request.headSha, gatekeeper, origin);
    const { sha } = await deps.git.mergeBranch(request.repo, {
      into: request.baseBranch,
      from: request.branch,
      fromSha: request.headSha,
      message: `Merge change request #${id}: ${request.title}\n\nApproved by ${gatekeeper.username} in Slipway.\n`,
      author: { name: gatekeeper.name ?? gatekeeper.username, email: gatekeeper.email ?? `${gatekeeper.username}@slipway.invalid` },
    });
    now = new Date();
    mergeSha = sha;
    await deps.db.releaseRequest.update({
      where: { id },
      data: { state: "merged", approvedBy: gatekeeper.username, approvedAt: now, mergedBy: gatekeeper.username, mergedAt: now, mergeSha: sha },
    });
  } catch (error) {
    await deps.db.releaseRequest.update({ where: { id }, data: { state: "open" } });
    throw error;
  }
  const snapshot = await tagSnapshot(deps, request.environment, mergeSha!, now!);
  // Reverse promotion: each service repository's release/<environment> branch follows what now runs (its own status).
  await reversePromote(deps, id);
  for (const action of ["release.approved", "release.merged"] as const) {
    const detail = { headSha: request.headSha, ...(action === "release.merged" ? snapshot : {}) };
    await recordAuditEvent(deps.db, { actor: gatekeeper, action, environment: request.environment, target: `#${id}`, origin, detail });
  }
  await recordReleaseEvent(deps, { type: "merged", requestId: id });
}

/**
 * Tags a deployment commit Slipway merged as the environment's next snapshot, when it takes snapshots. The merge has
 * happened whatever becomes of the tag, so a failure is recorded (in the audit detail), not thrown.
 */
export async function tagSnapshot(
  deps: { git: GitProvider; config: Pick<WorkspaceConfig, "environments"> },
  environment: string,
  sha: string,
  date: Date,
): Promise<{ snapshot?: string; snapshotError?: string }> {
  const env = deps.config.environments.find((e) => e.name === environment);
  if (!env?.snapshots) return {};
  try {
    const snapshot = await createSnapshot(deps.git, env, sha, date);
    return snapshot ? { snapshot: snapshot.tag } : {};
  } catch (error) {
    return { snapshotError: errorMessage(error) };
  }
}

/** The branch still points at the reviewed commit, and the commits since the base touch only the planned files. */
async function checkReviewedCommits(
  deps: { db: PrismaClient; git: LocalGitProvider },
  request: ReleaseRequest,
  reviewed: string,
  gatekeeper: Principal,
  origin?: Origin,
): Promise<void> {
  const refuse = async (reason: string, detail: Record<string, string | string[]>) => {
    await recordAuditEvent(deps.db, {
      actor: gatekeeper,
      action: "release.merge-refused",
      environment: request.environment,
      target: `#${request.id}`,
      detail: { reason, reviewed, ...detail },
      origin,
    });
    return new ConflictError(`${reason}: review again. Nothing was merged.`);
  };
  const head = await deps.git.branchHead(request.repo, request.branch);
  if (head.sha !== reviewed) {
    throw await refuse(`${request.branch} changed since review (reviewed ${reviewed.slice(0, 10)}, now ${head.sha.slice(0, 10)})`, { found: head.sha });
  }
  if (request.mergeOf) {
    // A snapshot's tag merged into the base: the reviewed commit must be exactly that merge, whatever files it brings.
    const [commit] = await deps.git.listHistory(request.repo, reviewed, { limit: 1 });
    const parents = commit?.parents ?? [];
    if (parents.length !== 2 || parents[0] !== request.baseSha || parents[1] !== request.mergeOf) {
      throw await refuse(`${request.branch} is no longer the merge of ${request.mergeOf.slice(0, 10)} into ${request.baseSha.slice(0, 10)}`, { parents });
    }
    return;
  }
  const planned = new Set(((request.files as unknown as PlannedFile[]) ?? []).map((f) => f.path));
  const touched = await deps.git.changedFiles(request.repo, request.baseSha, reviewed);
  const unplanned = touched.filter((path) => !planned.has(path));
  if (unplanned.length > 0) {
    throw await refuse(`${request.branch} changes files the plan did not: ${unplanned.slice(0, 5).join(", ")}${unplanned.length > 5 ? ", …" : ""}`, { unplanned });
  }
}

/** Closes a change request without merging (its requester or a gatekeeper); its branch is kept for the record. */
export async function closeReleaseRequest(
  deps: { db: PrismaClient; config: Pick<WorkspaceConfig, "access" | "environments"> },
  actor: Principal,
  id: number,
  origin?: Origin,
): Promise<void> {
  const request = await loadDecided(deps.db, deps.config, actor, "release.close", id);
  const closed = await deps.db.releaseRequest.updateMany({
    where: { id, state: { in: ["open", "failed", "deferred"] } },
    // The key is released with a suffix: raising the same plan again after closing is a new request, not this one.
    data: { state: "closed", closedBy: actor.username, closedAt: new Date(), idempotencyKey: `${request.idempotencyKey}:closed:${id}` },
  });
  if (closed.count === 0) throw new ConflictError(`Change request #${id} is not open.`);
  await recordAuditEvent(deps.db, { actor, action: "release.closed", environment: request.environment, target: `#${id}`, origin });
  await recordReleaseEvent(deps, { type: "closed", requestId: id });
}
