import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { errorMessage } from "@/lib/errors";
import { recordReleaseEvent } from "@/lib/follow-through/record-release-event";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Principal } from "@/lib/auth/principal";
import type { PullRequestHosting } from "@/lib/git/choose-git-provider";
import type { PullRequestDetails } from "@/lib/git/github/github-pull-requests";
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
        const recorded = await recordPullRequestMerged(deps, request, pull);
        if (recorded.merged) result.merged++;
        result.failures.push(...recorded.failures.map((error) => ({ id: request.id, error })));
      } else if (pull.state === "closed") {
        if (await recordPullRequestClosed(deps, request)) result.closed++;
      }
    } catch (error) {
      result.failures.push({ id: request.id, error: errorMessage(error) });
    }
  }
  return result;
}

/**
 * Records a pull request closed on GitHub without merging — seen by a sync or reported by a webhook — the one way: the
 * request becomes closed and frees its idempotency key, so the same plan can be raised again. Guarded by state, so only
 * the first of several reports changes the row. Returns whether this call recorded it.
 */
export async function recordPullRequestClosed(
  deps: { db: PrismaClient; release?: Pick<ReleaseDeps, "config"> },
  request: { id: number; idempotencyKey: string },
): Promise<boolean> {
  const updated = await deps.db.releaseRequest.updateMany({
    where: { id: request.id, state: "open" },
    data: { state: "closed", closedAt: new Date(), idempotencyKey: `${request.idempotencyKey}:closed:${request.id}` },
  });
  await recordReleaseEvent({ db: deps.db, config: deps.release?.config }, { type: "closed", requestId: request.id });
  return updated.count > 0;
}

/** An open GitHub request, as far as recording its merge needs it. */
export interface MergedPullRequestRow {
  id: number;
  environment: string;
  /** The commit Slipway raised. */
  headSha: string | null;
  number: number | null;
}

/**
 * Records a pull request merged on GitHub — seen merged by a sync, or merged by Slipway itself (`mergedBy`) — the one
 * way: the request becomes merged with GitHub's merge commit; that commit is tagged as the environment's snapshot and
 * reverse promotion runs (both when `release` is given); the audit trail gets Slipway's merge, or a merge whose commits
 * are not the one Slipway raised. Guarded by state, so a sync racing another instance's sync (or Slipway's own merge)
 * changes the row once. Returns whether this call recorded it, and what failed after the merge (it stands regardless).
 */
export async function recordPullRequestMerged(
  deps: { db: PrismaClient; release?: ReleaseDeps },
  request: MergedPullRequestRow,
  pull: Pick<PullRequestDetails, "headSha" | "mergedAt" | "mergeCommitSha">,
  mergedBy?: Principal,
): Promise<{ merged: boolean; failures: string[] }> {
  const failures: string[] = [];
  // Slipway raised one commit; if the pull request was merged with more on it, say so on the request and in the
  // audit trail rather than let the record claim that what merged is what Slipway planned.
  const changed = Boolean(request.headSha && pull.headSha !== request.headSha);
  const mergedAt = pull.mergedAt ?? new Date();
  const updated = await deps.db.releaseRequest.updateMany({
    where: { id: request.id, state: "open" },
    data: {
      state: "merged",
      mergedAt,
      mergeSha: pull.mergeCommitSha ?? null,
      // Who merged is not in GitHub's pull request payload: known only when it was Slipway.
      ...(mergedBy ? { mergedBy: mergedBy.username } : {}),
      error: changed ? `merged on GitHub at ${pull.headSha.slice(0, 10)}, not the commit Slipway raised (${request.headSha!.slice(0, 10)}): commits were added after it was raised` : null,
    },
  });
  await recordReleaseEvent({ db: deps.db, config: deps.release?.config }, { type: "merged", requestId: request.id });
  if (updated.count === 0) return { merged: false, failures };
  let snapshot: { snapshot?: string; snapshotError?: string } = {};
  // The merge commit is a deployment of the environment: its snapshot, when the environment takes them.
  if (deps.release && pull.mergeCommitSha) {
    snapshot = await tagSnapshot(deps.release, request.environment, pull.mergeCommitSha, mergedAt);
    if (snapshot.snapshotError) failures.push(`snapshot not tagged: ${snapshot.snapshotError}`);
  }
  if (deps.release) await reversePromote({ ...deps.release, db: deps.db }, request.id);
  if (mergedBy || changed) {
    await recordAuditEvent(deps.db, {
      actor: mergedBy ?? { username: "github", source: "github" },
      action: "release.merged",
      environment: request.environment,
      target: `#${request.id}`,
      detail: changed
        ? { changedSinceRaised: true, raised: request.headSha, merged: pull.headSha }
        : { headSha: pull.headSha, pullRequest: request.number, mergeSha: pull.mergeCommitSha ?? null, ...snapshot },
    });
  }
  return { merged: true, failures };
}
