import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer, type TestHttpServer } from "../support/start-http-server";
import { FaultRules } from "../support/fault-rules";

/**
 * Grafana's annotations HTTP API for tests (the legacy `/api/annotations` routes in Grafana's HTTP API docs,
 * developer-resources/api-reference/http-api/api-legacy/annotations), on node:http, for Slipway's fetch-based client:
 *
 * - `POST /api/annotations` `{ dashboardUID?, panelId?, time?, timeEnd?, tags?, text }` → 200
 *   `{ message: "Annotation added", id }`; 400 `{ message: "bad request data" }` when the body is not the expected JSON,
 *   400 `{ message: "Failed to save annotation" }` for an empty text or an end before the start, 404
 *   `{ message: "Dashboard not found" }` for an unknown dashboardUID;
 * - `GET /api/annotations?tags=&tags=&matchAny=&limit=&from=&to=&dashboardUID=&type=` → the annotations, newest first
 *   (tags AND-ed unless matchAny, limit 100 by default), 400 "Invalid dashboard UID in annotation request";
 * - `PATCH /api/annotations/:id` (text, tags, time, timeEnd) → `{ message: "Annotation patched" }`, 404
 *   `{ message: "Annotation not found" }`, 400 "annotationId is invalid";
 * - `GET /api/health` without authentication → `{ commit, database: "ok", version }`.
 *
 * Authentication as Grafana does it for service account tokens: `Authorization: Bearer glsa_…`; none is 401
 * "Unauthorized", an unknown token 401 "Invalid API key"; a token without the permission an action needs is 403 with
 * Grafana's access-control body naming it (annotations:read, annotations:create, annotations:write).
 *
 * Faults can be injected per route, and every annotation written is counted, so a test can prove exactly once.
 */

export type GrafanaPermission = "annotations:read" | "annotations:create" | "annotations:write";

export interface GrafanaTestToken {
  /** The service account's login, recorded as the annotation's author. */
  login: string;
  /** Default: a service account with the Editor role (read, create, write). */
  permissions?: GrafanaPermission[];
}

export interface GrafanaTestAnnotation {
  id: number;
  dashboardUID?: string;
  panelId?: number;
  time: number;
  timeEnd: number;
  tags: string[];
  text: string;
  login: string;
  created: number;
  updated: number;
}

export interface GrafanaTestServerOptions {
  /** token → service account (default: `glsa_test` → an Editor). */
  tokens?: Record<string, GrafanaTestToken>;
  /** UIDs of dashboards that exist (default: `slipway-services`). */
  dashboards?: string[];
}

export type GrafanaFault =
  /** An error answer with Grafana's `{ message }` body. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** 429 with Retry-After (Grafana Cloud's gateway). */
  | { kind: "rate-limit"; retryAfterSeconds?: number }
  /** Never answers (the socket stays open until the client gives up or the server closes). Nothing is done. */
  | { kind: "timeout" }
  /** Drops the connection without an answer. Nothing is done. */
  | { kind: "disconnect" }
  /** Does the work (the annotation is saved), then drops the connection: the answer is lost, not the effect. */
  | { kind: "drop-response" }
  /** Answers normally after a delay. */
  | { kind: "latency"; ms: number };

export type GrafanaFaultRule = GrafanaFault & {
  method?: string;
  /** Matched against the path without the query. */
  path?: RegExp;
  times?: number;
};

export interface GrafanaServedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** "POST /api/annotations"; undefined for unknown routes. */
  route?: string;
  /** 0 when never answered. */
  status: number;
  body?: unknown;
  faulted: boolean;
  headers: IncomingMessage["headers"];
}

export interface GrafanaEffects {
  created: number;
  patched: number;
}

export interface GrafanaTestServer {
  url: string;
  addToken(token: string, account: GrafanaTestToken): void;
  addDashboard(uid: string): void;
  inject(rule: GrafanaFaultRule): () => void;
  injectOnce(rule: GrafanaFaultRule): () => void;
  clearFaults(): void;
  requests: GrafanaServedRequest[];
  count(route: string, filter?: { status?: number }): number;
  effects(): GrafanaEffects;
  /** Every annotation, oldest first. */
  annotations(): GrafanaTestAnnotation[];
  /** Annotations carrying every one of `tags`. */
  annotationsTagged(...tags: string[]): GrafanaTestAnnotation[];
  close(): Promise<void>;
}

export const DEFAULT_GRAFANA_TOKEN = "glsa_test";
const EDITOR: GrafanaPermission[] = ["annotations:read", "annotations:create", "annotations:write"];
const ROUTES = [
  { method: "GET", pattern: /^\/api\/health$/, template: "GET /api/health" },
  { method: "GET", pattern: /^\/api\/annotations$/, template: "GET /api/annotations" },
  { method: "POST", pattern: /^\/api\/annotations$/, template: "POST /api/annotations" },
  { method: "PATCH", pattern: /^\/api\/annotations\/([^/]+)$/, template: "PATCH /api/annotations/:id" },
] as const;

class GrafanaApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const error = (status: number, message: string) => new GrafanaApiError(status, { message });
const BAD_JSON = Symbol("bad JSON");

export async function startGrafanaTestServer(options: GrafanaTestServerOptions = {}): Promise<GrafanaTestServer> {
  const tokens = new Map(Object.entries(options.tokens ?? { [DEFAULT_GRAFANA_TOKEN]: { login: "sa-1-slipway" } }));
  const dashboards = new Set(options.dashboards ?? ["slipway-services"]);
  const annotations: GrafanaTestAnnotation[] = [];
  const requests: GrafanaServedRequest[] = [];
  const faults = new FaultRules<GrafanaFaultRule>();
  const effects: GrafanaEffects = { created: 0, patched: 0 };
  let nextId = 1;

  function authenticate(request: IncomingMessage): GrafanaTestToken {
    const header = request.headers.authorization;
    if (!header) throw new GrafanaApiError(401, { message: "Unauthorized", messageId: "auth.unauthorized", statusCode: 401, traceID: "" });
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    const account = token ? tokens.get(token) : undefined;
    if (!account) throw new GrafanaApiError(401, { message: "Invalid API key", messageId: "api-key.invalid", statusCode: 401, traceID: "" });
    return account;
  }

  function authorize(account: GrafanaTestToken, permission: GrafanaPermission) {
    if ((account.permissions ?? EDITOR).includes(permission)) return;
    throw new GrafanaApiError(403, {
      accessErrorId: `ACE${Math.floor(Math.random() * 1e10)}`,
      message: `You'll need additional permissions to perform this action. Permissions needed: ${permission}`,
      title: "Access denied",
    });
  }

  function wire(annotation: GrafanaTestAnnotation) {
    return {
      id: annotation.id,
      alertId: 0,
      dashboardId: 0,
      dashboardUID: annotation.dashboardUID ?? null,
      panelId: annotation.panelId ?? 0,
      userId: 1,
      newState: "",
      prevState: "",
      created: annotation.created,
      updated: annotation.updated,
      time: annotation.time,
      timeEnd: annotation.timeEnd,
      text: annotation.text,
      tags: annotation.tags,
      login: annotation.login,
      email: `${annotation.login}@grafana.invalid`,
      avatarUrl: "/avatar/00000000000000000000000000000000",
      data: {},
    };
  }

  /** What Grafana's JSON binding accepts: the fields with their Go types, anything else is "bad request data". */
  function readBody(body: unknown, fields: { text: "required" | "optional" }) {
    if (body === BAD_JSON || typeof body !== "object" || body === null || Array.isArray(body)) throw error(400, "bad request data");
    const b = body as Record<string, unknown>;
    const int = (v: unknown) => v === undefined || (typeof v === "number" && Number.isInteger(v));
    if (!int(b.time) || !int(b.timeEnd) || !int(b.panelId) || !int(b.dashboardId)) throw error(400, "bad request data");
    if (b.tags !== undefined && b.tags !== null && (!Array.isArray(b.tags) || !b.tags.every((t) => typeof t === "string"))) {
      throw error(400, "bad request data");
    }
    if (b.text !== undefined && typeof b.text !== "string") throw error(400, "bad request data");
    if (b.dashboardUID !== undefined && typeof b.dashboardUID !== "string") throw error(400, "bad request data");
    if (fields.text === "required" && !b.text) throw error(400, "Failed to save annotation");
    return {
      text: b.text as string | undefined,
      tags: (b.tags as string[] | null | undefined) ?? undefined,
      time: b.time as number | undefined,
      timeEnd: b.timeEnd as number | undefined,
      panelId: b.panelId as number | undefined,
      dashboardUID: (b.dashboardUID as string | undefined) || undefined,
    };
  }

  function handleRoute(template: string, match: RegExpExecArray, request: IncomingMessage, query: URLSearchParams, body: unknown) {
    if (template === "GET /api/health") {
      return { status: 200, body: { commit: "0000000", database: "ok", version: "11.6.0" } };
    }
    const account = authenticate(request);
    switch (template) {
      case "POST /api/annotations": {
        authorize(account, "annotations:create");
        const input = readBody(body, { text: "required" });
        if (input.dashboardUID && !dashboards.has(input.dashboardUID)) throw error(404, "Dashboard not found");
        const now = Date.now();
        const time = input.time && input.time > 0 ? input.time : now;
        const timeEnd = input.timeEnd && input.timeEnd > 0 ? input.timeEnd : time;
        if (timeEnd < time) throw error(400, "Failed to save annotation");
        const annotation: GrafanaTestAnnotation = {
          id: nextId++,
          dashboardUID: input.dashboardUID,
          panelId: input.dashboardUID ? input.panelId : undefined,
          time,
          timeEnd,
          tags: [...new Set(input.tags ?? [])],
          text: input.text!,
          login: account.login,
          created: now,
          updated: now,
        };
        annotations.push(annotation);
        effects.created += 1;
        return { status: 200, body: { message: "Annotation added", id: annotation.id } };
      }
      case "GET /api/annotations": {
        authorize(account, "annotations:read");
        const dashboardUID = query.get("dashboardUID") || undefined;
        if (dashboardUID && !dashboards.has(dashboardUID)) throw error(400, "Invalid dashboard UID in annotation request");
        const tags = query.getAll("tags").filter(Boolean);
        const matchAny = query.get("matchAny") === "true";
        const from = Number(query.get("from") ?? 0);
        const to = Number(query.get("to") ?? 0);
        const limit = Number(query.get("limit")) || 100;
        const type = query.get("type");
        const found = annotations
          .filter((a) => !dashboardUID || a.dashboardUID === dashboardUID)
          .filter((a) => tags.length === 0 || (matchAny ? tags.some((t) => a.tags.includes(t)) : tags.every((t) => a.tags.includes(t))))
          .filter((a) => (!from || a.timeEnd >= from) && (!to || a.time <= to))
          .filter(() => type !== "alert")
          .sort((a, b) => b.time - a.time || b.id - a.id)
          .slice(0, limit);
        return { status: 200, body: found.map(wire) };
      }
      case "PATCH /api/annotations/:id": {
        const id = Number(match[1]);
        if (!Number.isInteger(id) || id <= 0) throw error(400, "annotationId is invalid");
        const annotation = annotations.find((a) => a.id === id);
        if (!annotation) throw error(404, "Annotation not found");
        authorize(account, "annotations:write");
        const input = readBody(body, { text: "optional" });
        if (input.tags !== undefined) annotation.tags = [...new Set(input.tags)];
        if (input.text) annotation.text = input.text;
        if (input.time && input.time > 0) annotation.time = input.time;
        if (input.timeEnd && input.timeEnd > 0) annotation.timeEnd = input.timeEnd;
        annotation.updated = Date.now();
        effects.patched += 1;
        return { status: 200, body: { message: "Annotation patched" } };
      }
    }
    throw error(404, "Not found");
  }

  function matchFault(method: string, path: string): GrafanaFault | undefined {
    return faults.take((rule) => (!rule.method || rule.method === method) && (!rule.path || rule.path.test(path)));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? "GET").toUpperCase();
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const raw = await readRaw(request);
    const record: GrafanaServedRequest = { method, path: url.pathname, query: url.searchParams, status: 0, faulted: false, headers: request.headers };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };

    const route = ROUTES.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
    if (route) record.route = route.template;

    const fault = matchFault(method, url.pathname);
    let dropResponse = false;
    if (fault) {
      record.faulted = true;
      if ("status" in fault) {
        return send(fault.status, { message: fault.message ?? (fault.status >= 500 ? "Internal Server Error" : "Injected fault") }, fault.headers);
      }
      switch (fault.kind) {
        case "timeout":
          return;
        case "disconnect":
          request.socket.destroy();
          return;
        case "latency":
          record.faulted = false;
          await sleep(fault.ms);
          break;
        case "rate-limit":
          return send(429, { message: "Too Many Requests" }, { "retry-after": String(fault.retryAfterSeconds ?? 1) });
        case "drop-response":
          dropResponse = true;
          break;
      }
    }

    if (!route) return send(404, { message: "Not found" });
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        // Grafana authenticates before it binds the body: a bad body is a 400 only for a caller it let in.
        body = BAD_JSON;
      }
    }
    record.body = body;
    try {
      const reply = handleRoute(route.template, route.pattern.exec(url.pathname)!, request, url.searchParams, body);
      if (dropResponse) {
        request.socket.destroy();
        return;
      }
      send(reply.status, reply.body);
    } catch (caught) {
      if (caught instanceof GrafanaApiError) return send(caught.status, caught.body);
      throw caught;
    }
  }

  const http: TestHttpServer = await startHttpServer(handle);

  const server: GrafanaTestServer = {
    url: http.url,
    requests,
    addToken(token, account) {
      tokens.set(token, account);
    },
    addDashboard(uid) {
      dashboards.add(uid);
    },
    inject(rule) {
      return faults.inject(rule);
    },
    injectOnce(rule) {
      return faults.injectOnce(rule);
    },
    clearFaults() {
      faults.clear();
    },
    count(route, filter = {}) {
      return requests.filter((r) => r.route === route && (filter.status === undefined || r.status === filter.status)).length;
    },
    effects: () => ({ ...effects }),
    annotations: () => [...annotations],
    annotationsTagged: (...tags) => annotations.filter((a) => tags.every((t) => a.tags.includes(t))),
    close: () => http.close(),
  };
  return server;
}

async function readRaw(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
