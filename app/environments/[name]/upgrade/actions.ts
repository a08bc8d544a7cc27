"use server";

import { z } from "zod";
import { authorize } from "@/lib/auth/authorize";
import { ValidationError } from "@/lib/errors";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import { runReleaseAction } from "@/lib/releases/run-release-action";
import { readReleaseDeps } from "@/lib/snapshots/refresher";

const targetsSchema = z
  .array(z.object({ service: z.string().min(1).max(100), version: z.string().min(1).max(64).optional() }).strict())
  .min(1, "Choose at least one service.")
  .max(200);
const planSchema = z.object({ environment: z.string().min(1).max(100), targets: targetsSchema }).strict();
const raiseSchema = planSchema.extend({ baseSha: z.string().regex(/^[0-9a-f]{40}$/, "baseSha must be a commit id") }).strict();

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}

/** Plans an upgrade (nothing is written). Requesters of the environment only. */
export async function planUpgradeAction(input: unknown): Promise<ActionResult<UpgradePlan>> {
  return runReleaseAction("plan-upgrade", async () => {
    const { environment, targets } = parse(planSchema, input);
    await authorize("request", environment);
    const deps = readReleaseDeps();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    return (await planUpgrade(deps, env, targets)).plan;
  });
}

/** Raises the planned upgrade as a change request. Requesters only; the same plan twice gives the same request. */
export async function raiseUpgradeAction(input: unknown): Promise<ActionResult<{ id: number; reused: boolean }>> {
  return runReleaseAction("raise-upgrade", async (origin) => {
    const { environment, targets, baseSha } = parse(raiseSchema, input);
    const viewer = await authorize("request", environment);
    const deps = readReleaseDeps();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    return raiseUpgrade(deps, viewer.principal, env, { targets, baseSha, origin });
  });
}
