import pLimit from "p-limit";
import { allows } from "@/lib/auth/policy";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { cliPrincipal, cliUserHint } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";
import { readEnvironmentStatus } from "@/lib/releases/read-environment-status";
import type { FetchStats } from "@/lib/registry/types";
import { formatStatusTable } from "./format-status-table";
import { type StatusDocument, toStatusJson } from "./status-json";

export interface StatusCommandOptions {
  env?: string[];
  json?: boolean;
  config?: string;
}

/**
 * `slipway status`: reads the stacks and registries live with the same code the refresher uses, so it needs no
 * running server or database. Returns the text to print and the exit code: 1 when an environment could not be read.
 */
export async function runStatusCommand(options: StatusCommandOptions): Promise<{ output: string; exitCode: number }> {
  const { workspace, config, git, registries, endpoints } = await createCliDepsWithDiscovery(options.config);
  const wanted = options.env?.length ? options.env : undefined;
  const unknown = wanted?.filter((name) => !config.environments.some((e) => e.name === name)) ?? [];
  if (unknown.length > 0) {
    const known = config.environments.map((e) => e.name).join(", ");
    throw new NotFoundError(`unknown environment ${unknown.map((n) => `"${n}"`).join(", ")}; known: ${known}`);
  }
  const principal = cliPrincipal();
  // The same policy as the app; the CLI reads slipway.yaml itself, so naming an environment it may not see hides nothing.
  const mayView = (env: (typeof config.environments)[number]) =>
    allows(principal, "environment.view", { type: "environment", name: env.name, environment: env }, config.access);
  const forbidden = (wanted ?? []).filter((name) => !mayView(config.environments.find((e) => e.name === name)!));
  if (forbidden.length > 0) throw new ForbiddenError(`${principal.username} may not view ${forbidden.join(", ")}. ${cliUserHint()}`);
  const environments = config.environments.filter((e) => (!wanted || wanted.includes(e.name)) && mayView(e));
  if (environments.length === 0) throw new ForbiddenError(`${principal.username} may not view any environment. ${cliUserHint()}`);

  const stats: FetchStats = { requests: 0, notModified: 0, bytes: 0 };
  const limit = pLimit(8);
  const statuses = await Promise.all(
    environments.map((env) => limit(() => readEnvironmentStatus(env, { config, git, registries, endpoints, stats }))),
  );
  const results = environments.map((env, i) => toStatusJson(env, statuses[i]!));
  const exitCode = results.some((r) => r.error) ? 1 : 0;
  if (options.json) {
    const document: StatusDocument = {
      schemaVersion: 1,
      generatedAt: new Date().toISOString(),
      config: workspace.configPath,
      environments: results,
    };
    return { output: JSON.stringify(document, null, 2), exitCode };
  }
  return { output: formatStatusTable(results), exitCode };
}
