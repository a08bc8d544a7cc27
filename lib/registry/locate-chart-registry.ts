import type { RepositoryRef } from "@/lib/charts/types";
import type { RegistryPolicy } from "@/lib/config/schema";
import { redactUrl } from "./registry-http";
import type { RegistryEndpoint } from "./types";

/**
 * Where to look up a dependency's published versions. A dependency names its repository by URL or by the name it
 * was added under (`@demo`, `alias:demo`). Only registries in slipway.yaml are read: a URL that is not among them is
 * unknown, and makes no request, unless slipway.yaml opts in with `registryPolicy.followUnknownRegistries`; then it
 * is read anonymously, over https to public addresses only (the transport enforces that on every hop).
 */
export type ChartSource =
  | { kind: "registry"; endpoint: RegistryEndpoint }
  | { kind: "vendored"; reason: string }
  | { kind: "unknown"; reason: string }
  /** Configured, but not readable as configured (a credential variable is missing). */
  | { kind: "unavailable"; reason: string };

function normalizeUrl(url: string): string {
  return url.replace(/\/index\.yaml$/, "").replace(/\/+$/, "").toLowerCase();
}

/**
 * The registry in slipway.yaml that serves a copy of `url` (its `mirrorOf`), as an endpoint for that URL on the
 * mirror: a mirror of `oci://registry-1.docker.io` serves `oci://registry-1.docker.io/bitnamicharts` at
 * `<mirror url>/bitnamicharts`. The longest matching mirrorOf entry wins; the schema keeps two registries from
 * claiming the same one.
 */
function findMirror(url: string, registries: RegistryEndpoint[]): RegistryEndpoint | undefined {
  const wanted = normalizeUrl(url);
  let best: { endpoint: RegistryEndpoint; length: number } | undefined;
  for (const registry of registries) {
    for (const mirrored of registry.mirrorOf ?? []) {
      const prefix = normalizeUrl(mirrored);
      if (wanted !== prefix && !wanted.startsWith(`${prefix}/`)) continue;
      if (best && best.length >= prefix.length) continue;
      // The rest of the path keeps its case: OCI repository paths are case-sensitive.
      const rest = url.replace(/\/index\.yaml$/, "").replace(/\/+$/, "").slice(prefix.length);
      best = { endpoint: { ...registry, url: `${registry.url.replace(/\/+$/, "")}${rest}` }, length: prefix.length };
    }
  }
  return best?.endpoint;
}

export function locateChartRegistry(repository: RepositoryRef, registries: RegistryEndpoint[], policy?: RegistryPolicy): ChartSource {
  const source = locateConfigured(repository, registries, policy);
  if (source.kind === "registry" && source.endpoint.unavailable) return { kind: "unavailable", reason: source.endpoint.unavailable };
  return source;
}

function locateConfigured(repository: RepositoryRef, registries: RegistryEndpoint[], policy?: RegistryPolicy): ChartSource {
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
      const endpoint = registries.find((r) => normalizeUrl(r.url) === wanted) ?? findMirror(repository.url, registries);
      if (endpoint) return { kind: "registry", endpoint };
      const shown = redactUrl(repository.url);
      if (!policy?.followUnknownRegistries) {
        return {
          kind: "unknown",
          reason:
            `repository ${shown} is not among the registries in slipway.yaml: add it under registries (a name and this url), ` +
            `or set registryPolicy.followUnknownRegistries: true to read unlisted public https registries`,
        };
      }
      if (repository.url.toLowerCase().startsWith("http://")) {
        return {
          kind: "unknown",
          reason: `repository ${shown} is not among the registries in slipway.yaml, and unlisted registries are read over https only: add it under registries`,
        };
      }
      return { kind: "registry", endpoint: { name: shown, url: repository.url, auth: { type: "none" } } };
    }
    case "file":
      return { kind: "vendored", reason: `chart is vendored in the stack repository (${repository.path})` };
    case "none":
      return { kind: "vendored", reason: "no repository: the chart is expected under charts/" };
  }
}
