import { NotFoundError, ValidationError } from "@/lib/errors";
import { type UpgradeTarget, planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import type { UpgradePlan } from "@/lib/releases/release-types";
import { withDatabase } from "@/lib/db";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";

/** "orders@1.4.2" → { service: "orders", version: "1.4.2" }; "orders" → the latest. */
export function parseUpgradeTarget(text: string): UpgradeTarget {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:@(.+))?$/.exec(text);
  if (!match) throw new ValidationError(`"${text}" is not SERVICE or SERVICE@VERSION`);
  return { service: match[1]!, version: match[2] };
}

/**
 * `slipway upgrade --env NAME SERVICE[@VERSION]... [--dry-run]`: the same plan and the same change request as the
 * upgrade page. Requesters only. Without --dry-run it needs the database; the embedded one only while the app is
 * stopped (its data folder's lock refuses a second process).
 */
export async function runUpgradeCommand(options: { env: string; targets: string[]; dryRun?: boolean; config?: string }): Promise<string> {
  const deps = await createCliDepsWithDiscovery(options.config);
  const env = deps.config.environments.find((e) => e.name === options.env);
  if (!env) throw new NotFoundError(`unknown environment "${options.env}"; known: ${deps.config.environments.map((e) => e.name).join(", ")}`);
  const principal = cliPrincipal();
  authorizeCli(principal, options.dryRun ? "release.plan" : "release.raise", { type: "environment", name: env.name, environment: env }, deps.config.access);
  const targets = options.targets.map(parseUpgradeTarget);
  const { plan } = await planUpgrade(deps, env, targets);
  const text = formatPlan(plan);
  if (options.dryRun) return `${text}\n(dry run: nothing was raised)`;

  // With the embedded database this takes the data folder's lock: while the app has it open, this refuses with a
  // message naming the app's process and the way out, instead of writing into a database another process has open.
  const lockedAdvice =
    `Stop the app first (Ctrl-C in its terminal, or \`kill PID\`) and run this again, or raise the upgrade from the ` +
    `app's upgrade page (/environments/${encodeURIComponent(env.name)}/upgrade). To use the CLI while the app runs, set ` +
    "DATABASE_URL to a PostgreSQL database that both use.";
  return withDatabase({ command: `slipway upgrade --env ${env.name}`, lockedAdvice }, async (db) => {
    const { id, reused } = await raiseUpgrade({ ...deps, db }, principal, env, { targets, baseSha: plan.baseSha });
    const request = await db.releaseRequest.findUniqueOrThrow({ where: { id } });
    const where = request.url ?? `/releases/${id} in Slipway`;
    return `${text}\n${reused ? "Already raised" : "Raised"} change request #${id}: ${where}`;
  });
}

export function formatPlan(plan: UpgradePlan): string {
  const out = [plan.title, `branch ${plan.branch} from ${plan.baseSha.slice(0, 10)}`, ""];
  for (const item of plan.items) {
    out.push(`${item.service}  ${item.from} → ${item.to}${item.direction === "downgrade" ? "  (downgrade)" : ""}`);
    const verb = item.changelog.effect === "removed" ? "removes" : "brings";
    out.push(`  ${verb} ${item.changelog.commits.length} commit(s)${item.changelog.truncated ? " (truncated)" : ""}`);
    for (const ticket of item.changelog.tickets) out.push(`  ${ticket.key}${ticket.url ? ` ${ticket.url}` : ""}: ${ticket.commits[0]?.subject ?? ""}`);
    for (const commit of item.changelog.commits) out.push(`    ${commit.sha.slice(0, 7)} ${commit.subject}`);
    for (const note of item.changelog.notes) out.push(`  note: ${note}`);
  }
  for (const note of plan.notes) out.push(`note: ${note}`);
  out.push("");
  for (const file of plan.files) out.push(file.diff);
  return out.join("\n");
}
