import { ValidationError } from "@/lib/errors";
import { environmentNamed } from "@/lib/releases/plan-promotion";
import { buildReleaseNotes, formatReleaseNotes } from "@/lib/releases/release-notes";
import { authorizeCli } from "./authorize-cli";
import { cliPrincipal } from "./cli-principal";
import { createCliDepsWithDiscovery } from "./create-cli-deps";

/**
 * `slipway notes --env NAME --from REF [--to REF] [--format md|json]`: the release notes of one environment between
 * two points of its history (a commit, a tag such as a snapshot, or a day YYYY-MM-DD), read from git.
 */
export async function runNotesCommand(options: { env: string; from: string; to?: string; format?: string; config?: string }): Promise<string> {
  const format = options.format ?? "md";
  if (format !== "md" && format !== "json") throw new ValidationError(`--format is md or json, not "${format.slice(0, 20)}"`);
  const deps = await createCliDepsWithDiscovery(options.config);
  const env = environmentNamed(deps.config, options.env);
  authorizeCli(cliPrincipal(), "environment.view", { type: "environment", name: env.name, environment: env }, deps.config.access);
  const notes = await buildReleaseNotes(deps, env, { from: options.from, ...(options.to ? { to: options.to } : {}) });
  return format === "json" ? JSON.stringify({ schemaVersion: 1, ...notes }, null, 2) : formatReleaseNotes(notes).trimEnd();
}
