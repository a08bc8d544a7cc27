import { NotFoundError } from "@/lib/errors";
import { withDatabase } from "@/lib/db";
import { type RollbackPreview, chooseRollback, planRollback } from "@/lib/releases/plan-rollback";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";
import { formatPlan } from "./run-upgrade-command";

/**
 * `slipway rollback --env NAME --to SHA|TAG [--services a,b] [--remove c] [--restore d] [--dry-run]`: the same
 * preview, plan and change request as the rollback page. `--remove` takes out services added since that commit,
 * `--restore` brings back services removed since; neither happens unless named. Requesters only; like `upgrade`,
 * raising needs the database.
 */
export async function runRollbackCommand(options: {
  env: string;
  to: string;
  services?: string[];
  remove?: string[];
  restore?: string[];
  dryRun?: boolean;
  config?: string;
}): Promise<string> {
  const deps = await createCliDepsWithDiscovery(options.config);
  const env = deps.config.environments.find((e) => e.name === options.env);
  if (!env) throw new NotFoundError(`unknown environment "${options.env}"; known: ${deps.config.environments.map((e) => e.name).join(", ")}`);
  const principal = cliPrincipal();
  authorizeCli(principal, options.dryRun ? "release.plan" : "release.raise", { type: "environment", name: env.name, environment: env }, deps.config.access);
  const choice = { services: options.services, remove: options.remove, restore: options.restore };
  const { plan, preview } = await planRollback(deps, env, { to: options.to, ...choice });
  const text = `${formatPreview(preview, plan.items.length, choice)}\n${formatPlan(plan)}`;
  if (options.dryRun) return `${text}\n(dry run: nothing was raised)`;

  const lockedAdvice =
    `Stop the app first (Ctrl-C in its terminal, or \`kill PID\`) and run this again, or raise the rollback from the ` +
    `environment's history in the app. To use the CLI while the app runs, set DATABASE_URL to a PostgreSQL database that both use.`;
  return withDatabase({ command: `slipway rollback --env ${env.name}`, lockedAdvice }, async (db) => {
    const { targets, purpose } = chooseRollback(preview, choice);
    const { id, reused } = await raiseUpgrade({ ...deps, db }, principal, env, { targets, baseSha: plan.baseSha, purpose });
    const request = await db.releaseRequest.findUniqueOrThrow({ where: { id } });
    return `${text}\n${reused ? "Already raised" : "Raised"} rollback #${id}: ${request.url ?? `/releases/${id} in Slipway`}`;
  });
}

/** What the rollback removes, brings back and leaves alone, said before the plan: nothing is dropped silently. */
function formatPreview(preview: RollbackPreview, versionChanges: number, choice: { remove?: string[]; restore?: string[] }): string {
  const remove = new Set(choice.remove ?? []);
  const restore = new Set(choice.restore ?? []);
  const out = [`Rolling ${preview.environment} back to ${preview.to.sha.slice(0, 10)} (${preview.to.subject}, ${preview.to.date.slice(0, 10)})`];
  const moving = versionChanges + remove.size + restore.size;
  if (moving > 1) out.push(`warning: ${moving} services move at once; --services, --remove and --restore pick them`);
  for (const s of preview.addedSince) {
    out.push(remove.has(s.service) ? `removes: ${s.service} ${s.version} (added since)` : `stays: ${s.service} ${s.version} was added since (--remove ${s.service} takes it out)`);
  }
  for (const s of preview.removedSince) {
    if (restore.has(s.service)) out.push(`brings back: ${s.service} ${s.version} (removed since)`);
    else if (s.unavailable) out.push(`stays removed: ${s.service} (ran ${s.version} then; it cannot be brought back: ${s.unavailable})`);
    else out.push(`stays removed: ${s.service} (ran ${s.version} then; --restore ${s.service} brings it back)`);
  }
  for (const u of preview.unresolved) out.push(`not rolled back: ${u.service}: ${u.reason}`);
  return out.join("\n");
}
