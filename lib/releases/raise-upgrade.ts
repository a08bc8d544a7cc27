import { createHash } from "node:crypto";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { describeRequester, withCoAuthor } from "@/lib/auth/attribution";
import type { Principal } from "@/lib/auth/principal";
import { gatekeepersFor } from "@/lib/auth/permissions";
import type { AccessConfig, EnvironmentConfig } from "@/lib/config/schema";
import { ConflictError, SlipwayError, errorMessage } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { PullRequestHosting } from "@/lib/git/choose-git-provider";
import type { FileChange, GitProvider } from "@/lib/git/git-provider";
import { type ReleaseDeps, type UpgradeTarget, planUpgrade } from "./plan-upgrade";

/** The identity that commits on behalf of requesters (the requester is credited as co-author). */
export const SLIPWAY_COMMITTER = { name: "Slipway", email: "slipway@localhost" };

export class PlanOutdatedError extends SlipwayError {
  constructor(message: string) {
    super(message, 409);
    this.name = "PlanOutdatedError";
  }
}

/** Labels every pull request Slipway opens for an upgrade carries. */
export const PULL_REQUEST_LABELS = ["slipway", "upgrade"] as const;

/**
 * Raises a planned upgrade as one change: a branch with one commit and, on plain git, a change request stored here
 * for a gatekeeper to approve and merge; on GitHub, a pull request with the plan as its body, labelled, with the
 * environment's gatekeepers requested as reviewers. Raising the same plan twice (a double click, a retry after a timeout)
 * returns the first request instead of opening another: the request row is claimed by its idempotency key before
 * any git write.
 */
export async function raiseUpgrade(
  deps: ReleaseDeps & { db: PrismaClient; pullRequests?: PullRequestHosting },
  requester: Principal,
  env: EnvironmentConfig,
  input: { targets: UpgradeTarget[]; baseSha: string; origin?: { ip?: string; userAgent?: string } },
): Promise<{ id: number; reused: boolean }> {
  const { plan, changes } = await planUpgrade(deps, env, input.targets);
  if (plan.baseSha !== input.baseSha) {
    throw new PlanOutdatedError(
      `${env.branch} in ${env.name} has moved since the plan was made (${input.baseSha.slice(0, 8)} → ${plan.baseSha.slice(0, 8)}). Review the changes again.`,
    );
  }
  const key = createHash("sha256")
    .update(JSON.stringify([env.name, plan.baseSha, plan.items.map((i) => [i.service, i.to]).sort()]))
    .digest("hex");
  const attribution = describeRequester(requester);
  const body = `${plan.body}\n\n---\n${attribution.bodyLine}`;

  const pullRequests = deps.pullRequests?.pullRequestsFor(env.repo);

  let id: number;
  /** A retry of a request whose first attempt failed after claiming it: its branch may already be there. */
  let retried = false;
  try {
    const created = await deps.db.releaseRequest.create({
      data: {
        kind: "upgrade",
        environment: env.name,
        state: "raising",
        title: plan.title,
        body,
        requester: requester.username,
        requesterSource: requester.source,
        idempotencyKey: key,
        provider: pullRequests ? "github" : "local",
        repo: env.repo,
        baseBranch: env.branch,
        baseSha: plan.baseSha,
        branch: plan.branch,
        files: plan.files as unknown as Prisma.InputJsonValue,
        items: {
          create: plan.items.map((i) => ({
            service: i.service,
            chart: i.chart,
            fromVersion: i.from,
            toVersion: i.to,
            tickets: i.changelog.tickets.map((t) => t.key),
          })),
        },
      },
    });
    id = created.id;
  } catch (error) {
    if (isUniqueViolation(error)) {
      const existing = await deps.db.releaseRequest.findUniqueOrThrow({ where: { idempotencyKey: key } });
      // A failed attempt (GitHub down when the pull request was opened, a branch in the way) is picked up again by the
      // retry; the claim keeps two retries at once from both carrying on.
      const reclaimed = existing.state === "failed"
        ? await deps.db.releaseRequest.updateMany({ where: { id: existing.id, state: "failed" }, data: { state: "raising", error: null } })
        : { count: 0 };
      if (reclaimed.count === 0) return { id: existing.id, reused: true };
      id = existing.id;
      retried = true;
    } else {
      throw error;
    }
  }

  let pullRequest: { number: number; url: string; warnings: string[] } | undefined;
  let branch = plan.branch;
  try {
    const message = withCoAuthor(`${plan.title}\n\nRaised through Slipway as change request #${id}.\n`, attribution);
    let headSha: string;
    try {
      if (!pullRequests) {
        ({ sha: headSha, branch } = await createLocalBranch(deps, env, { id, baseSha: plan.baseSha, branch: plan.branch, message, changes }));
      } else {
        ({ sha: headSha } = await deps.git.createBranchWithCommit(env.repo, {
          baseSha: plan.baseSha,
          branch: plan.branch,
          message,
          author: SLIPWAY_COMMITTER,
          files: changes,
        }));
      }
    } catch (error) {
      if (!pullRequests) throw error;
      // The branch is there already: raised before (the same versions on an earlier base), or by our own first attempt.
      const open = await pullRequests.findOpenPullRequest(env.repo, plan.branch).catch(() => undefined);
      if (open) {
        const owner = await deps.db.releaseRequest.findFirst({ where: { provider: "github", repo: env.repo, number: open.number, id: { not: id } } });
        if (owner && !retried) {
          // Another request already stands for this pull request: that one is the answer, this claim goes away.
          await deps.db.releaseRequest.delete({ where: { id } });
          return { id: owner.id, reused: true };
        }
        pullRequest = { number: open.number, url: open.url, warnings: [`adopted pull request #${open.number}, already open from ${plan.branch}`] };
      } else if (!retried) {
        throw error;
      }
      headSha = (await deps.git.branchHead(env.repo, plan.branch)).sha;
    }
    if (pullRequests && !pullRequest) {
      const reviewers = reviewersFor(deps.config.access, env);
      const opened = await pullRequests.openPullRequest({
        repo: env.repo,
        head: plan.branch,
        base: env.branch,
        title: plan.title,
        body,
        labels: [...PULL_REQUEST_LABELS],
        reviewers: { users: reviewers.users, teams: reviewers.teams },
      });
      pullRequest = { number: opened.number, url: opened.url, warnings: [...reviewers.warnings, ...opened.warnings] };
    }
    await deps.db.releaseRequest.update({
      where: { id },
      data: { state: "open", headSha, branch, ...(pullRequest ? { number: pullRequest.number, url: pullRequest.url } : {}) },
    });
  } catch (error) {
    await deps.db.releaseRequest.update({ where: { id }, data: { state: "failed", error: errorMessage(error) } });
    throw error;
  }
  await recordAuditEvent(deps.db, {
    actor: requester,
    action: "release.raised",
    environment: env.name,
    target: `#${id}`,
    detail: {
      items: plan.items.map((i) => ({ service: i.service, from: i.from, to: i.to })),
      branch,
      ...(pullRequest ? { pullRequest: { number: pullRequest.number, url: pullRequest.url }, warnings: pullRequest.warnings } : {}),
    },
    origin: input.origin,
  });
  return { id, reused: false };
}

