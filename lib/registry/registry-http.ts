import "server-only";
import { RegistryError, type FetchStats, type RegistryAuth, type RegistryEndpoint } from "./types";

/** HTTP transport shared by Helm repositories and OCI registries: timeouts, size limits, error wording. */

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_INDEX_BYTES = 64 * 1024 * 1024;

export interface RegistryRequestOptions {
  registry: string;
  headers: Record<string, string>;
  timeoutMs: number;
  stats: FetchStats;
}

/** One GET, counted in stats. The timeout covers the body too: the same signal aborts the stream. */
export async function requestRegistry(url: string, options: RegistryRequestOptions): Promise<Response> {
  options.stats.requests++;
  try {
    return await fetch(url, {
      headers: { "User-Agent": "slipway", ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: "follow",
    });
  } catch (error) {
    throw toRegistryError(error, options.registry, url, options.timeoutMs);
  }
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
