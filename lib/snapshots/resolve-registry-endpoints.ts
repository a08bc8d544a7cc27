import type { SecretSource } from "@/lib/config/environment";
import type { WorkspaceConfig } from "@/lib/config/schema";
import { errorMessage } from "@/lib/errors";
import { hostKeys } from "@/lib/registry/network-policy";
import { resolveRegistryAuth } from "@/lib/registry/registry-client";
import type { RegistryEndpoint } from "@/lib/registry/types";

/**
 * Turns slipway.yaml's registries into endpoints with credentials from the environment. A registry whose secret is
 * missing is reported as failed and marked unavailable (never read), so only the charts it serves go without a status,
 * and they say why. Each endpoint is marked
 * configured, which is what lets it (and redirects to any configured registry's host) reach private addresses.
 */
export function resolveRegistryEndpoints(
  config: WorkspaceConfig,
  secret: SecretSource,
): { endpoints: RegistryEndpoint[]; failures: { registry: string; error: string }[] } {
  const endpoints: RegistryEndpoint[] = [];
  const failures: { registry: string; error: string }[] = [];
  const configuredHosts = [...new Set(config.registries.flatMap((registry) => hostKeys(registry.url)))];
  for (const registry of config.registries) {
    const mirrorOf = registry.mirrorOf ? { mirrorOf: registry.mirrorOf } : {};
    try {
      endpoints.push({
        name: registry.name,
        url: registry.url,
        ...mirrorOf,
        auth: resolveRegistryAuth(registry.auth, secret, registry.name),
        configured: true,
        configuredHosts,
      });
    } catch (error) {
      failures.push({ registry: registry.name, error: errorMessage(error) });
      // Kept, unread, so its charts name the real problem rather than "not among the registries in slipway.yaml".
      endpoints.push({
        name: registry.name,
        url: registry.url,
        ...mirrorOf,
        auth: { type: "none" },
        configured: true,
        configuredHosts,
        unavailable: errorMessage(error),
      });
    }
  }
  return { endpoints, failures };
}
