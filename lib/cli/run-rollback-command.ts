import { NotFoundError } from "@/lib/errors";
import { withDatabase } from "@/lib/db";
import { type RollbackPreview, planRollback } from "@/lib/releases/plan-rollback";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";
import { createCliDeps } from "./create-cli-deps";
import { formatPlan } from "./run-upgrade-command";

/**
 * `slipway rollback --env NAME --to SHA|TAG [--services a,b] [--dry-run]`: the same preview, plan and change request
 * as the rollback page. Requesters only; like `upgrade`, raising needs the database.
 */
export async function runRollbackCommand(options: {
  env: string;
  to: string;
  services?: string[];
  dryRun?: boolean;
  config?: string;
}): Promise<string> {
  const deps = createCliDeps(options.config);
  const env = deps.config.environments.find((e) => e.name === options.env);
  if (!env) throw new NotFoundError(`unknown environment "${options.env}"; known: ${deps.config.environments.map((e) => e.name).join(", ")}`);
  const principal = cliPrincipal();
  authorizeCli(principal, options.dryRun ? "release.plan" : "release.raise", { type: "environment", name: env.name, environment: env }, deps.config.access);
  const { plan, preview } = await planRollback(deps, env, { to: options.to, services: options.services });
  const text = `${formatPreview(preview)}\n${formatPlan(plan)}`;
  if (options.dryRun) return `${text}\n(dry run: nothing was raised)`;

  const lockedAdvice =
    `Stop the app first (Ctrl-C in its terminal, or \`kill PID\`) and run this again, or raise the rollback from the ` +
    `environment's history in the app. To use the CLI while the app runs, set DATABASE_URL to a PostgreSQL database that both use.`;
  return withDatabase({ command: `slipway rollback --env ${env.name}`, lockedAdvice }, async (db) => {
    const targets = plan.items.map((item) => ({ service: item.service, version: item.to }));
    const purpose = { kind: "rollback" as const, to: { sha: preview.to.sha, subject: preview.to.subject } };
    const { id, reused } = await raiseUpgrade({ ...deps, db }, principal, env, { targets, baseSha: plan.baseSha, purpose });
    const request = await db.releaseRequest.findUniqueOrThrow({ where: { id } });
    return `${text}\n${reused ? "Already raised" : "Raised"} rollback #${id}: ${request.url ?? `/releases/${id} in Slipway`}`;
  });
}

/** What the rollback leaves alone, said before the plan: nothing is dropped silently. */
function formatPreview(preview: RollbackPreview): string {
  const out = [`Rolling ${preview.environment} back to ${preview.to.sha.slice(0, 10)} (${preview.to.subject}, ${preview.to.date.slice(0, 10)})`];
  if (preview.changes.length > 1) out.push(`warning: ${preview.changes.length} services differ from that state; --services picks some`);
  for (const s of preview.addedSince) out.push(`stays: ${s.service} ${s.version} was added since`);
  for (const s of preview.removedSince) out.push(`stays removed: ${s.service} (ran ${s.version} then)`);
  for (const u of preview.unresolved) out.push(`not rolled back: ${u.service}: ${u.reason}`);
  return out.join("\n");
}
