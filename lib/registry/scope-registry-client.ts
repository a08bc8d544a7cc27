import type { RegistryClient } from "./registry-client";
import { sortChartVersions } from "./sort-chart-versions";
import type { ChartVersion, FetchStats, RegistryEndpoint } from "./types";

/**
 * A view of the registry client for one refresh: each Helm index and each OCI tag list is requested at most once
 * while it lasts, however many environments ask for however many charts. The underlying client keeps the
 * validators across refreshes, so the next refresh's single request per index is conditional (a 304 when nothing
 * changed).
 */
export function scopeRegistryClient(client: RegistryClient): RegistryClient {
  const indexes = new Map<string, Promise<Map<string, ChartVersion[]>>>();
  const tagLists = new Map<string, Promise<ChartVersion[] | undefined>>();
  // Fifty environments ask for the same chart: sort its versions once per refresh, hand each caller a copy.
  const sorted = new Map<string, Promise<ChartVersion[] | undefined>>();

  function loadIndex(endpoint: RegistryEndpoint, stats: FetchStats): Promise<Map<string, ChartVersion[]>> {
    return once(indexes, endpointKey(endpoint), () => client.loadIndex(endpoint, stats));
  }

  return {
    loadIndex,
    async listChartVersions(endpoint, chart, stats) {
      if (endpoint.url.startsWith("oci://")) {
        const versions = await once(tagLists, `${endpointKey(endpoint)}\n${chart}`, () =>
          client.listChartVersions(endpoint, chart, stats),
        );
        return versions && [...versions];
      }
      const versions = await once(sorted, `${endpointKey(endpoint)}\n${chart}`, async () => {
        const published = (await loadIndex(endpoint, stats)).get(chart);
        return published && sortChartVersions(published);
      });
      return versions && [...versions];
    },
  };
}

function endpointKey(endpoint: RegistryEndpoint): string {
  const { auth } = endpoint;
  // Trust is part of the key too: an endpoint from slipway.yaml and one only a chart names are read differently.
  return `${endpoint.url}\n${endpoint.name}\n${auth.type === "basic" ? `basic:${auth.username}` : auth.type}\n${endpoint.configured === true}`;
}

function once<T>(cache: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = start();
    cache.set(key, promise);
  }
  return promise;
}
