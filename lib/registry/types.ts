/** Chart registries as the rest of Slipway sees them: a list of published versions per chart. */

export interface ChartVersion {
  version: string;
  /** When the version was published (index.yaml `created`); unknown for OCI tags without a fetched manifest. */
  created?: Date;
  deprecated: boolean;
  digest?: string;
  appVersion?: string;
}

export type RegistryAuth =
  | { type: "none" }
  | { type: "basic"; username: string; password: string }
  | { type: "bearer"; token: string };

export interface RegistryEndpoint {
  /** Name from slipway.yaml; also what `@name` / `alias:name` dependency repositories refer to. */
  name: string;
  /** https://, http://, file:// (a folder holding index.yaml, or the index file itself) or oci://host/path. */
  url: string;
  auth: RegistryAuth;
  /** URLs this registry is a mirror of (slipway.yaml `mirrorOf`). */
  mirrorOf?: readonly string[];
  /**
   * Set on registries built from slipway.yaml. Only these may live on loopback or private addresses or be read over
   * plain http; any other endpoint is a URL only a Chart.yaml names. See network-policy.ts.
   */
  configured?: boolean;
  /** `host:port` of every registry in slipway.yaml: a configured registry's redirects and token realms may go there. */
  configuredHosts?: readonly string[];
  /** Why this configured registry is not read (a credential variable is missing): its charts say so, nothing is sent. */
  unavailable?: string;
}

/** What one fetch of a registry cost: lets the refresher and the benchmark count requests and bytes. */
export interface FetchStats {
  requests: number;
  /** Requests answered 304 Not Modified (or unchanged file mtime): no body transferred. */
  notModified: number;
  bytes: number;
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly registry: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}
