import { createHash } from "node:crypto";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { describeRequester, withCoAuthor } from "@/lib/auth/attribution";
import type { Principal } from "@/lib/auth/principal";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { SlipwayError, errorMessage } from "@/lib/errors";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { type ReleaseDeps, type UpgradeTarget, planUpgrade } from "./plan-upgrade";

/** The identity that commits on behalf of requesters (the requester is credited as co-author). */
export const SLIPWAY_COMMITTER = { name: "Slipway", email: "slipway@localhost" };

export class PlanOutdatedError extends SlipwayError {
  constructor(message: string) {
    super(message, 409);
    this.name = "PlanOutdatedError";
  }
}

/**
 * Raises a planned upgrade as one change: a branch with one commit and, on plain git, a change request stored here
 * for a gatekeeper to approve and merge. Raising the same plan twice (a double click, a retry after a timeout)
 * returns the first request instead of opening another: the request row is claimed by its idempotency key before
 * any git write.
 */
export async function raiseUpgrade(
  deps: ReleaseDeps & { db: PrismaClient },
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

  let id: number;
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
        provider: deps.git.kind,
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
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await deps.db.releaseRequest.findUniqueOrThrow({ where: { idempotencyKey: key } });
      return { id: existing.id, reused: true };
    }
    throw error;
  }

  try {
    const message = withCoAuthor(`${plan.title}\n\nRaised through Slipway as change request #${id}.\n`, attribution);
    const { sha } = await deps.git.createBranchWithCommit(env.repo, {
      baseSha: plan.baseSha,
      branch: plan.branch,
      message,
      author: SLIPWAY_COMMITTER,
      files: changes,
    });
    await deps.db.releaseRequest.update({ where: { id }, data: { state: "open", headSha: sha } });
  } catch (error) {
    await deps.db.releaseRequest.update({ where: { id }, data: { state: "failed", error: errorMessage(error) } });
    throw error;
  }
  await recordAuditEvent(deps.db, {
    actor: requester,
    action: "release.raised",
    environment: env.name,
    target: `#${id}`,
    detail: { items: plan.items.map((i) => ({ service: i.service, from: i.from, to: i.to })), branch: plan.branch },
    origin: input.origin,
  });
  return { id, reused: false };
}
