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
