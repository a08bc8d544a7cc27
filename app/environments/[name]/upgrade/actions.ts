"use server";

import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { authorize } from "@/lib/auth/authorize";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import { getServerClients } from "@/lib/server-clients";

const targetsSchema = z
  .array(z.object({ service: z.string().min(1).max(100), version: z.string().min(1).max(64).optional() }).strict())
  .min(1, "Choose at least one service.")
  .max(200);
const planSchema = z.object({ environment: z.string().min(1).max(100), targets: targetsSchema }).strict();
const raiseSchema = planSchema.extend({ baseSha: z.string().regex(/^[0-9a-f]{40}$/, "baseSha must be a commit id") }).strict();

/** Plans an upgrade (nothing is written). Requesters of the environment only. */
export async function planUpgradeAction(input: unknown): Promise<ActionResult<UpgradePlan>> {
  return runAction("plan-upgrade", planSchema, input, async ({ environment, targets }, origin) => {
    await authorize("release.plan", environment, origin);
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    return (await planUpgrade(deps, env, targets)).plan;
  });
}

/** Raises the planned upgrade as a change request. Requesters only; the same plan twice gives the same request. */
export async function raiseUpgradeAction(input: unknown): Promise<ActionResult<{ id: number; reused: boolean }>> {
  return runAction("raise-upgrade", raiseSchema, input, async ({ environment, targets, baseSha }, origin) => {
    const viewer = await authorize("release.raise", environment, origin);
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    return raiseUpgrade(deps, viewer.principal, env, { targets, baseSha, origin });
  });
}
