import path from "node:path";
import { type AppClients, createAppClients } from "@/lib/app-clients";
import { discoverEnvironmentsLive } from "@/lib/config/discover-environments";
import { scopeRegistryClient } from "@/lib/registry/scope-registry-client";

/**
 * What a CLI command reads with: the app's clients (lib/app-clients.ts), built the way the server builds them, with
 * the registry client scoped to this one command (each index read at most once).
 */
export function createCliDeps(configPath?: string): AppClients {
  const clients = createAppClients(configPath ? { configPath: path.resolve(configPath) } : {});
  return { ...clients, registries: scopeRegistryClient(clients.registries) };
}

/**
 * The same, with the environments slipway.yaml's `discover:` entries find. Commands read stacks live, so the release
 * files are read live too (and the embedded database may be held by the app): what could not be read or was skipped
 * goes to stderr, and the command goes on with the rest.
 */
export async function createCliDepsWithDiscovery(
  configPath?: string,
  warn: (message: string) => void = (message) => process.stderr.write(`slipway: ${message}\n`),
): Promise<AppClients> {
  const deps = createCliDeps(configPath);
  if (deps.config.discover.length > 0) {
    for (const problem of await discoverEnvironmentsLive(deps)) warn(problem);
  }
  return deps;
}
