import "server-only";
import { fetchHelmIndex, type HelmIndexCache } from "./helm-repository";
import { createOciAuthCache, listOciChartVersions } from "./oci-registry";
import { sortChartVersions } from "./sort-chart-versions";
import { RegistryError, type ChartVersion, type FetchStats, type RegistryEndpoint } from "./types";

export { resolveRegistryAuth, type RegistryAuthConfig } from "./resolve-registry-auth";

export interface RegistryClientOptions {
  /** Folder holding slipway.yaml: relative file:// registries are resolved against it. */
  baseDir: string;
  /** Largest index.yaml accepted; default 64 MiB. */
  maxIndexBytes?: number;
  /** Per request (a whole index download counts as one); default 30 s. */
  timeoutMs?: number;
}

export interface RegistryClient {
  /**
   * The versions a registry publishes for a chart, newest first; undefined when the registry answers but does
   * not have the chart. Throws RegistryError when the registry cannot be read.
   */
  listChartVersions(endpoint: RegistryEndpoint, chart: string, stats: FetchStats): Promise<ChartVersion[] | undefined>;
  /** A Helm repository's whole index (chart → versions in index order). Not for OCI registries. */
  loadIndex(endpoint: RegistryEndpoint, stats: FetchStats): Promise<Map<string, ChartVersion[]>>;
}

/**
 * One client per workspace, kept for the life of the process: it holds the parsed indexes with their
 * validators (so a refresh of unchanged registries costs 304s) and OCI tokens. Concurrent requests for the same
 * index or tag list share one download: a refresh asks once per chart, often for 80 charts of one registry.
 * Sequential requests are not memoised: each makes a conditional request, cheap when nothing changed.
 */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const indexCache: HelmIndexCache = new Map();
  const authCache = createOciAuthCache();
  const indexesInFlight = new Map<string, Promise<Map<string, ChartVersion[]>>>();
  const tagListsInFlight = new Map<string, Promise<ChartVersion[] | undefined>>();

  function loadIndex(endpoint: RegistryEndpoint, stats: FetchStats): Promise<Map<string, ChartVersion[]>> {
    if (isOci(endpoint)) {
      return Promise.reject(
        new RegistryError(`registry ${endpoint.name} is an OCI registry: it has no index.yaml`, endpoint.name),
      );
    }
    return shareInFlight(indexesInFlight, requestKey(endpoint), () =>
      fetchHelmIndex(endpoint, {
        baseDir: options.baseDir,
        stats,
        cache: indexCache,
        maxBytes: options.maxIndexBytes,
        timeoutMs: options.timeoutMs,
      }),
    );
  }

  async function listChartVersions(
    endpoint: RegistryEndpoint,
    chart: string,
    stats: FetchStats,
  ): Promise<ChartVersion[] | undefined> {
    if (isOci(endpoint)) {
      const versions = await shareInFlight(tagListsInFlight, `${requestKey(endpoint)}\n${chart}`, () =>
        listOciChartVersions(endpoint, chart, { stats, authCache, timeoutMs: options.timeoutMs }),
      );
      // Callers sharing one download must not share one array.
      return versions && [...versions];
    }
    const versions = (await loadIndex(endpoint, stats)).get(chart);
    return versions && sortChartVersions(versions);
  }

  return { listChartVersions, loadIndex };
}

function isOci(endpoint: RegistryEndpoint): boolean {
  return endpoint.url.startsWith("oci://");
}

// Two endpoints may share a URL with different credentials or trust; they must not share a download.
function requestKey(endpoint: RegistryEndpoint): string {
  const { auth } = endpoint;
  const identity = auth.type === "basic" ? `basic:${auth.username}` : auth.type;
  return `${endpoint.url}\n${endpoint.name}\n${identity}\n${endpoint.configured === true ? "configured" : "unknown"}`;
}

function shareInFlight<T>(inFlight: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running;
  const promise = start().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}
