import { decide } from "@/lib/auth/policy";
import { SLIPWAY_SYSTEM } from "@/lib/auth/principal";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { errorMessage } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { PullRequestHosting } from "@/lib/git/choose-git-provider";
import type { LocalGitProvider } from "@/lib/git/local/local-git-provider";
import { type AutoMergeOutcome, mergeWhenChecksPass, saveStatus } from "./auto-merge-pull-request";
import { mergeReleaseRequest } from "./decide-release-request";
import type { ReleaseDeps } from "./plan-upgrade";
import { raiseUpgrade } from "./raise-upgrade";

/** How far a version may move by itself, per `autoUpgrade.level`. */
const STEPS: Record<"patch" | "minor" | "major", ReadonlySet<string>> = {
  patch: new Set(["patch", "prerelease"]),
  minor: new Set(["patch", "prerelease", "minor"]),
  major: new Set(["patch", "prerelease", "minor", "major"]),
};
/** A request of Slipway's in one of these states is still on its way: no second one is raised beside it. */
const PENDING = ["raising", "deferred", "open", "merging"];

export interface AutoUpgradeOutcome {
  environment: string;
  /** The request raised (or found raised), with its services, and whether Slipway merged it. */
  raised?: { id: number; services: string[]; merged: boolean };
  /** With autoMerge on GitHub: where each of Slipway's open pull requests there stands after this refresh. */
  autoMerged?: AutoMergeOutcome[];
  /** Why nothing was raised, when something could have been. */
  skipped?: string;
  error?: string;
}

/** One service the snapshot says could move: what runs, what is published, how far apart. */
export interface UpgradeCandidateRow {
  service: string;
  running: string | null;
  latest: string | null;
  status: string;
  step: string;
}

/** The services of one environment its autoUpgrade setting lets move now, with the version each moves to. */
export function chooseAutoUpgrades(env: Pick<EnvironmentConfig, "autoUpgrade">, rows: readonly UpgradeCandidateRow[]): { service: string; version: string }[] {
  const auto = env.autoUpgrade;
  if (!auto) return [];
  const inScope = (service: string) => auto.services === "all" || auto.services.includes(service);
  return rows
    .filter((row) => inScope(row.service) && (row.status === "behind" || row.status === "far-behind"))
    .filter((row) => row.running !== null && row.latest !== null && STEPS[auto.level].has(row.step))
    .map((row) => ({ service: row.service, version: row.latest! }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

/**
 * The "deploy new releases to dev" step: for every environment that sets autoUpgrade, after a refresh, the services
 * that fell behind within the allowed step go up to the latest in one grouped request raised by Slipway itself
 * (SLIPWAY_SYSTEM, so the history and audit trail say who), never beside another of its requests still on its way
 * there, and never twice for one plan (the raise's idempotency). With autoMerge, Slipway merges it on plain git at
 * once; a GitHub pull request is merged on a later refresh, once its checks pass (auto-merge-pull-request.ts), and the
 * next upgrade is raised on the refresh after that. The policy is asked at every step.
 */
export async function runAutoUpgrades(
  deps: ReleaseDeps & { db: PrismaClient; git: LocalGitProvider; pullRequests?: PullRequestHosting },
): Promise<AutoUpgradeOutcome[]> {
  const outcomes: AutoUpgradeOutcome[] = [];
  for (const env of deps.config.environments.filter((e) => e.autoUpgrade)) {
    try {
      outcomes.push(await autoUpgradeOne(deps, env));
    } catch (error) {
      outcomes.push({ environment: env.name, error: errorMessage(error) });
    }
  }
  return outcomes;
}

async function autoUpgradeOne(
  deps: ReleaseDeps & { db: PrismaClient; git: LocalGitProvider; pullRequests?: PullRequestHosting },
  env: EnvironmentConfig,
): Promise<AutoUpgradeOutcome> {
  const pullRequests = deps.pullRequests?.pullRequestsFor(env.repo);
  let autoMerged: AutoMergeOutcome[] | undefined;
  if (env.autoMerge && pullRequests) {
    const open = await deps.db.releaseRequest.findMany({
      where: { environment: env.name, requesterSource: "system", provider: "github", state: "open", number: { not: null } },
      orderBy: { id: "asc" },
    });
    autoMerged = [];
    for (const request of open) autoMerged.push(await mergeWhenChecksPass(deps, env, pullRequests, request));
    // One step per refresh: the snapshot rows predate this merge, so the next upgrade waits for the next refresh.
    if (autoMerged.some((outcome) => outcome.state === "merged")) return { environment: env.name, autoMerged };
    if (autoMerged.length === 0) autoMerged = undefined;
  }

  const pending = await deps.db.releaseRequest.findFirst({
    where: { environment: env.name, requesterSource: "system", state: { in: PENDING } },
    select: { id: true },
  });
  if (pending) return { environment: env.name, skipped: `Slipway's request #${pending.id} is still open there`, ...(autoMerged ? { autoMerged } : {}) };

  const rows = await deps.db.serviceSnapshot.findMany({ where: { environment: env.name } });
  const targets = chooseAutoUpgrades(env, rows);
  if (targets.length === 0) return { environment: env.name };

  const decision = decide(SLIPWAY_SYSTEM, "release.raise", { type: "environment", name: env.name, environment: env }, deps.config.access);
  if (!decision.allowed) return { environment: env.name, skipped: decision.reason };
  const head = await deps.git.branchHead(env.repo, env.branch);
  const { id, reused } = await raiseUpgrade(deps, SLIPWAY_SYSTEM, env, { targets, baseSha: head.sha });
  let merged = false;
  if (!reused && env.autoMerge && !pullRequests) {
    await mergeReleaseRequest(deps, SLIPWAY_SYSTEM, id);
    merged = true;
  } else if (!reused && env.autoMerge) {
    // Not judged now: CI has not even registered its checks on a pull request opened a moment ago.
    const request = await deps.db.releaseRequest.findUniqueOrThrow({ where: { id } });
    await saveStatus(deps.db, request, "waiting", "raised: Slipway merges it once its checks pass, checked at each refresh");
  }
  return { environment: env.name, raised: { id, services: targets.map((t) => t.service), merged } };
}
