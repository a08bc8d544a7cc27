import { withDatabase } from "@/lib/db";
import { type PromotionPreview, environmentNamed, planPromotion } from "@/lib/releases/plan-promotion";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { findSnapshot } from "@/lib/releases/snapshots";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";
import { formatPlan } from "./run-upgrade-command";

/**
 * `slipway promote --from ENV --to ENV [--services a,b] [--dry-run]`: the same preview, plan and change request as
 * the promote page. Viewing the source and raising on the target are both asked of the policy.
 */
export async function runPromoteCommand(options: {
  from: string;
  to: string;
  services?: string[];
  dryRun?: boolean;
  /** A snapshot as a version edit, even where its tag could be merged. */
  editVersions?: boolean;
  config?: string;
}): Promise<string> {
  const deps = await createCliDepsWithDiscovery(options.config);
  const target = environmentNamed(deps.config, options.to);
  // --from names an environment, or one of its snapshots (a tag its snapshot pattern makes).
  const named = deps.config.environments.find((e) => e.name === options.from);
  const tagged = named ? undefined : await findSnapshot(deps.git, deps.config.environments, options.from);
  const source = named ?? tagged?.env ?? environmentNamed(deps.config, options.from);
  const principal = cliPrincipal();
  authorizeCli(principal, "environment.view", { type: "environment", name: source.name, environment: source }, deps.config.access);
  authorizeCli(principal, options.dryRun ? "release.plan" : "release.raise", { type: "environment", name: target.name, environment: target }, deps.config.access);
  const { plan, preview, purpose } = await planPromotion(deps, source, target, options.services, tagged?.snapshot.tag, options.editVersions ? "versions" : "auto");
  const text = `${formatPreview(preview, target.branch, Boolean(plan.mergeOf))}\n${formatPlan(plan)}`;
  if (options.dryRun) return `${text}\n(dry run: nothing was raised)`;

  const lockedAdvice =
    "Stop the app first (Ctrl-C in its terminal, or `kill PID`) and run this again, or raise the promotion from the " +
    `app (/environments/${encodeURIComponent(target.name)}/promote?from=${encodeURIComponent(source.name)}). To use the CLI while the app ` +
    "runs, set DATABASE_URL to a PostgreSQL database that both use.";
  return withDatabase({ command: `slipway promote --to ${target.name}`, lockedAdvice }, async (db) => {
    const targets = plan.items.map((item) => ({ service: item.service, version: item.to }));
    const { id, reused } = await raiseUpgrade({ ...deps, db }, principal, target, { targets, baseSha: plan.baseSha, purpose });
    const request = await db.releaseRequest.findUniqueOrThrow({ where: { id } });
    return `${text}\n${reused ? "Already raised" : "Raised"} promotion #${id}: ${request.url ?? `/releases/${id} in Slipway`}`;
  });
}

/** What the promotion leaves alone, said before the plan: nothing is added or dropped silently. */
function formatPreview(preview: PromotionPreview, branch: string, merge: boolean): string {
  const from = preview.from.snapshot ? `${preview.from.environment} snapshot ${preview.from.snapshot}` : preview.from.environment;
  const how = merge ? `, as a merge of ${preview.from.snapshot} into ${branch}` : preview.from.snapshot ? ", as a version edit" : "";
  const out = [`Promoting ${from} (${preview.from.sha.slice(0, 10)}) to ${preview.environment}${how}`];
  for (const s of preview.onlyInSource) out.push(`not added: ${s.service} ${s.version} runs only in ${preview.from.environment}`);
  for (const s of preview.onlyInTarget) out.push(`stays: ${s.service} ${s.version} runs only in ${preview.environment}`);
  for (const u of preview.unresolved) out.push(`not promoted: ${u.service}: ${u.reason}`);
  return out.join("\n");
}
