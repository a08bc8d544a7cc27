import { createHash } from "node:crypto";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { describeRequester, withCoAuthor } from "@/lib/auth/attribution";
import type { Principal } from "@/lib/auth/principal";
import { gatekeepersFor } from "@/lib/auth/permissions";
import type { AccessConfig, EnvironmentConfig } from "@/lib/config/schema";
import { ConflictError, SlipwayError, errorMessage } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { recordReleaseEvent } from "@/lib/follow-through/record-release-event";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { PullRequestHosting } from "@/lib/git/choose-git-provider";
import type { FileChange, GitProvider } from "@/lib/git/git-provider";
import { rateLimitRetryAt } from "@/lib/git/github/github-errors";
import { type PlannedMembership, type ReleaseDeps, type ReleasePurpose, type UpgradeTarget, planUpgrade } from "./plan-upgrade";
import type { ReleaseKind } from "./release-types";

/** The identity that commits on behalf of requesters (the requester is credited as co-author). */
export const SLIPWAY_COMMITTER = { name: "Slipway", email: "slipway@localhost" };

export class PlanOutdatedError extends SlipwayError {
  constructor(message: string) {
    super(message, 409);
    this.name = "PlanOutdatedError";
  }
}

/**
 * Raising stopped at a GitHub rate limit Slipway would not wait for: the request is kept (state "deferred", with the
 * time GitHub allows a retry) and resumed later by raising the same plan again or by the periodic sync. Nothing
 * written so far is lost: the resume reuses the request, its branch and its commit message.
 */
export class RaiseDeferredError extends SlipwayError {
  constructor(
    message: string,
    readonly requestId: number,
    readonly retryAfter: Date,
    options?: { cause?: unknown },
  ) {
    super(message, 503, options);
    this.name = "RaiseDeferredError";
  }
}

/** HH:MM in UTC: the server's clock is the one that decides, and the viewer's time zone is not known here. */
function clockTime(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}

export function deferredMessage(id: number, environment: string, retryAfter: Date): string {
  return (
    `GitHub's rate limit stopped raising change request #${id} in ${environment}: the pull request will be opened after ` +
    `${clockTime(retryAfter)}; nothing was lost. Slipway resumes it on its first refresh after that time, or raise the ` +
    "same plan again then."
  );
}

/** Labels every pull request Slipway opens carries: "slipway" and its kind ("upgrade", "rollback"). */
export function pullRequestLabels(kind: ReleaseKind): string[] {
  return ["slipway", kind];
}

type RaiseDeps = ReleaseDeps & { db: PrismaClient; pullRequests?: PullRequestHosting };

/**
 * Raises a planned upgrade as one change: a branch with one commit and, on plain git, a change request stored here
 * for a gatekeeper to approve and merge; on GitHub, a pull request with the plan as its body, labelled, with the
 * environment's gatekeepers requested as reviewers. Raising the same plan twice (a double click, a retry after a timeout)
 * returns the first request instead of opening another: the request row is claimed by its idempotency key before
 * any git write. A failed or deferred request is picked up again by that same claim.
 */
