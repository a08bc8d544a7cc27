import "server-only";
import {
  DEFAULT_TIMEOUT_MS,
  authFailure,
  authorizationHeader,
  readResponseBody,
  redactUrl,
  requestRegistry,
} from "./registry-http";
import { networkScopeOf, type NetworkScope } from "./network-policy";
import { sortChartVersions } from "./sort-chart-versions";
import { RegistryError, type ChartVersion, type FetchStats, type RegistryEndpoint } from "./types";

/**
 * Chart versions from an OCI registry: the tags of `<registry path>/<chart>`, via the distribution API's tag
 * list. Versions carry no `created` date: that lives in each tag's manifest/config, one request per tag,
 * which on charts with hundreds of releases would dwarf the tag list itself.
 */

/** Bearer tokens per scope, and the registries known to want Basic auth; kept across refreshes. */
export interface OciAuthCache {
  tokens: Map<string, { token: string; expiresAt: number }>;
  basicOrigins: Set<string>;
}

export function createOciAuthCache(): OciAuthCache {
  return { tokens: new Map(), basicOrigins: new Set() };
}

export interface ListOciChartVersionsOptions {
  stats: FetchStats;
  authCache?: OciAuthCache;
  /** Speak http instead of https. Default: true for localhost/127.0.0.1/[::1], false elsewhere. */
  plainHttp?: boolean;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Guards against a registry whose Link headers never end. Default 1000. */
  maxPages?: number;
}

export interface OciRepositoryLocation {
  /** `https://host[:port]` (or http). */
  origin: string;
  /** Repository name inside the registry: `<path>/<chart>`. */
  repository: string;
}

// A tag list is a few KiB; anything near this is not a tag list.
const MAX_TAG_LIST_BYTES = 16 * 1024 * 1024;
const MAX_TOKEN_BYTES = 1024 * 1024;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `oci://host[:port]/path` plus a chart name → where its tags live. */
export function locateOciRepository(url: string, chart: string, plainHttp?: boolean): OciRepositoryLocation {
  const match = /^oci:\/\/([^/?#]+)(\/[^?#]*)?$/.exec(url);
  const host = match?.[1];
  if (!host) throw new RegistryError(`not an OCI registry URL: ${url} (expected oci://host/path)`, url);
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  const http = plainHttp ?? LOOPBACK_HOSTS.has(hostname.toLowerCase());
  const path = (match[2] ?? "").split("/").filter(Boolean);
  return { origin: `${http ? "http" : "https"}://${host}`, repository: [...path, chart].join("/") };
}

/** Lists a chart's versions, newest first; undefined when the registry answers but has no such repository. */
export async function listOciChartVersions(
  endpoint: RegistryEndpoint,
  chart: string,
  options: ListOciChartVersionsOptions,
): Promise<ChartVersion[] | undefined> {
  const { origin, repository } = locateOciRepository(endpoint.url, chart, options.plainHttp);
  const session = new OciSession(endpoint, origin, repository, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxPages = options.maxPages ?? 1000;
  const tags = new Set<string>();
  let url: string | undefined = `${origin}/v2/${repository}/tags/list`;
  for (let page = 0; url !== undefined; page++) {
    if (page === maxPages) {
      throw new RegistryError(`registry ${endpoint.name} returned more than ${maxPages} pages of tags for ${chart}`, endpoint.name);
    }
    const response = await session.get(url);
    if (response.status === 404 && page === 0) {
      // NAME_UNKNOWN: the registry is there, the chart is not.
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryError(
        `registry ${endpoint.name} answered HTTP ${response.status} for ${redactUrl(url)}`,
        endpoint.name,
        response.status,
      );
    }
    const body = await readResponseBody(response, {
      registry: endpoint.name,
      url,
      maxBytes: MAX_TAG_LIST_BYTES,
      timeoutMs,
      stats: options.stats,
      what: "tag list",
    });
    for (const tag of readTagList(body, endpoint.name)) tags.add(tag);
    url = nextPageUrl(response.headers.get("link"), url, origin, endpoint.name);
  }
  return sortChartVersions([...tags].map(tagToChartVersion));
}

/** Helm pushes `1.2.3+build` as tag `1.2.3_build` (`+` is not allowed in tags); this undoes it. */
export function tagToChartVersion(tag: string): ChartVersion {
  return { version: tag.replaceAll("_", "+"), deprecated: false };
}

function readTagList(body: Buffer, registry: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistryError(`registry ${registry} returned a tag list that is not JSON`, registry);
  }
  const tags = (json as { tags?: unknown } | null)?.tags;
  // An existing repository with every tag deleted answers `"tags": null`.
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags)) throw new RegistryError(`registry ${registry} returned a malformed tag list`, registry);
  return tags.filter((tag): tag is string => typeof tag === "string");
}

