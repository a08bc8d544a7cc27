import { allows } from "@/lib/auth/policy";
import { ForbiddenError } from "@/lib/errors";
import { findWhereRunning } from "@/lib/releases/where-running";
import { cliPrincipal, cliUserHint } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";

/**
 * `slipway where KEY|SHA [--json]`: for a Jira key or a commit, whether each environment the user may see runs a
 * version that contains it, read live from the stacks and service repositories (no database), as the app's search.
 */
export async function runWhereCommand(options: { query: string; json?: boolean; config?: string }): Promise<string> {
  const deps = await createCliDepsWithDiscovery(options.config);
  const principal = cliPrincipal();
  const visible = deps.config.environments.filter((env) =>
    allows(principal, "environment.view", { type: "environment", name: env.name, environment: env }, deps.config.access),
  );
  if (visible.length === 0) throw new ForbiddenError(`${principal.username} may not view any environment. ${cliUserHint()}`);
  const answer = await findWhereRunning(deps, visible, options.query);
  if (options.json) return JSON.stringify({ schemaVersion: 1, ...answer }, null, 2);

  const out: string[] = [];
  for (const problem of answer.problems) out.push(`warning: ${problem.service} could not be searched: ${problem.error}`);
  if (answer.services.length === 0) out.push(`No service repository has a released commit ${answer.kind === "ticket" ? "naming" : "with id"} ${answer.query}.`);
  for (const service of answer.services) {
    out.push(`${service.service}: ${service.since ? `released in ${service.since}` : "in no release yet"} (${service.commits.length} commit(s))`);
    for (const cell of service.environments) {
      const reason = cell.reason ? ` (${cell.reason})` : "";
      out.push(`  ${cell.environment.padEnd(24)} ${(cell.running ?? "?").padEnd(14)} ${cell.contains}${reason}`);
    }
  }
  return out.join("\n");
}
