import "server-only";
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent } from "undici";
import { countRegistryRequest, registryFailureOutcome, registryResponseOutcome } from "@/lib/metrics/registry-request-metrics";
import { classifyAddress, decideHop, refusedAddressReason, type NetworkScope } from "./network-policy";
import { RegistryError, type FetchStats, type RegistryAuth, type RegistryEndpoint } from "./types";

/** HTTP transport shared by Helm repositories and OCI registries: timeouts, size limits, where requests may go, error wording. */

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_INDEX_BYTES = 64 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// What fetch itself drops when a redirect leaves the origin: credentials are for the registry, not a CDN.
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

export interface RegistryRequestOptions {
  registry: string;
  headers: Record<string, string>;
  timeoutMs: number;
  stats: FetchStats;
  /** Where the request and its redirects may go (network-policy.ts): networkScopeOf(the endpoint). */
  scope: NetworkScope;
}

/**
 * One GET, counted in stats and, by outcome, in /metrics (each redirect hop counts). The timeout covers redirects
 * and the body too: the same signal aborts the stream. Redirects are followed here, not by fetch, so that every hop
 * is checked against the scope before anything connects to it.
 */
export async function requestRegistry(url: string, options: RegistryRequestOptions): Promise<Response> {
  const { scope } = options;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let headers: Record<string, string> = { "User-Agent": "slipway", ...options.headers };
  if (!URL.canParse(url)) throw new RegistryError(`registry ${options.registry} has an invalid URL: ${redactUrl(url)}`, options.registry);
  let target = new URL(url);
  let from: URL | undefined;
  for (let redirects = 0; ; redirects++) {
    const decision = decideHop(target, scope, from);
    if (!decision.allowed) {
      throw new RegistryError(
        from
          ? `registry ${options.registry} redirected ${redactUrl(from.href)} to ${redactUrl(target.href)}: ${decision.reason}`
          : `cannot reach registry ${options.registry} at ${redactUrl(target.href)}: ${decision.reason}`,
        options.registry,
      );
    }
    options.stats.requests++;
    let response: Response;
    try {
      response = await fetch(target, {
        headers,
        signal,
        redirect: "manual",
        ...(decision.publicOnly ? { dispatcher: publicAddressAgent() } : {}),
      });
    } catch (error) {
      countRegistryRequest({ name: options.registry, configured: scope.configured }, registryFailureOutcome(error));
      throw toRegistryError(error, options.registry, target.href, options.timeoutMs);
    }
    countRegistryRequest({ name: options.registry, configured: scope.configured }, registryResponseOutcome(response.status));
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (redirects === MAX_REDIRECTS) {
      throw new RegistryError(
        `registry ${options.registry} redirected more than ${MAX_REDIRECTS} times (from ${redactUrl(url)})`,
        options.registry,
      );
    }
    if (!URL.canParse(location, target)) {
      throw new RegistryError(`registry ${options.registry} sent a redirect to an invalid URL (from ${redactUrl(target.href)})`, options.registry);
    }
    const next = new URL(location, target);
    if (next.origin !== target.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
    }
    from = target;
    target = next;
  }
}

/** A refusal raised while connecting; its message is the whole story (see toRegistryError). */
class RefusedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedAddressError";
  }
}

let publicAgent: Agent | undefined;

/**
 * The dispatcher for hops that must stay public. It checks every address a name resolves to at connection time,
 * so a name that answers public for a check and private for the connection (DNS rebinding) gets nowhere.
 */
function publicAddressAgent(): Agent {
  publicAgent ??= new Agent({ connect: { lookup: lookupPublicAddress } });
  return publicAgent;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function lookupPublicAddress(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const { address } of addresses) {
      const range = classifyAddress(address);
      if (range !== "public") {
        return callback(new RefusedAddressError(refusedAddressReason(hostname, range ?? "reserved")), []);
      }
    }
    const first = addresses[0];
    if (options.all) callback(null, addresses);
    else if (first) callback(null, first.address, first.family);
    else callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
  });
}

export interface ReadBodyOptions {
  registry: string;
  url: string;
  maxBytes: number;
  timeoutMs: number;
  stats: FetchStats;
  /** What the body is, for the size error: "index.yaml", "tag list". */
  what: string;
}

/**
 * Reads a response body, stopping as soon as it passes maxBytes. Counts decoded bytes, which is also what a
 * gzip bomb would inflate to, so the limit protects memory whatever the transfer encoding.
 */
export async function readResponseBody(response: Response, options: ReadBodyOptions): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(options);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      options.stats.bytes += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(options);
      }
      chunks.push(value);
    }
  } catch (error) {
    throw toRegistryError(error, options.registry, options.url, options.timeoutMs);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(options: ReadBodyOptions): RegistryError {
  return new RegistryError(
    `${options.what} of registry ${options.registry} is larger than the ${formatBytes(options.maxBytes)} limit (${redactUrl(options.url)})`,
    options.registry,
  );
}

/** Maps fetch failures (timeouts, refused connections, DNS, TLS) to a message that names the cause. */
export function toRegistryError(error: unknown, registry: string, url: string, timeoutMs: number): RegistryError {
  if (error instanceof RegistryError) return error;
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new RegistryError(
      `registry ${registry} did not answer within ${formatSeconds(timeoutMs)} (${redactUrl(url)})`,
      registry,
    );
  }
  return new RegistryError(`cannot reach registry ${registry} at ${redactUrl(url)}: ${describeCause(error)}`, registry);
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and keeps the socket error (ECONNREFUSED, ENOTFOUND, cert errors) as cause.
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return error.message;
}

/** The Authorization header for configured credentials. Built here only; never logged or put in messages. */
export function authorizationHeader(auth: RegistryAuth): string | undefined {
  switch (auth.type) {
    case "basic":
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
    case "bearer":
      return `Bearer ${auth.token}`;
    case "none":
      return undefined;
  }
}

/** The message for 401/403, telling the user which slipway.yaml setting to look at. */
export function authFailure(endpoint: RegistryEndpoint, status: number, detail = ""): RegistryError {
  const fix =
    endpoint.auth.type === "none"
      ? `set auth (basic: usernameEnv/passwordEnv, or bearer: tokenEnv) for registry "${endpoint.name}" in slipway.yaml`
      : `set valid credentials in the environment variables that registry "${endpoint.name}" names under auth in slipway.yaml`;
  return new RegistryError(
    `authentication failed for registry ${endpoint.name} (HTTP ${status})${detail ? ` ${detail}` : ""}: ${fix}`,
    endpoint.name,
    status,
  );
}

/** A URL fit for messages: user info and query (where tokens like to hide) removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
