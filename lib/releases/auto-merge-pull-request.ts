import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { decide } from "@/lib/auth/policy";
import { SLIPWAY_SYSTEM } from "@/lib/auth/principal";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { errorMessage } from "@/lib/errors";
import type { Prisma, PrismaClient, ReleaseRequest } from "@/lib/generated/prisma/client";
import { type ChecksSummary, describeChecks } from "@/lib/git/github/combine-checks";
import type { GitHubPullRequests, PullRequestDetails } from "@/lib/git/github/github-pull-requests";
import { logger } from "@/lib/logger";
import type { ReleaseDeps } from "./plan-upgrade";
import { recordPullRequestMerged } from "./sync-pull-requests";

/**
 * Where Slipway's merge of its own pull request stands: waiting (checks running, GitHub still computing mergeability),
 * failing (a check failed: re-evaluated each refresh, so a re-run that passes lets it through), blocked (the head
 * moved, a conflict, branch protection, or the policy: a person has to act), merged.
 */
export type AutoMergeState = "waiting" | "failing" | "blocked" | "merged";

/**
 * The latest such state, stored on the request among its `followUps` (kind "auto-merge"; the request page shows it),
 * so that "waiting for checks: 2 pending" or "checks failed: e2e" stays visible between refreshes.
 */
export interface AutoMergeStatus {
  kind: "auto-merge";
  state: AutoMergeState;
  detail: string;
  /** The commit the status is about: the one Slipway raised. */
  headSha: string;
  checkedAt: string;
}

export interface AutoMergeOutcome {
  id: number;
  /** "error" when GitHub could not be read this time; nothing is stored and the next refresh tries again. */
  state: AutoMergeState | "error";
  detail: string;
}

export type AutoMergeVerdict = { action: "merge" | "wait" | "fail" | "block"; detail: string };

const log = logger.child({ component: "auto-merge" });

/**
 * What the pull request itself says, before any check is read: Slipway merges exactly the commit it raised, so a head
 * that moved (someone pushed to the branch) blocks it, as does a conflict with the base.
 */
export function blockedByPullRequest(pull: Pick<PullRequestDetails, "headSha" | "headBranch" | "baseBranch" | "mergeable">, raisedSha: string): string | undefined {
  if (pull.headSha !== raisedSha) {
    return (
      `${pull.headBranch} now points at ${pull.headSha.slice(0, 10)}, not the commit Slipway raised (${raisedSha.slice(0, 10)}): ` +
      `Slipway merges only what it raised, so a person reviews and merges it on GitHub, or closes it`
    );
  }
  if (pull.mergeable === false) return `it conflicts with ${pull.baseBranch}: resolve the conflict on GitHub, or close it`;
  return undefined;
}

/**
 * Merge, wait or stop, once the pull request does not block: failed checks stop it, running checks and a
 * mergeability GitHub has not computed yet make it wait, passing checks (or none reported at all) let it merge.
 */
export function judgeAutoMerge(pull: Pick<PullRequestDetails, "headSha" | "headBranch" | "baseBranch" | "mergeable">, raisedSha: string, checks: ChecksSummary): AutoMergeVerdict {
  const blocked = blockedByPullRequest(pull, raisedSha);
  if (blocked) return { action: "block", detail: blocked };
  if (checks.state === "failing") return { action: "fail", detail: `${describeChecks(checks)}; Slipway merges once they pass on a re-run` };
  if (checks.state === "pending") return { action: "wait", detail: describeChecks(checks) };
  if (pull.mergeable === null) return { action: "wait", detail: `waiting for GitHub to work out whether it merges cleanly into ${pull.baseBranch}` };
  return { action: "merge", detail: describeChecks(checks) };
}

const STATE: Record<Exclude<AutoMergeVerdict["action"], "merge">, AutoMergeState> = { wait: "waiting", fail: "failing", block: "blocked" };

type Deps = ReleaseDeps & { db: PrismaClient };

/**
 * MPB's "deploy" step on GitHub: one open pull request Slipway raised in an environment with autoMerge is merged by
 * Slipway — asked of the policy as SLIPWAY_SYSTEM — once its head is still the commit Slipway pushed, its checks pass
 * and GitHub says it merges cleanly. GitHub's merge API is given that commit, so a push in between makes GitHub
 * refuse rather than merge something nobody reviewed; branch protection (required reviews, required checks) is
 * GitHub's to enforce and its refusal is recorded on the request. The merge is then recorded the way a merge seen on
 * GitHub is (recordPullRequestMerged): snapshot tag, reverse promotion, audit — with Slipway as who merged.
 */
