import path from "node:path";
import { type AppClients, createAppClients } from "@/lib/app-clients";
import { scopeRegistryClient } from "@/lib/registry/scope-registry-client";

/**
 * What a CLI command reads with: the app's clients (lib/app-clients.ts), built the way the server builds them, with
 * the registry client scoped to this one command (each index read at most once).
 */
export function createCliDeps(configPath?: string): AppClients {
  const clients = createAppClients(configPath ? { configPath: path.resolve(configPath) } : {});
  return { ...clients, registries: scopeRegistryClient(clients.registries) };
}
