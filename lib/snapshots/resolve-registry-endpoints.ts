import type { WorkspaceConfig } from "@/lib/config/schema";
import { errorMessage } from "@/lib/errors";
import { resolveRegistryAuth } from "@/lib/registry/registry-client";
import type { RegistryEndpoint } from "@/lib/registry/types";

/**
 * Turns slipway.yaml's registries into endpoints with credentials from the environment. A registry whose secret is
 * missing is reported as failed and left out, so only the charts it serves go without a status.
 */
export function resolveRegistryEndpoints(
  config: WorkspaceConfig,
  env: NodeJS.ProcessEnv,
): { endpoints: RegistryEndpoint[]; failures: { registry: string; error: string }[] } {
  const endpoints: RegistryEndpoint[] = [];
  const failures: { registry: string; error: string }[] = [];
  for (const registry of config.registries) {
    try {
      endpoints.push({ name: registry.name, url: registry.url, auth: resolveRegistryAuth(registry.auth, env) });
    } catch (error) {
      failures.push({ registry: registry.name, error: errorMessage(error) });
    }
  }
  return { endpoints, failures };
}