/**
 * The environment's gatekeepers as GitHub reviewers. Team reviewers must belong to the repository's organization, so
 * `org/slug` grants of another organization cannot be requested; they are reported instead of silently dropped.
 */
function reviewersFor(access: AccessConfig, env: EnvironmentConfig): { users: string[]; teams: string[]; warnings: string[] } {
  const { githubLogins: users, githubTeams } = gatekeepersFor(access, env);
  const owner = env.repo.split("/")[0]!.toLowerCase();
  const teams: string[] = [];
  const warnings: string[] = [];
  for (const team of githubTeams) {
    const [org, slug] = team.split("/") as [string, string];
    if (org.toLowerCase() === owner) teams.push(slug);
    else warnings.push(`team ${team} is not in ${env.repo.split("/")[0]}'s organization, so it cannot be requested as a reviewer`);
  }
  return { users, teams, warnings };
}

/** Branch names tried for one change before giving up: the planned one, then -2 … -9. */
const MAX_BRANCH_ATTEMPTS = 9;

/**
 * Creates the change's branch on plain git. A branch already there is never overwritten, nor adopted (its commit is not
 * the one this plan computed, so it is not what the reviewer will see): if another open request carries it, raising
 * stops and names that request; otherwise it is a leftover — of a closed request, of a failed attempt being retried,
 * or someone's own branch — and the next free name is used.
 */
async function createLocalBranch(
  deps: { git: GitProvider; db: PrismaClient },
  env: EnvironmentConfig,
  change: { id: number; baseSha: string; branch: string; message: string; changes: FileChange[] },
): Promise<{ branch: string; sha: string }> {
  for (let attempt = 1; attempt <= MAX_BRANCH_ATTEMPTS; attempt++) {
    const branch = attempt === 1 ? change.branch : `${change.branch}-${attempt}`;
    try {
      const { sha } = await deps.git.createBranchWithCommit(env.repo, {
        baseSha: change.baseSha,
        branch,
        message: change.message,
        author: SLIPWAY_COMMITTER,
        files: change.changes,
      });
      return { branch, sha };
    } catch (error) {
      const head = await deps.git.branchHead(env.repo, branch).catch(() => undefined);
      if (!head) throw error; // not in the way: the commit itself failed
      const owner = await deps.db.releaseRequest.findFirst({
        where: { repo: env.repo, branch, state: { in: ["open", "raising", "merging"] }, id: { not: change.id } },
        select: { id: true },
      });
      if (owner) throw new ConflictError(`Branch ${branch} already carries change request #${owner.id} in ${env.name}: review that one, or close it first.`);
    }
  }
  throw new ConflictError(`Branches ${change.branch} to ${change.branch}-${MAX_BRANCH_ATTEMPTS} all exist in ${env.repo}: delete the stale ones and raise again.`);
}
