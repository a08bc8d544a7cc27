import "server-only";
import { Counter } from "prom-client";
import { sharedMetric } from "./metrics-registry";

/** How a request to a chart registry ended, as far as its response headers (or the lack of them) tell. */
export type RegistryRequestOutcome = "ok" | "not_modified" | "redirect" | "client_error" | "server_error" | "network_error" | "timeout";

/**
 * The label for registries that are not in slipway.yaml (a URL only some Chart.yaml names, followed when
 * `registryPolicy.followUnknownRegistries` is on): one label for all of them, so that stack repositories cannot add
 * series, and their URLs stay out of the metrics.
 */
export const UNLISTED_REGISTRY = "unlisted";

export const REGISTRY_REQUESTS_METRIC = "slipway_registry_requests_total";

export function registryRequestsCounter(): Counter<"registry" | "outcome"> {
  return sharedMetric(
    REGISTRY_REQUESTS_METRIC,
    (registry) =>
      new Counter({
        name: REGISTRY_REQUESTS_METRIC,
        help: "HTTP requests sent to chart registries (each redirect hop and token request counts), by registry and outcome.",
        labelNames: ["registry", "outcome"] as const,
        registers: [registry],
      }),
  );
}

export function registryResponseOutcome(status: number): RegistryRequestOutcome {
  if (status === 304) return "not_modified";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  if (status >= 300) return "redirect";
  return "ok";
}

/** A request that got no response: the timeout's abort, or anything below HTTP (refused, DNS, TLS, reset). */
export function registryFailureOutcome(error: unknown): RegistryRequestOutcome {
  const name = error instanceof Error ? error.name : "";
  return name === "TimeoutError" || name === "AbortError" ? "timeout" : "network_error";
}

/** Counts one request; `configured` is whether the registry is in slipway.yaml (see UNLISTED_REGISTRY). */
export function countRegistryRequest(registry: { name: string; configured: boolean }, outcome: RegistryRequestOutcome): void {
  registryRequestsCounter().inc({ registry: registry.configured ? registry.name : UNLISTED_REGISTRY, outcome });
}
