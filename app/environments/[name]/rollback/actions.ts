"use server";

import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { authorize } from "@/lib/auth/authorize";
import { ValidationError } from "@/lib/errors";
import { planRollback, previewRollback } from "@/lib/releases/plan-rollback";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { ActionResult, UpgradePlan } from "@/lib/releases/release-types";
import { getServerClients } from "@/lib/server-clients";

const planSchema = z
  .object({
    environment: z.string().min(1).max(100),
    to: z.string().min(7).max(200),
    services: z.array(z.string().min(1).max(100)).min(1, "Choose at least one service to roll back.").max(200),
  })
  .strict();
const raiseSchema = planSchema.extend({ baseSha: z.string().regex(/^[0-9a-f]{40}$/, "baseSha must be a commit id") }).strict();

/** Plans the rollback of the chosen services to the versions of commit `to` (nothing is written). Requesters only. */
export async function planRollbackAction(input: unknown): Promise<ActionResult<UpgradePlan>> {
  return runAction("plan-rollback", planSchema, input, async ({ environment, to, services }, origin) => {
    await authorize("release.plan", environment, origin);
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    return (await planRollback(deps, env, { to, services })).plan;
  });
}

/** Raises the planned rollback as a change request labelled "rollback"; the same plan twice gives the same request. */
export async function raiseRollbackAction(input: unknown): Promise<ActionResult<{ id: number; reused: boolean }>> {
  return runAction("raise-rollback", raiseSchema, input, async ({ environment, to, services, baseSha }, origin) => {
    const viewer = await authorize("release.raise", environment, origin);
    const deps = getServerClients();
    const env = deps.config.environments.find((e) => e.name === environment)!;
    const preview = await previewRollback(deps, env, to);
    const targets = services.map((service) => {
      const change = preview.changes.find((c) => c.service === service);
      if (!change) throw new ValidationError(`${service} no longer changes in this rollback (${env.branch} has moved?): review it again.`);
      return { service, version: change.to };
    });
    return raiseUpgrade(deps, viewer.principal, env, {
      targets,
      baseSha,
      purpose: { kind: "rollback", to: { sha: preview.to.sha, subject: preview.to.subject } },
      origin,
    });
  });
}
