"use server";

import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { authorize } from "@/lib/auth/authorize";
import { ValidationError } from "@/lib/errors";
import { chooseRollback, planRollback, previewRollback } from "@/lib/releases/plan-rollback";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import { getServerClients } from "@/lib/server-clients";

const serviceNames = z.array(z.string().min(1).max(100)).max(200);
const choiceFields = {
  environment: z.string().min(1).max(100),
  to: z.string().min(7).max(200),
  services: serviceNames,
  /** Services added since to take out, and services removed since to bring back: each one ticked by the person. */
  remove: serviceNames.optional(),
  restore: serviceNames.optional(),
};
const chosenSomething = (input: { services: string[]; remove?: string[]; restore?: string[] }) =>
  input.services.length + (input.remove?.length ?? 0) + (input.restore?.length ?? 0) > 0;
const nothingChosen = { message: "Choose at least one service to roll back, remove or bring back.", path: ["services"] };
const planSchema = z.object(choiceFields).strict().refine(chosenSomething, nothingChosen);
const raiseSchema = z
  .object({ ...choiceFields, baseSha: z.string().regex(/^[0-9a-f]{40}$/, "baseSha must be a commit id") })
  .strict()
  .refine(chosenSomething, nothingChosen);

/** Plans the rollback of the chosen services to the versions of commit `to` (nothing is written). Requesters only. */
export async function planRollbackAction(input: unknown): Promise<ActionResult<UpgradePlan>> {
  return runAction("plan-rollback", planSchema, input, async ({ environment, to, services, remove, restore }, origin) => {
    await authorize("release.plan", environment, origin);
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    return (await planRollback(deps, env, { to, services, remove, restore })).plan;
  });
}

/** Raises the planned rollback as a change request labelled "rollback"; the same plan twice gives the same request. */
export async function raiseRollbackAction(input: unknown): Promise<ActionResult<{ id: number; reused: boolean }>> {
  return runAction("raise-rollback", raiseSchema, input, async ({ environment, to, services, remove, restore, baseSha }, origin) => {
    const viewer = await authorize("release.raise", environment, origin);
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    const preview = await previewRollback(deps, env, to);
    const missing = services.find((service) => !preview.changes.some((c) => c.service === service));
    if (missing) throw new ValidationError(`${missing} no longer changes in this rollback (${env.branch} has moved?): review it again.`);
    const { targets, purpose } = chooseRollback(preview, { services, remove, restore });
    return raiseUpgrade(deps, viewer.principal, env, { targets, baseSha, purpose, origin });
  });
}
