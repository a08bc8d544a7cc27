import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { errorMessage } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PullRequestHosting } from "@/lib/git/choose-git-provider";
import type { ReleaseDeps } from "./plan-upgrade";
import { tagSnapshot } from "./decide-release-request";
import { reversePromote } from "./reverse-promotion";
import { resumeDeferredRaises } from "./raise-upgrade";

export interface SyncPullRequestsResult {
  checked: number;
  merged: number;
  closed: number;
  /** Deferred raises (stopped by a GitHub rate limit) whose pull request this sync opened. */
  resumed: number;
  /** Requests whose pull request could not be read or opened this time; they are tried again on the next sync. */
  failures: { id: number; error: string }[];
}

/**
 * Brings open GitHub release requests up to date with their pull requests: merged on GitHub (mergedAt and the merge
 * commit; who merged is not in the pull request payload, so mergedBy stays empty) or closed without merging. Reads are
 * conditional, so an unchanged pull request costs no rate limit. One unreadable pull request does not stop the rest.
 *
 * With `release` (what planning needs), raises deferred by a GitHub rate limit whose time has passed are resumed first,
 * so a deferred pull request opens on the next refresh even if nobody raises the plan again.
 */
export async function syncPullRequests(deps: {
  db: PrismaClient;
  pullRequests: PullRequestHosting;
  release?: ReleaseDeps;
}): Promise<SyncPullRequestsResult> {
  const result: SyncPullRequestsResult = { checked: 0, merged: 0, closed: 0, resumed: 0, failures: [] };
  if (deps.release) {
    const resumed = await resumeDeferredRaises({ ...deps.release, db: deps.db, pullRequests: deps.pullRequests });
    result.resumed = resumed.resumed.length;
    result.failures.push(...resumed.failures);
  }
  const open = await deps.db.releaseRequest.findMany({
    where: { provider: "github", state: "open", number: { not: null } },
    select: { id: true, repo: true, number: true, headSha: true, idempotencyKey: true, environment: true },
    orderBy: { id: "asc" },
  });
  for (const request of open) {
    try {
      const host = deps.pullRequests.pullRequestsFor(request.repo);
      if (!host) throw new Error(`${request.repo} is no longer a GitHub repository in slipway.yaml`);
      const pull = await host.getPullRequest(request.repo, request.number!);
      result.checked++;
      if (pull.state === "merged") {
        // Guarded by state, so a sync racing another instance's sync changes the row once.
        // Slipway raised one commit; if the pull request was merged with more on it, say so on the request and in the
        // audit trail rather than let the record claim that what merged is what Slipway planned.
        const changed = request.headSha && pull.headSha !== request.headSha;
        const updated = await deps.db.releaseRequest.updateMany({
          where: { id: request.id, state: "open" },
          data: {
            state: "merged",
            mergedAt: pull.mergedAt ?? new Date(),
            mergeSha: pull.mergeCommitSha ?? null,
            error: changed ? `merged on GitHub at ${pull.headSha.slice(0, 10)}, not the commit Slipway raised (${request.headSha!.slice(0, 10)}): commits were added after it was raised` : null,
          },
        });
        result.merged += updated.count;
        // The merge commit is a deployment of the environment: its snapshot, when the environment takes them.
        if (updated.count > 0 && deps.release && pull.mergeCommitSha) {
          const snapshot = await tagSnapshot(deps.release, request.environment, pull.mergeCommitSha, pull.mergedAt ?? new Date());
          if (snapshot.snapshotError) result.failures.push({ id: request.id, error: `snapshot not tagged: ${snapshot.snapshotError}` });
        }
        if (updated.count > 0 && deps.release) await reversePromote({ ...deps.release, db: deps.db }, request.id);
        if (updated.count > 0 && changed) {
          await recordAuditEvent(deps.db, {
            actor: { username: "github", source: "github" },
            action: "release.merged",
            environment: request.environment,
            target: `#${request.id}`,
            detail: { changedSinceRaised: true, raised: request.headSha, merged: pull.headSha },
          });
        }
      } else if (pull.state === "closed") {
        const updated = await deps.db.releaseRequest.updateMany({
          where: { id: request.id, state: "open" },
          data: { state: "closed", closedAt: new Date(), idempotencyKey: `${request.idempotencyKey}:closed:${request.id}` },
        });
        result.closed += updated.count;
      }
    } catch (error) {
      result.failures.push({ id: request.id, error: errorMessage(error) });
    }
  }
  return result;
}
