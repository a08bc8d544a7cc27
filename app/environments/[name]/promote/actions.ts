"use server";

import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { authorize } from "@/lib/auth/authorize";
import { ValidationError } from "@/lib/errors";
import { environmentNamed, planPromotion, previewPromotion, promotionPurpose } from "@/lib/releases/plan-promotion";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import { getServerClients } from "@/lib/server-clients";

const planSchema = z
  .object({
    environment: z.string().min(1).max(100),
    from: z.string().min(1).max(100),
    /** A snapshot (tag) of `from` to promote instead of its live state. */
    snapshot: z.string().min(1).max(200).optional(),
    services: z.array(z.string().min(1).max(100)).min(1, "Choose at least one service to promote.").max(200),
    /** "versions": a version edit even where the snapshot's tag could be merged. */
    mode: z.enum(["auto", "versions"]).optional(),
  })
  .strict();
const raiseSchema = planSchema.extend({ baseSha: z.string().regex(/^[0-9a-f]{40}$/, "baseSha must be a commit id") }).strict();

/**
 * The source must be visible to whoever promotes from it, and the target open to their requests: both are checked by
 * the one policy, the source as a view.
 */
async function authorizePromotion(action: "release.plan" | "release.raise", environment: string, from: string, origin: { ip?: string; userAgent?: string }) {
  await authorize("environment.view", from, origin);
  return authorize(action, environment, origin);
}

/** Plans the promotion of the chosen services' versions from `from` onto `environment` (nothing is written). */
export async function planPromotionAction(input: unknown): Promise<ActionResult<UpgradePlan>> {
  return runAction("plan-promotion", planSchema, input, async ({ environment, from, snapshot, services, mode }, origin) => {
    await authorizePromotion("release.plan", environment, from, origin);
    const deps = getServerClients();
    return (await planPromotion(deps, environmentNamed(deps.config, from), environmentNamed(deps.config, environment), services, snapshot, mode)).plan;
  });
}

/** Raises the planned promotion as a change request labelled "promotion" on the target. */
export async function raisePromotionAction(input: unknown): Promise<ActionResult<{ id: number; reused: boolean }>> {
  return runAction("raise-promotion", raiseSchema, input, async ({ environment, from, snapshot, services, baseSha, mode }, origin) => {
    const viewer = await authorizePromotion("release.raise", environment, from, origin);
    const deps = getServerClients();
    const source = environmentNamed(deps.config, from);
    const target = environmentNamed(deps.config, environment);
    const preview = await previewPromotion(deps, source, target, snapshot);
    const targets = services.map((service) => {
      const change = preview.changes.find((c) => c.service === service);
      if (!change) throw new ValidationError(`${service} no longer differs between ${from} and ${environment}: review it again.`);
      return { service, version: change.to };
    });
    const { purpose } = promotionPurpose(source, target, preview, services, mode);
    return raiseUpgrade(deps, viewer.principal, target, { targets, baseSha, purpose, origin });
  });
}