/**
 * The `rel="next"` target of an RFC 8288 Link header (`</v2/x/tags/list?n=100&last=b>; rel="next"`), resolved
 * against the current page. Links to another origin are refused: credentials go with every page.
 */
export function nextPageUrl(link: string | null, current: string, origin: string, registry: string): string | undefined {
  if (!link) return undefined;
  for (const match of link.matchAll(/<([^>]*)>([^,<]*)/g)) {
    const params = match[2] ?? "";
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (!relations.includes("next")) continue;
    const next = new URL(match[1] ?? "", current);
    if (next.origin !== origin) {
      throw new RegistryError(`registry ${registry} sent a pagination link to another host (${next.origin})`, registry);
    }
    return next.toString();
  }
  return undefined;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const scheme = /^\s*([A-Za-z][\w-]*)/.exec(header);
  if (!scheme?.[1]) return undefined;
  const params: Record<string, string> = {};
  const rest = header.slice(scheme[0].length);
  for (const match of rest.matchAll(/([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g)) {
    const name = match[1]?.toLowerCase();
    if (name === undefined || name in params) continue;
    params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
  }
  return { scheme: scheme[1].toLowerCase(), params };
}

/**
 * Authorization for one repository, following the distribution auth flow: try with what is known, and on 401
 * answer the challenge — Basic with the configured credentials, or Bearer with a token from the challenge's
 * realm (fetched with the Basic credentials when configured, anonymously otherwise).
 */
class OciSession {
  private authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly defaultScope: string;
  /** Where requests may go; the token realm comes from the registry's challenge and is checked like a redirect. */
  private readonly network: NetworkScope;

  constructor(
    private readonly endpoint: RegistryEndpoint,
    private readonly origin: string,
    private readonly repository: string,
    private readonly options: ListOciChartVersionsOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.defaultScope = `repository:${repository}:pull`;
    this.network = networkScopeOf(endpoint);
    const { auth } = endpoint;
    if (auth.type === "bearer") {
      // A configured token is used as is: there is nothing to exchange it for.
      this.authorization = authorizationHeader(auth);
    } else if (auth.type === "basic" && options.authCache?.basicOrigins.has(origin)) {
      this.authorization = authorizationHeader(auth);
    } else {
      const cached = this.cachedToken(this.tokenKey(this.defaultScope));
      if (cached) this.authorization = `Bearer ${cached}`;
    }
  }

  async get(url: string): Promise<Response> {
    const response = await this.send(url);
    if (response.status !== 401) {
      if (response.status === 403) {
        await response.body?.cancel();
        throw authFailure(this.endpoint, 403);
      }
      return response;
    }
    const challenge = parseChallenge(response.headers.get("www-authenticate"));
    await response.body?.cancel();
    const sent = this.authorization;
    const { auth } = this.endpoint;
    if (!challenge || auth.type === "bearer") throw authFailure(this.endpoint, 401);
    if (challenge.scheme === "basic") {
      const basic = authorizationHeader(auth);
      if (auth.type !== "basic" || !basic || sent === basic) throw authFailure(this.endpoint, 401);
      this.options.authCache?.basicOrigins.add(this.origin);
      this.authorization = basic;
    } else if (challenge.scheme === "bearer") {
      this.authorization = `Bearer ${await this.fetchToken(challenge, sent)}`;
    } else {
      throw authFailure(this.endpoint, 401, `(unsupported auth scheme ${challenge.scheme})`);
    }
    const retried = await this.send(url);
    if (retried.status === 401 || retried.status === 403) {
      await retried.body?.cancel();
      throw authFailure(this.endpoint, retried.status);
    }
    return retried;
  }

  private send(url: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.authorization) headers.Authorization = this.authorization;
    return requestRegistry(url, {
      registry: this.endpoint.name,
      headers,
      timeoutMs: this.timeoutMs,
      stats: this.options.stats,
      scope: this.network,
    });
  }

  private async fetchToken(challenge: Challenge, rejected: string | undefined): Promise<string> {
    const { realm, service } = challenge.params;
    const scope = challenge.params.scope ?? this.defaultScope;
    if (!realm || !URL.canParse(realm)) throw authFailure(this.endpoint, 401, "(Bearer challenge without a usable realm)");
    const key = this.tokenKey(scope);
    const cached = this.cachedToken(key);
    // A cached token the registry just turned down (revoked, clock skew) is not offered again.
    if (cached && `Bearer ${cached}` !== rejected) return cached;

    const realmUrl = new URL(realm);
    if (service) realmUrl.searchParams.set("service", service);
    realmUrl.searchParams.set("scope", scope);
    const headers: Record<string, string> = { Accept: "application/json" };
    const { auth } = this.endpoint;
    // Credentials go to the token service the registry names, as Docker and Helm do — but not in clear text
    // to a host other than the registry itself.
    if (auth.type === "basic" && (realmUrl.protocol === "https:" || realmUrl.origin === this.origin)) {
      headers.Authorization = authorizationHeader(auth) ?? "";
    }
    // The realm is the registry's to name, so it may point anywhere: requestRegistry holds it to the same rules as
    // a redirect (the registry's own host, a configured registry's, or a public address).
    const response = await requestRegistry(realmUrl.toString(), {
      registry: this.endpoint.name,
      headers,
      timeoutMs: this.timeoutMs,
      stats: this.options.stats,
      scope: this.network,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw authFailure(this.endpoint, response.status, "(token service)");
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryError(
        `token service of registry ${this.endpoint.name} answered HTTP ${response.status}`,
        this.endpoint.name,
        response.status,
      );
    }
    const body = await readResponseBody(response, {
      registry: this.endpoint.name,
      url: realmUrl.toString(),
      maxBytes: MAX_TOKEN_BYTES,
      timeoutMs: this.timeoutMs,
      stats: this.options.stats,
      what: "token response",
    });
    const json = safeJson(body) as { token?: unknown; access_token?: unknown; expires_in?: unknown } | undefined;
    const token = typeof json?.token === "string" ? json.token : json?.access_token;
    if (typeof token !== "string" || token === "") {
      throw new RegistryError(`token service of registry ${this.endpoint.name} returned no token`, this.endpoint.name);
    }
    // The token spec's default lifetime is 60 s; renew a little early so a page is not sent with a stale token.
    const lifetime = typeof json?.expires_in === "number" && json.expires_in > 0 ? json.expires_in : 60;
    this.options.authCache?.tokens.set(key, { token, expiresAt: Date.now() + Math.max(0, lifetime - 5) * 1000 });
    return token;
  }

  /** Tokens are per registry, scope and identity: another user's token must not be reused. */
  private tokenKey(scope: string): string {
    const { auth } = this.endpoint;
    return `${this.origin}\n${auth.type === "basic" ? auth.username : ""}\n${scope}`;
  }

  private cachedToken(key: string): string | undefined {
    const entry = this.options.authCache?.tokens.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.options.authCache?.tokens.delete(key);
      return undefined;
    }
    return entry.token;
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}
