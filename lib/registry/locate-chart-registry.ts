import type { RepositoryRef } from "@/lib/charts/types";
import type { RegistryEndpoint } from "./types";

/**
 * Where to look up a dependency's published versions. A dependency names its repository by URL or by the name it
 * was added under (`@demo`, `alias:demo`); configured registries supply auth, unknown public URLs are read anonymously.
 */
export type ChartSource =
  | { kind: "registry"; endpoint: RegistryEndpoint }
  | { kind: "vendored"; reason: string }
  | { kind: "unknown"; reason: string };

function normalizeUrl(url: string): string {
  return url.replace(/\/index\.yaml$/, "").replace(/\/+$/, "").toLowerCase();
}

export function locateChartRegistry(repository: RepositoryRef, registries: RegistryEndpoint[]): ChartSource {
  switch (repository.kind) {
    case "alias": {
      const endpoint = registries.find((r) => r.name === repository.name);
      return endpoint
        ? { kind: "registry", endpoint }
        : { kind: "unknown", reason: `repository "@${repository.name}" is not among the registries in slipway.yaml` };
    }
    case "http":
    case "oci": {
      const wanted = normalizeUrl(repository.url);
      const endpoint = registries.find((r) => normalizeUrl(r.url) === wanted);
      return {
        kind: "registry",
        endpoint: endpoint ?? { name: repository.url, url: repository.url, auth: { type: "none" } },
      };
    }
    case "file":
      return { kind: "vendored", reason: `chart is vendored in the stack repository (${repository.path})` };
    case "none":
      return { kind: "vendored", reason: "no repository: the chart is expected under charts/" };
  }
}
