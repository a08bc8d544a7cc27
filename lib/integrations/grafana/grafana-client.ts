import "server-only";
import { createHash } from "node:crypto";
import { ConfigError } from "@/lib/errors";
import type { GrafanaConfig } from "./grafana-config";
import { GrafanaError, grafanaResponseError, toGrafanaError } from "./grafana-errors";

export type { GrafanaConfig } from "./grafana-config";
export { grafanaConfigSchema } from "./grafana-config";
export { GrafanaError } from "./grafana-errors";
export { dashboardUrl, annotationUrl } from "./dashboard-url";

/**
 * Grafana for Slipway: annotations on merge (one per service), found again by tag so a retried job does not annotate
 * twice. The entry point of lib/integrations/grafana; plain fetch against Grafana's HTTP API (there is no client
 * library worth the dependency), every call bounded by a timeout, every failure a GrafanaError the job layer can read.
 */

export interface GrafanaAnnotation {
  id: number;
  time: Date;
  timeEnd: Date;
  tags: string[];
  text: string;
  dashboardUID?: string;
}

export interface NewAnnotation {
  time: Date;
  timeEnd?: Date;
  tags: string[];
  text: string;
  /** Default: grafana.dashboardUID from slipway.yaml; neither makes an organization annotation. */
  dashboardUID?: string;
  panelId?: number;
}

export interface CallOptions {
  /** Aborts the call (the job runner's signal); the client's own timeout applies as well. */
  signal?: AbortSignal;
}

export interface GrafanaPort {
  /** POST /api/annotations; the new annotation's id. */
  createAnnotation(annotation: NewAnnotation, options?: CallOptions): Promise<number>;
  /** GET /api/annotations: annotations carrying every one of `tags`, newest first. */
  findAnnotations(tags: string[], options?: CallOptions & { limit?: number }): Promise<GrafanaAnnotation[]>;
  /** PATCH /api/annotations/:id: new text and/or tags. */
  updateAnnotation(id: number, patch: { text?: string; tags?: string[] }, options?: CallOptions): Promise<void>;
  /** GET /api/health (Grafana is up), then an authenticated read (the token works and may read annotations). */
  testConnection(options?: CallOptions): Promise<{ version: string; database: string }>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Grafana keeps a tag in a 100-character column. */
const MAX_TAG_LENGTH = 100;

export interface CreateGrafanaOptions {
  /** Per HTTP request (default 10 s). */
  timeoutMs?: number;
}

/** A Grafana port for `config`, authenticating with the service account token `secret` (the value of `config.tokenEnv`). */
export function createGrafana(
  config: Pick<GrafanaConfig, "url" | "tokenEnv" | "dashboardUID">,
  secret: string | undefined,
  options: CreateGrafanaOptions = {},
): GrafanaPort {
  if (!secret?.trim()) {
    throw new ConfigError(`${config.tokenEnv} is not set: put a Grafana service account token (glsa_…) in it, or remove grafana: from slipway.yaml`);
  }
  const token = secret.trim();
  const root = config.url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request<T>(
    action: string,
    method: string,
    path: string,
    init: { body?: unknown; auth?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const context = { action, tokenEnv: config.tokenEnv, url: root, timeoutMs };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers: {
          accept: "application/json",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...(init.auth === false ? {} : { authorization: `Bearer ${token}` }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal,
        redirect: "error",
      });
      text = await response.text();
    } catch (error) {
      // The caller's own abort is not Grafana's fault: pass it on as it is.
      if (init.signal?.aborted) throw error;
      throw toGrafanaError(error, context);
    }
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's HTML page): keep the text for the message.
    }
    if (!response.ok) throw grafanaResponseError(response, body, context);
    return body as T;
  }