export async function raiseUpgrade(
  deps: RaiseDeps,
  requester: Principal,
  env: EnvironmentConfig,
  input: { targets: UpgradeTarget[]; baseSha: string; purpose?: ReleasePurpose; origin?: { ip?: string; userAgent?: string } },
): Promise<{ id: number; reused: boolean }> {
  const { plan, changes, membership } = await planUpgrade(deps, env, input.targets, input.purpose);
  // A rollback that removes or brings back services: not the same request as one that only changes the versions.
  const moved = [...membership.removed.map((r) => `remove ${r.service}`), ...membership.restored.map((r) => `restore ${r.service} ${r.version}`)].sort();
  if (plan.baseSha !== input.baseSha) {
    throw new PlanOutdatedError(
      `${env.branch} in ${env.name} has moved since the plan was made (${input.baseSha.slice(0, 8)} → ${plan.baseSha.slice(0, 8)}). Review the changes again.`,
    );
  }
  // An upgrade's key is unchanged from before rollbacks existed; other kinds add theirs, so a rollback is never
  // mistaken for an upgrade to the same versions.
  const key = createHash("sha256")
    .update(
      JSON.stringify([
        env.name,
        plan.baseSha,
        plan.items.map((i) => [i.service, i.to]).sort(),
        ...(plan.kind === "upgrade" ? [] : [plan.kind]),
        ...(plan.mergeOf ? [`merge ${plan.mergeOf}`] : []),
        ...(moved.length > 0 ? [moved] : []),
      ]),
    )
    .digest("hex");
  const attribution = describeRequester(requester);
  const body = `${plan.body}\n\n---\n${attribution.bodyLine}`;
  const pullRequests = deps.pullRequests?.pullRequestsFor(env.repo);

  let claimed: { id: number; retried: boolean; body: string; commitMessage?: string };
  try {
    const created = await deps.db.releaseRequest.create({
      data: {
        kind: plan.kind,
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
        ...(plan.mergeOf ? { mergeOf: plan.mergeOf } : {}),
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
    claimed = { id: created.id, retried: false, body };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await deps.db.releaseRequest.findUniqueOrThrow({ where: { idempotencyKey: key } });
    const claim = await reclaim(deps.db, existing, deps.now?.() ?? new Date());
    if (claim === "waiting") {
      throw new RaiseDeferredError(deferredMessage(existing.id, env.name, existing.retryAfter!), existing.id, existing.retryAfter!);
    }
    if (claim === "taken") return { id: existing.id, reused: true };
    // The request as first raised: its body names its requester, whoever retries it.
    claimed = { id: existing.id, retried: true, body: existing.body, commitMessage: existing.commitMessage ?? undefined };
  }

  return carryOut(deps, env, {
    ...claimed,
    kind: plan.kind,
    title: plan.title,
    baseSha: plan.baseSha,
    branch: plan.branch,
    message: claimed.commitMessage ?? withCoAuthor(`${plan.title}\n\nRaised through Slipway as change request #${claimed.id}.\n`, attribution),
    changes: async () => changes,
    ...(plan.mergeOf ? { mergeOf: plan.mergeOf } : {}),
    items: plan.items.map((i) => ({ service: i.service, from: i.from, to: i.to })),
    ...(moved.length > 0 ? { membership } : {}),
    actor: requester,
    origin: input.origin,
  });
}

/**
 * Takes over a request whose first attempt did not finish, so only one caller carries on: a failed one at once, a
 * deferred one once GitHub's time has passed ("waiting" before). The state-guarded update is the lock: of two
 * concurrent retries, one moves the row to "raising", the other finds nothing to update ("taken").
 */
async function reclaim(
  db: PrismaClient,
  existing: { id: number; state: string; retryAfter: Date | null },
  now: Date,
): Promise<"claimed" | "waiting" | "taken"> {
  if (existing.state === "deferred" && existing.retryAfter && existing.retryAfter > now) return "waiting";
  if (existing.state !== "failed" && existing.state !== "deferred") return "taken";
  const { count } = await db.releaseRequest.updateMany({
    where: { id: existing.id, state: existing.state, ...(existing.state === "deferred" ? { retryAfter: { lte: now } } : {}) },
    data: { state: "raising", error: null, retryAfter: null },
  });
  return count === 1 ? "claimed" : "taken";
}

/** One claimed request's git and GitHub work. */
interface RaiseWork {
  id: number;
  /** A retry of an attempt that failed or was deferred after claiming: its branch, even its pull request, may exist. */
  retried: boolean;
  kind: ReleaseKind;
  title: string;
  body: string;
  baseSha: string;
  branch: string;
  message: string;
  /** The files to commit, computed only when the branch has to be created. */
  changes: () => Promise<FileChange[]>;
  /** The commit is a merge of this one (a snapshot's tag) into the base, with no files of its own. */
  mergeOf?: string;
  items: { service: string; from: string; to: string }[];
  /** A rollback's services removed and brought back, for the audit trail (the release items hold versions only). */
  membership?: PlannedMembership;
  actor: Pick<Principal, "username" | "source">;
  origin?: { ip?: string; userAgent?: string };
}

async function carryOut(deps: RaiseDeps, env: EnvironmentConfig, work: RaiseWork): Promise<{ id: number; reused: boolean }> {
  const { id } = work;
  const pullRequests = deps.pullRequests?.pullRequestsFor(env.repo);
  let pullRequest: { number: number; url: string; warnings: string[] } | undefined;
  let branch = work.branch;
  try {
    let headSha: string;
    if (!pullRequests) {
      ({ sha: headSha, branch } = await createLocalBranch(deps, env, {
        id,
        baseSha: work.baseSha,
        branch: work.branch,
        message: work.message,
        changes: await work.changes(),
        mergeOf: work.mergeOf,
      }));
    } else {
      const adopt = (open: { number: number; url: string }) => ({
        number: open.number,
        url: open.url,
        warnings: [`adopted pull request #${open.number}, already open from ${work.branch}`],
      });
      // A retry reuses the branch its first attempt created rather than writing the same commit again.
      let existingHead = work.retried ? await branchHeadIfAny(deps.git, env.repo, work.branch) : undefined;
      if (!existingHead) {
        const files = await work.changes();
        try {
          existingHead = (
            await deps.git.createBranchWithCommit(env.repo, {
              baseSha: work.baseSha,
              branch: work.branch,
              message: work.message,
              author: SLIPWAY_COMMITTER,
              files,
              ...(work.mergeOf ? { mergeOf: work.mergeOf } : {}),
            })
          ).sha;
        } catch (error) {
          if (rateLimitRetryAt(error)) throw error;
          // The branch is there already: raised before (the same versions on an earlier base), or by our own first attempt.
          const open = await pullRequests.findOpenPullRequest(env.repo, work.branch).catch(() => undefined);
          if (!open) throw error;
          const owner = await deps.db.releaseRequest.findFirst({ where: { provider: "github", repo: env.repo, number: open.number, id: { not: id } } });
          if (owner && !work.retried) {
            // Another request already stands for this pull request: that one is the answer, this claim goes away.
            await deps.db.releaseRequest.delete({ where: { id } });
            return { id: owner.id, reused: true };
          }
          pullRequest = adopt(open);
          existingHead = (await deps.git.branchHead(env.repo, work.branch)).sha;
        }
      } else {
        // The first attempt may have opened the pull request even if its answer never arrived.
        const open = await pullRequests.findOpenPullRequest(env.repo, work.branch);
        if (open) pullRequest = adopt(open);
      }
      headSha = existingHead;
      if (!pullRequest) {
        const reviewers = reviewersFor(deps.config.access, env);
        const opened = await pullRequests.openPullRequest({
          repo: env.repo,
          head: work.branch,
          base: env.branch,
          title: work.title,
          body: work.body,
          labels: pullRequestLabels(work.kind),
          reviewers: { users: reviewers.users, teams: reviewers.teams },
        });
        pullRequest = { number: opened.number, url: opened.url, warnings: [...reviewers.warnings, ...opened.warnings] };
      }
    }
    await deps.db.releaseRequest.update({
      where: { id },
      data: {
        state: "open",
        headSha,
        branch,
        error: null,
        retryAfter: null,
        commitMessage: null,
        ...(pullRequest ? { number: pullRequest.number, url: pullRequest.url } : {}),
      },
    });
  } catch (error) {
    const retryAfter = pullRequests ? rateLimitRetryAt(error) : undefined;
    if (retryAfter) {
      await deps.db.releaseRequest.update({
        where: { id },
        data: { state: "deferred", retryAfter, commitMessage: work.message, error: errorMessage(error) },
      });
      throw new RaiseDeferredError(deferredMessage(id, env.name, retryAfter), id, retryAfter, { cause: error });
    }
    await deps.db.releaseRequest.update({ where: { id }, data: { state: "failed", error: errorMessage(error) } });
    throw error;
  }
  await recordAuditEvent(deps.db, {
    actor: work.actor,
    action: "release.raised",
    environment: env.name,
    target: `#${id}`,
    detail: {
      items: work.items,
      ...(work.membership ? { removed: work.membership.removed, restored: work.membership.restored } : {}),
      branch,
      ...(pullRequest ? { pullRequest: { number: pullRequest.number, url: pullRequest.url }, warnings: pullRequest.warnings } : {}),
    },
    origin: work.origin,
  });
  await recordReleaseEvent(deps, { type: "raised", requestId: id });
  return { id, reused: false };
}

/** The branch's head, or undefined when it is not there; a rate limit is not "not there" and is passed on. */
async function branchHeadIfAny(git: GitProvider, repo: string, branch: string): Promise<string | undefined> {
  try {
    return (await git.branchHead(repo, branch)).sha;
  } catch (error) {
    if (rateLimitRetryAt(error)) throw error;
    return undefined;
  }
}

export interface ResumeDeferredResult {
  resumed: { id: number; number?: number }[];
  /** Requests deferred again, or failed now; each keeps its reason on the row. */
  failures: { id: number; error: string }[];
}

/**
 * Resumes the deferred raises whose time has come, each exactly once however many callers try (the same claim as
 * raiseUpgrade's). The request is re-planned only when its branch has to be created; if the environment branch moved
 * in the meantime the plan is stale and the request fails, saying so, instead of committing onto another base.
 */
export async function resumeDeferredRaises(deps: RaiseDeps): Promise<ResumeDeferredResult> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db.releaseRequest.findMany({
    where: { state: "deferred", retryAfter: { lte: now } },
    include: { items: { orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });
  const result: ResumeDeferredResult = { resumed: [], failures: [] };
  for (const row of due) {
    const env = deps.config.environments.find((e) => e.name === row.environment);
    if (!env) {
      const error = `environment ${row.environment} is no longer in slipway.yaml, so change request #${row.id} cannot be raised`;
      await deps.db.releaseRequest.updateMany({ where: { id: row.id, state: "deferred" }, data: { state: "failed", error, retryAfter: null } });
      result.failures.push({ id: row.id, error });
      continue;
    }
    if ((await reclaim(deps.db, row, now)) !== "claimed") continue;
    const targets = row.items.map((item) => ({ service: item.service, version: item.toVersion }));
    const kind: ReleaseKind = row.kind === "rollback" || row.kind === "promotion" ? row.kind : "upgrade";
    // The files and the branch name depend on the kind and the versions only; the title and body are the row's.
    const purpose: ReleasePurpose =
      kind === "rollback" ? { kind, to: { sha: "", subject: "" } } : kind === "promotion" ? { kind, from: { environment: "", sha: "" } } : { kind };
    try {
      await carryOut(deps, env, {
        id: row.id,
        retried: true,
        kind,
        title: row.title,
        body: row.body,
        baseSha: row.baseSha,
        branch: row.branch,
        message: row.commitMessage ?? `${row.title}\n\nRaised through Slipway as change request #${row.id}.\n`,
        // A merge of a snapshot's tag is the same merge on the same base whenever it is made: nothing to re-plan.
        ...(row.mergeOf ? { mergeOf: row.mergeOf } : {}),
        changes: async () => {
          if (row.mergeOf) return [];
          // A rollback's removed and restored services are not release items, so the row cannot re-plan them: such a
          // request (its branch names them) is planned again by a person rather than raised without them.
          const membershipLost = (branch: string) =>
            new PlanOutdatedError(`Change request #${row.id} removes or brings back services, which cannot be re-planned after a wait (${branch}): plan the rollback again and raise it.`);
          if (kind === "rollback" && targets.length === 0) throw membershipLost(row.branch);
          const { plan, changes } = await planUpgrade(deps, env, targets, purpose);
          if (kind === "rollback" && plan.baseSha === row.baseSha && plan.branch !== row.branch) throw membershipLost(row.branch);
          if (plan.baseSha !== row.baseSha || plan.branch !== row.branch) {
            throw new PlanOutdatedError(
              `${env.branch} in ${env.name} moved while change request #${row.id} waited for GitHub's rate limit ` +
                `(${row.baseSha.slice(0, 8)} → ${plan.baseSha.slice(0, 8)}): plan the upgrade again and raise it.`,
            );
          }
          return changes;
        },
        items: row.items.map((item) => ({ service: item.service, from: item.fromVersion, to: item.toVersion })),
        actor: { username: row.requester, source: row.requesterSource as Principal["source"] },
      });
      const raised = await deps.db.releaseRequest.findUniqueOrThrow({ where: { id: row.id }, select: { number: true } });
      result.resumed.push({ id: row.id, ...(raised.number !== null ? { number: raised.number } : {}) });
    } catch (error) {
      result.failures.push({ id: row.id, error: errorMessage(error) });
    }
  }
  return result;
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
  change: { id: number; baseSha: string; branch: string; message: string; changes: FileChange[]; mergeOf?: string },
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
        ...(change.mergeOf ? { mergeOf: change.mergeOf } : {}),
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