export async function mergeWhenChecksPass(deps: Deps, env: EnvironmentConfig, pullRequests: GitHubPullRequests, request: ReleaseRequest): Promise<AutoMergeOutcome> {
  const id = request.id;
  if (!request.headSha || request.number === null) return { id, state: "blocked", detail: "it has no pull request to merge" };
  const decision = decide(SLIPWAY_SYSTEM, "release.merge", { type: "release", request, environment: env }, deps.config.access);
  if (!decision.allowed) return settle(deps, request, { action: "block", detail: `Slipway may not merge it: ${decision.reason}` });
  try {
    const pull = await pullRequests.getPullRequest(request.repo, request.number, { awaitMergeable: true });
    // Merged or closed on GitHub meanwhile: following pull requests records that (syncPullRequests); nothing to store.
    if (pull.state !== "open") return { id, state: "waiting", detail: `the pull request is ${pull.state} on GitHub; the next sync records it` };
    const blocked = blockedByPullRequest(pull, request.headSha);
    if (blocked) return settle(deps, request, { action: "block", detail: blocked });
    const verdict = judgeAutoMerge(pull, request.headSha, await pullRequests.readChecks(request.repo, request.headSha));
    if (verdict.action !== "merge") return settle(deps, request, verdict);

    const merge = await pullRequests.mergePullRequest(request.repo, request.number, request.headSha, {
      commitMessage: `${request.title}\n\nMerged by Slipway for release request #${id}: ${verdict.detail} (autoMerge in slipway.yaml).\n`,
    });
    if (!merge.merged) return settle(deps, request, { action: "block", detail: merge.message });
    const detail = `merged by Slipway at ${merge.sha.slice(0, 10)}: ${verdict.detail}`;
    await saveStatus(deps.db, request, "merged", detail);
    const recorded = await recordPullRequestMerged(
      { db: deps.db, release: deps },
      request,
      { headSha: request.headSha, mergedAt: new Date(), mergeCommitSha: merge.sha },
      SLIPWAY_SYSTEM,
    );
    if (!recorded.merged) {
      // GitHub's webhook for this very merge arrived first and recorded it without knowing who merged: it was Slipway.
      const claimed = await deps.db.releaseRequest.updateMany({ where: { id, state: "merged", mergedBy: null }, data: { mergedBy: SLIPWAY_SYSTEM.username } });
      if (claimed.count === 1) {
        await recordAuditEvent(deps.db, {
          actor: SLIPWAY_SYSTEM,
          action: "release.merged",
          environment: request.environment,
          target: `#${id}`,
          detail: { headSha: request.headSha, pullRequest: request.number, mergeSha: merge.sha, recordedFirstBy: "webhook" },
        });
      }
    }
    for (const failure of recorded.failures) log.warn({ releaseRequest: id, error: failure }, "after Slipway's merge");
    log.info({ releaseRequest: id, environment: env.name, mergeSha: merge.sha }, "Slipway merged its pull request");
    return { id, state: "merged", detail };
  } catch (error) {
    // GitHub unreadable this time (down, rate limit, a permission the token lacks): nothing is merged and the next
    // refresh tries again; the request says why meanwhile, so a lasting cause (a permission) is seen where it matters.
    const detail = `GitHub could not be asked this time (${errorMessage(error)}); Slipway tries again at the next refresh`;
    log.warn({ releaseRequest: id, error: errorMessage(error) }, "automatic merge not evaluated");
    await saveStatus(deps.db, request, "waiting", detail).catch(() => false);
    return { id, state: "error", detail: errorMessage(error) };
  }
}

/**
 * Stores a verdict that is not a merge, and audits the first refusal of a kind: blocked is Slipway declining to
 * merge (or GitHub refusing it), which the audit trail records like a gatekeeper's refused merge — once per reason,
 * not once per refresh.
 */
async function settle(deps: Deps, request: ReleaseRequest, verdict: AutoMergeVerdict): Promise<AutoMergeOutcome> {
  const state = verdict.action === "merge" ? "merged" : STATE[verdict.action];
  const changed = await saveStatus(deps.db, request, state, verdict.detail);
  if (changed && state === "blocked") {
    await recordAuditEvent(deps.db, {
      actor: SLIPWAY_SYSTEM,
      action: "release.merge-refused",
      environment: request.environment,
      target: `#${request.id}`,
      detail: { reason: verdict.detail, raised: request.headSha, pullRequest: request.number },
    });
  }
  if (changed) log.info({ releaseRequest: request.id, state, detail: verdict.detail }, "automatic merge status");
  return { id: request.id, state, detail: verdict.detail };
}

/** The request's auto-merge status, if it has one. */
export function readAutoMergeStatus(followUps: unknown): AutoMergeStatus | undefined {
  if (!Array.isArray(followUps)) return undefined;
  return followUps.find((step): step is AutoMergeStatus => (step as { kind?: unknown } | null)?.kind === "auto-merge");
}

/** Writes the status when it says something new (the time alone is not news); returns whether it did. */
export async function saveStatus(db: PrismaClient, request: Pick<ReleaseRequest, "id" | "followUps" | "headSha">, state: AutoMergeState, detail: string): Promise<boolean> {
  const previous = readAutoMergeStatus(request.followUps);
  if (previous && previous.state === state && previous.detail === detail && previous.headSha === request.headSha) return false;
  const others = Array.isArray(request.followUps) ? request.followUps.filter((step) => (step as { kind?: unknown } | null)?.kind !== "auto-merge") : [];
  const status: AutoMergeStatus = { kind: "auto-merge", state, detail, headSha: request.headSha ?? "", checkedAt: new Date().toISOString() };
  const updated = await db.releaseRequest.updateMany({
    where: { id: request.id, state: "open" },
    data: { followUps: [...others, status] as unknown as Prisma.InputJsonArray },
  });
  return updated.count > 0;
}