  return {
    async createAnnotation(annotation, callOptions = {}) {
      const dashboardUID = annotation.dashboardUID ?? config.dashboardUID;
      const body = {
        ...(dashboardUID ? { dashboardUID } : {}),
        ...(dashboardUID && annotation.panelId !== undefined ? { panelId: annotation.panelId } : {}),
        time: annotation.time.getTime(),
        ...(annotation.timeEnd ? { timeEnd: annotation.timeEnd.getTime() } : {}),
        tags: annotation.tags,
        text: annotation.text,
      };
      const result = await request<{ id?: unknown }>("creating a Grafana annotation", "POST", "/api/annotations", {
        body,
        signal: callOptions.signal,
      });
      if (typeof result?.id !== "number") {
        throw new GrafanaError("Grafana answered without the new annotation's id", "invalid_response", true);
      }
      return result.id;
    },

    async findAnnotations(tags, callOptions = {}) {
      const query = new URLSearchParams();
      for (const tag of tags) query.append("tags", tag);
      query.set("type", "annotation");
      query.set("limit", String(callOptions.limit ?? 100));
      // Where Slipway annotates a dashboard, it looks there; Grafana's docs describe tag filtering for organization
      // annotations, so the dashboard is named rather than relied on to be searched.
      if (config.dashboardUID) query.set("dashboardUID", config.dashboardUID);
      const found = await request<unknown>("looking up Grafana annotations", "GET", `/api/annotations?${query}`, { signal: callOptions.signal });
      if (!Array.isArray(found)) throw new GrafanaError("Grafana answered the annotation search with something other than a list", "invalid_response", true);
      return found.map(reshapeAnnotation);
    },

    async updateAnnotation(id, patch, callOptions = {}) {
      await request("updating a Grafana annotation", "PATCH", `/api/annotations/${encodeURIComponent(String(id))}`, {
        body: patch,
        signal: callOptions.signal,
      });
    },

    async testConnection(callOptions = {}) {
      const health = await request<{ version?: string; database?: string }>("checking Grafana's health", "GET", "/api/health", {
        auth: false,
        signal: callOptions.signal,
      });
      await request("checking the Grafana token", "GET", "/api/annotations?limit=1&type=annotation", { signal: callOptions.signal });
      return { version: health?.version ?? "", database: health?.database ?? "" };
    },
  };
}

/** Grafana's annotation JSON as Slipway's type. */
function reshapeAnnotation(raw: unknown): GrafanaAnnotation {
  const a = (raw ?? {}) as { id?: unknown; time?: unknown; timeEnd?: unknown; tags?: unknown; text?: unknown; dashboardUID?: unknown };
  const time = typeof a.time === "number" ? a.time : 0;
  return {
    id: Number(a.id),
    time: new Date(time),
    timeEnd: new Date(typeof a.timeEnd === "number" && a.timeEnd > 0 ? a.timeEnd : time),
    tags: Array.isArray(a.tags) ? a.tags.map(String) : [],
    text: typeof a.text === "string" ? a.text : "",
    ...(typeof a.dashboardUID === "string" && a.dashboardUID ? { dashboardUID: a.dashboardUID } : {}),
  };
}

/**
 * The tag that makes a release's annotation findable: `slipway-request-<id>-<service>`, in Grafana's tag alphabet (no
 * ":" which Grafana reads as key:value) and within its 100 characters (a hash keeps long ones distinct).
 */
export function annotationKeyTag(requestId: string, service: string): string {
  const tag = `slipway-request-${requestId}-${service}`.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (tag.length <= MAX_TAG_LENGTH) return tag;
  const hash = createHash("sha256").update(`${requestId}\0${service}`).digest("hex").slice(0, 12);
  return `${tag.slice(0, MAX_TAG_LENGTH - hash.length - 1)}-${hash}`;
}

/**
 * Creates the annotation unless one carrying `keyTag` exists already (a retry after a lost answer), so each release
 * annotates each service exactly once. The key tag is added to the annotation's tags.
 */
export async function annotateOnce(
  grafana: GrafanaPort,
  keyTag: string,
  annotation: NewAnnotation,
  options: CallOptions = {},
): Promise<{ id: number; created: boolean }> {
  const [existing] = await grafana.findAnnotations([keyTag], { ...options, limit: 1 });
  if (existing) return { id: existing.id, created: false };
  const tags = annotation.tags.includes(keyTag) ? annotation.tags : [...annotation.tags, keyTag];
  return { id: await grafana.createAnnotation({ ...annotation, tags }, options), created: true };
}
