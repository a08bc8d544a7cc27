import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Principal } from "@/lib/auth/principal";
import { ForbiddenError, SlipwayError, ValidationError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { LocalGitProvider } from "@/lib/git/local/local-git-provider";

type Origin = { ip?: string; userAgent?: string };

/**
 * A gatekeeper approves and merges a change request on plain git: a merge commit on the environment branch, which
 * deploys it. The caller has checked the "approve" role; here the request's own rules: it must be open, and nobody
 * approves their own request.
 */
export async function mergeReleaseRequest(
  deps: { db: PrismaClient; git: LocalGitProvider },
  gatekeeper: Principal,
  id: number,
  origin?: Origin,
): Promise<void> {
  const request = await deps.db.releaseRequest.findUnique({ where: { id } });
  if (!request) throw new SlipwayError(`There is no change request #${id}.`, 404);
  if (request.state !== "open") throw new ValidationError(`Change request #${id} is ${request.state}, not open.`);
  if (request.provider !== "local") throw new ValidationError(`Change request #${id} is a pull request: merge it on GitHub.`);
  if (request.requester === gatekeeper.username) {
    throw new ForbiddenError(`${gatekeeper.username} raised #${id}; another gatekeeper must approve it.`);
  }
  // Claim the merge first so two gatekeepers clicking at once cannot both merge.
  const claimed = await deps.db.releaseRequest.updateMany({ where: { id, state: "open" }, data: { state: "merging" } });
  if (claimed.count === 0) throw new ValidationError(`Change request #${id} is already being merged.`);
  try {
    const { sha } = await deps.git.mergeBranch(request.repo, {
      into: request.baseBranch,
      from: request.branch,
      message: `Merge change request #${id}: ${request.title}\n\nApproved by ${gatekeeper.username} in Slipway.\n`,
      author: { name: gatekeeper.name ?? gatekeeper.username, email: gatekeeper.email ?? `${gatekeeper.username}@slipway.invalid` },
    });
    const now = new Date();
    await deps.db.releaseRequest.update({
      where: { id },
      data: { state: "merged", approvedBy: gatekeeper.username, approvedAt: now, mergedBy: gatekeeper.username, mergedAt: now, mergeSha: sha },
    });
  } catch (error) {
    await deps.db.releaseRequest.update({ where: { id }, data: { state: "open" } });
    throw error;
  }
  for (const action of ["release.approved", "release.merged"] as const) {
    await recordAuditEvent(deps.db, { actor: gatekeeper, action, environment: request.environment, target: `#${id}`, origin });
  }
}

/** Closes an open change request without merging; its branch is kept for the record. */
export async function closeReleaseRequest(db: PrismaClient, actor: Principal, id: number, origin?: Origin): Promise<void> {
  const closed = await db.releaseRequest.updateMany({
    where: { id, state: { in: ["open", "failed"] } },
    data: { state: "closed", closedBy: actor.username, closedAt: new Date() },
  });
  if (closed.count === 0) throw new ValidationError(`Change request #${id} is not open.`);
  const request = await db.releaseRequest.findUniqueOrThrow({ where: { id } });
  await recordAuditEvent(db, { actor, action: "release.closed", environment: request.environment, target: `#${id}`, origin });
}
