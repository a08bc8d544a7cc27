import "server-only";
import { constants } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { networkScopeOf } from "./network-policy";
import { parseHelmIndex } from "./parse-helm-index";
import {
  DEFAULT_MAX_INDEX_BYTES,
  DEFAULT_TIMEOUT_MS,
  authFailure,
  authorizationHeader,
  formatBytes,
  readResponseBody,
  redactUrl,
  requestRegistry,
} from "./registry-http";
import { RegistryError, type ChartVersion, type FetchStats, type RegistryEndpoint } from "./types";

/** A parsed index with what proves it is still current: HTTP validators, or the file's identity, size and mtime. */
export interface CachedHelmIndex {
  etag?: string;
  lastModified?: string;
  fileValidator?: string;
  charts: Map<string, ChartVersion[]>;
}

/** Parsed indexes per index URL or file path, kept between refreshes so unchanged indexes cost a 304 or a stat. */
export type HelmIndexCache = Map<string, CachedHelmIndex>;

export interface FetchHelmIndexOptions {
  /** Folder that relative file:// URLs are resolved against: the one holding slipway.yaml. */
  baseDir: string;
  stats: FetchStats;
  cache?: HelmIndexCache;
  /** Default 64 MiB. */
  maxBytes?: number;
  /** Default 30 s, covering the whole download. */
  timeoutMs?: number;
}

export type HelmIndexLocation = { kind: "http"; url: string } | { kind: "file"; path: string };

/**
 * Where a Helm repository's index lives: `https://charts.example.com` → `…/index.yaml`; a URL already naming
 * a .yaml file is used as is; `file:///abs/dir` and `file://./rel/dir` name a folder (or the index file itself),
 * relative ones resolved against baseDir.
 */
export function locateHelmIndex(url: string, baseDir: string, registry = url): HelmIndexLocation {
  if (url.startsWith("file://")) {
    const rest = url.slice("file://".length);
    const path = rest.startsWith("/") ? fileURLToPath(url) : decodeURIComponent(rest);
    return { kind: "file", path: isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new RegistryError(
      `unsupported Helm repository URL ${redactUrl(url)}: use https://, http:// or file://`,
      registry,
    );
  }
  if (!/\.ya?ml$/i.test(parsed.pathname)) {
    parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/index.yaml`;
  }
  return { kind: "http", url: parsed.toString() };
}

/** Downloads (or reads) and parses a Helm repository's index.yaml, reusing the cached parse when unchanged. */
export async function fetchHelmIndex(
  endpoint: RegistryEndpoint,
  options: FetchHelmIndexOptions,
): Promise<Map<string, ChartVersion[]>> {
  const location = locateHelmIndex(endpoint.url, options.baseDir, endpoint.name);
  return location.kind === "file"
    ? readFileIndex(endpoint, location.path, options)
    : fetchHttpIndex(endpoint, location.url, options);
}

async function fetchHttpIndex(
  endpoint: RegistryEndpoint,
  url: string,
  options: FetchHelmIndexOptions,
): Promise<Map<string, ChartVersion[]>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INDEX_BYTES;
  const cached = options.cache?.get(url);
  const headers: Record<string, string> = { Accept: "application/x-yaml, application/yaml, text/yaml, */*;q=0.8" };
  const authorization = authorizationHeader(endpoint.auth);
  if (authorization) headers.Authorization = authorization;
  if (cached?.etag) headers["If-None-Match"] = cached.etag;
  if (cached?.lastModified) headers["If-Modified-Since"] = cached.lastModified;

  const response = await requestRegistry(url, { registry: endpoint.name, headers, timeoutMs, stats: options.stats, scope: networkScopeOf(endpoint) });
  if (response.status === 304 && cached) {
    await response.body?.cancel();
    options.stats.notModified++;
    return cached.charts;
  }
  if (!response.ok) {
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) throw authFailure(endpoint, response.status);
    if (response.status === 404) {
      throw new RegistryError(`no index.yaml at ${redactUrl(url)} (HTTP 404)`, endpoint.name, 404);
    }
    throw new RegistryError(
      `registry ${endpoint.name} answered HTTP ${response.status} for ${redactUrl(url)}`,
      endpoint.name,
      response.status,
    );
  }
  const body = await readResponseBody(response, {
    registry: endpoint.name,
    url,
    maxBytes,
    timeoutMs,
    stats: options.stats,
    what: "index.yaml",
  });
  const charts = parseHelmIndex(body.toString("utf8"), endpoint.name);
  const etag = response.headers.get("etag") ?? undefined;
  const lastModified = response.headers.get("last-modified") ?? undefined;
  if (etag || lastModified) options.cache?.set(url, { etag, lastModified, charts });
  else options.cache?.delete(url);
  return charts;
}

async function readFileIndex(
  endpoint: RegistryEndpoint,
  path: string,
  options: FetchHelmIndexOptions,
): Promise<Map<string, ChartVersion[]>> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INDEX_BYTES;
  options.stats.requests++;
  let indexPath = path;
  try {
    // A run-time path from slipway.yaml: turbopackIgnore keeps Next from tracing the whole project for it.
    if ((await stat(/*turbopackIgnore: true*/ path)).isDirectory()) indexPath = join(path, "index.yaml");
    // Non-blocking, so that opening a FIFO with no writer returns (to be refused below) instead of waiting forever.
    const handle = await open(/*turbopackIgnore: true*/ indexPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const info = await handle.stat({ bigint: true });
      // Checked on the opened file, not the path, so a swap after the check cannot slip in /dev/zero or a pipe,
      // which have no size and never end.
      if (!info.isFile()) throw notRegularFile(endpoint, indexPath);
      // Inode too: an index replaced by rename can keep size and, on coarse clocks, mtime.
      const validator = `${info.ino}:${info.size}:${info.mtimeNs}`;
      const cached = options.cache?.get(indexPath);
      if (cached?.fileValidator === validator) {
        options.stats.notModified++;
        return cached.charts;
      }
      if (info.size > BigInt(maxBytes)) throw fileTooLarge(endpoint, indexPath, maxBytes);
      // The file may have grown since fstat: the read stops one byte past the limit whatever happens.
      const buffer = await readAtMost(handle, Number(info.size), maxBytes);
      if (buffer === undefined) throw fileTooLarge(endpoint, indexPath, maxBytes);
      options.stats.bytes += buffer.byteLength;
      const charts = parseHelmIndex(buffer.toString("utf8"), endpoint.name);
      options.cache?.set(indexPath, { fileValidator: validator, charts });
      return charts;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new RegistryError(`no index.yaml at ${indexPath}`, endpoint.name, 404);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new RegistryError(`cannot read index.yaml of registry ${endpoint.name}: ${reason}`, endpoint.name);
  }
}

/** The file's content, or undefined once it is found to hold more than `limit` bytes (reading `limit` + 1 at most). */
async function readAtMost(handle: FileHandle, expected: number, limit: number): Promise<Buffer | undefined> {
  let buffer = Buffer.allocUnsafe(Math.min(expected, limit) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limit) return undefined;
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

function notRegularFile(endpoint: RegistryEndpoint, path: string): RegistryError {
  return new RegistryError(
    `index.yaml of registry ${endpoint.name} is not a regular file (${path}): point the file:// URL at a folder holding index.yaml, or at the file`,
    endpoint.name,
  );
}

function fileTooLarge(endpoint: RegistryEndpoint, path: string, maxBytes: number): RegistryError {
  return new RegistryError(
    `index.yaml of registry ${endpoint.name} is larger than the ${formatBytes(maxBytes)} limit (${path})`,
    endpoint.name,
  );
}
