import "server-only";
import type { WorkspaceConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isGitHubRepoName } from "@/lib/git/choose-git-provider";
import { logger } from "@/lib/logger";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { recordPullRequestClosed, recordPullRequestMerged } from "@/lib/releases/sync-pull-requests";
import { type GitHubWebhookEvent, interpretGitHubDelivery } from "./github-webhook-events";
import type { GitHubDelivery } from "./read-github-delivery";
import { claimWebhookDelivery, finishWebhookDelivery, pruneWebhookDeliveries } from "./webhook-deliveries";

export interface GitHubDeliveryDeps {
  db: PrismaClient;
  /** What recording a merge needs, as the poller has it: the workspace, git (snapshot tags, reverse promotion), registries. */
  release: ReleaseDeps;
  /**
   * Refreshes the named environments. The server starts the refresh and answers GitHub without waiting (GitHub gives
   * a delivery 10 seconds); a refresh that fails is that environment's error on the dashboard, not the delivery's.
   */
  refreshEnvironments(environments: string[]): Promise<unknown> | void;
  now?: () => Date;
}

export interface GitHubDeliveryResult {
  /** 200: acted on, a ping, or already done; 202: accepted and ignored. */
  status: 200 | 202;
  message: string;
  /** The environments whose refresh this delivery asked for. */
  refreshed: string[];
}

const log = logger.child({ component: "github-webhook" });

/**
 * Acts on a delivery whose signature has been checked (lib/webhooks/read-github-delivery.ts):
 * - `pull_request` closed, for a release request Slipway raised: recorded the way the poller records it
 *   (recordPullRequestMerged: snapshot tag, reverse promotion, audit; or recordPullRequestClosed), then a merged
 *   request's environment is refreshed — its branch has just moved;
 * - `push` to the branch of configured environments: those environments, and no others, are refreshed;
 * - `ping`: answered; anything else, and any repository or pull request Slipway does not know: 202, ignored.
 *
 * A delivery that acts is claimed by its id first, so a replay or a redelivery of one that worked has no second effect;
 * the state guards of the release request make a second report of the same merge (the poller's, or a new delivery id)
 * a no-op as well. Ignored deliveries leave no trace: there is nothing to protect from their replay.
 */
export async function handleGitHubDelivery(deps: GitHubDeliveryDeps, delivery: GitHubDelivery): Promise<GitHubDeliveryResult> {
  const event = interpretGitHubDelivery(delivery);
  switch (event.kind) {
    case "ping":
      return { status: 200, message: "Slipway receives this webhook.", refreshed: [] };
    case "ignored":
      return ignored(event.reason);
    case "pull-request-closed": {
      const request = await deps.db.releaseRequest.findFirst({
        where: { provider: "github", number: event.number, repo: { equals: event.repo, mode: "insensitive" } },
        orderBy: { id: "desc" },
      });
      if (!request) return ignored(`${event.repo}#${event.number} is not a Slipway release request`);
      return claimed(deps, delivery, () => followPullRequest(deps, request, event));
    }
    case "push": {
      const environments = environmentsOnBranch(deps.release.config, event.repo, event.branch);
      if (environments.length === 0) return ignored(`no environment deploys ${event.repo} ${event.branch}`);
      return claimed(deps, delivery, async () => {
        await deps.refreshEnvironments(environments);
        return { status: 200, message: `Refreshing ${environments.join(", ")}.`, refreshed: environments };
      });
    }
  }
}

function ignored(reason: string): GitHubDeliveryResult {
  return { status: 202, message: `Ignored: ${reason}.`, refreshed: [] };
}

/** Runs `work` once per delivery id; its outcome is stored, and a failure leaves the delivery open to GitHub's redelivery. */
async function claimed(
  deps: GitHubDeliveryDeps,
  delivery: GitHubDelivery,
  work: () => Promise<GitHubDeliveryResult>,
): Promise<GitHubDeliveryResult> {
  const now = deps.now?.() ?? new Date();
  const claim = await claimWebhookDelivery(deps.db, delivery, now);
  if (!claim.claimed) {
    const state = claim.outcome === "processing" ? "is being processed" : "was already processed";
    return { status: 200, message: `Delivery ${delivery.id} ${state}; nothing was done again.`, refreshed: [] };
  }
  await pruneWebhookDeliveries(deps.db, now).catch((error: unknown) => log.warn({ err: error }, "old webhook deliveries not pruned"));
  try {
    const result = await work();
    await finishWebhookDelivery(deps.db, delivery.id, "processed");
    log.info({ delivery: delivery.id, event: delivery.event, refreshed: result.refreshed }, result.message);
    return result;
  } catch (error) {
    await finishWebhookDelivery(deps.db, delivery.id, "failed").catch(() => undefined);
    throw error;
  }
}

async function followPullRequest(
  deps: GitHubDeliveryDeps,
  request: { id: number; environment: string; state: string; headSha: string | null; number: number | null; idempotencyKey: string },
  event: Extract<GitHubWebhookEvent, { kind: "pull-request-closed" }>,
): Promise<GitHubDeliveryResult> {
  if (!event.merged) {
    const closed = await recordPullRequestClosed(deps, request);
    return { status: 200, message: closed ? `Release request #${request.id} closed.` : `Release request #${request.id} was no longer open; nothing changed.`, refreshed: [] };
  }
  const recorded = await recordPullRequestMerged({ db: deps.db, release: deps.release }, request, event);
  for (const failure of recorded.failures) log.warn({ releaseRequest: request.id, error: failure }, "after a merge GitHub reported");
  // Refreshed even when the merge was recorded before (by the poller, or Slipway's own merge): the snapshot that
  // recording followed may predate the merge commit.
  const refreshed = deps.release.config.environments.some((e) => e.name === request.environment) ? [request.environment] : [];
  if (refreshed.length > 0) await deps.refreshEnvironments(refreshed);
  const outcome = recorded.merged ? `Release request #${request.id} merged.` : `Release request #${request.id} was no longer open; it is unchanged.`;
  return { status: 200, message: refreshed.length > 0 ? `${outcome} Refreshing ${refreshed.join(", ")}.` : outcome, refreshed };
}

/** The environments a push to `repo`'s `branch` changes: GitHub repositories only, names compared as GitHub does (any case). */
function environmentsOnBranch(config: Pick<WorkspaceConfig, "environments">, repo: string, branch: string): string[] {
  return config.environments
    .filter((env) => isGitHubRepoName(env.repo) && env.repo.toLowerCase() === repo.toLowerCase() && env.branch === branch)
    .map((env) => env.name);
}
