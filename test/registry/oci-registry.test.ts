import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOciAuthCache, listOciChartVersions } from "@/lib/registry/oci-registry";
import { createRegistryClient } from "@/lib/registry/registry-client";
import type { RegistryAuth, RegistryEndpoint } from "@/lib/registry/types";
import { pushHelmChart } from "@/test/support/push-helm-chart";
import {
  DOCKER_REGISTRY_BINARY,
  hasDockerRegistry,
  startDockerRegistry,
  type DockerRegistry,
} from "@/test/support/start-docker-registry";
import { startHttpServer, type TestHttpServer } from "@/test/support/start-http-server";
import { newStats, rejectionOf } from "@/test/support/registry-test-helpers";

// Configured, as in slipway.yaml: only a configured registry may live on 127.0.0.1 (network-policy.ts).
function endpoint(url: string, auth: RegistryAuth = { type: "none" }): RegistryEndpoint {
  return { name: "oci", url, auth, configured: true };
}

const PUSHED_TAGS = ["1.2.0", "1.10.0", "latest", "1.9.1", "2.0.0-rc.1", "1.0.0_build.5"];
const NEWEST_FIRST = ["2.0.0-rc.1", "1.10.0", "1.9.1", "1.2.0", "1.0.0+build.5", "latest"];

const registryAvailable = hasDockerRegistry();
const suiteName = registryAvailable
  ? "listOciChartVersions against docker-registry 2.8"
  : `listOciChartVersions against docker-registry 2.8 — SKIPPED: ${DOCKER_REGISTRY_BINARY} or htpasswd is not installed (apt-get install docker-registry apache2-utils)`;

describe.skipIf(!registryAvailable)(suiteName, () => {
  let registry: DockerRegistry;
  let basic: RegistryAuth;

  beforeAll(async () => {
    registry = await startDockerRegistry("robot", "chart-Pull-pass");
    basic = { type: "basic", username: registry.username, password: registry.password };
    for (const tag of PUSHED_TAGS) await pushHelmChart(registry, "charts/payments", tag);
    await pushHelmChart(registry, "charts/ledger", "0.1.0");
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("lists the pushed versions newest first, answering the Basic challenge and remembering it", async () => {
    const authCache = createOciAuthCache();
    const stats = newStats();
    const versions = await listOciChartVersions(endpoint(`oci://${registry.host}/charts`, basic), "payments", {
      stats,
      authCache,
    });
    expect(versions?.map((v) => v.version)).toEqual(NEWEST_FIRST);
    expect(versions?.[0]).toEqual({ version: "2.0.0-rc.1", deprecated: false });
    // The anonymous attempt (401 + WWW-Authenticate: Basic), then the retry with credentials.
    expect(stats.requests).toBe(2);
    expect(stats.bytes).toBeGreaterThan(0);

    const again = newStats();
    await listOciChartVersions(endpoint(`oci://${registry.host}/charts`, basic), "ledger", { stats: again, authCache });
    expect(again.requests).toBe(1);
  });

  it("fails with the 401 as a RegistryError when no credentials are configured, or wrong ones", async () => {
    await expect(
      listOciChartVersions(endpoint(`oci://${registry.host}/charts`), "payments", { stats: newStats() }),
    ).rejects.toMatchObject({
      name: "RegistryError",
      status: 401,
      message: expect.stringMatching(/^authentication failed for registry oci \(HTTP 401\): set auth/),
    });
    const wrong: RegistryAuth = { type: "basic", username: "robot", password: "not-the-Password" };
    const error = await rejectionOf(
      listOciChartVersions(endpoint(`oci://${registry.host}/charts`, wrong), "payments", { stats: newStats() }),
    );
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).not.toContain("not-the-Password");
  });

  it("returns undefined for a chart the registry does not have", async () => {
    await expect(
      listOciChartVersions(endpoint(`oci://${registry.host}/charts`, basic), "nope", { stats: newStats() }),
    ).resolves.toBeUndefined();
  });

  it("works through the registry client", async () => {
    const client = createRegistryClient({ baseDir: "/" });
    const stats = newStats();
    const registryEndpoint = endpoint(`oci://${registry.host}/charts`, basic);
    const [payments, ledger] = await Promise.all([
      client.listChartVersions(registryEndpoint, "payments", stats),
      client.listChartVersions(registryEndpoint, "ledger", stats),
    ]);
    expect(payments?.map((v) => v.version)).toEqual(NEWEST_FIRST);
    expect(ledger?.map((v) => v.version)).toEqual(["0.1.0"]);
  });
});

/**
 * A small distribution-API fake for what docker-registry 2.8 does not do: pages tag lists by `n`/`last` with
 * Link headers (as Harbor, ECR and GHCR do), and delegates auth to a Bearer token service.
 */
describe("listOciChartVersions against a paging, token-authenticated fake registry", () => {
  const TAGS: Record<string, string[]> = {
    "charts/web": ["1.2.0", "0.9.0", "2.0.0", "1.10.0", "1.1.0_1", "1.0.0"],
    "private/api": ["3.0.0", "1.0.0", "2.0.0"],
  };
  const PAGE_SIZE = 2;
  const STATIC_TOKEN = "configured-static-token";
  let server: TestHttpServer;
  let issued = 0;
  /** Next token response shape: lets a test ask for `access_token` or a short lifetime. */
  let tokenResponse: (token: string) => object = (token) => ({ token, expires_in: 300 });
  let tokenCredentials: string | undefined;

  const challenge = (scope: string) =>
    `Bearer realm="${server.url}/token",service="fake-registry",scope="repository:${scope}:pull"`;

  function handleToken(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (tokenCredentials !== undefined && request.headers.authorization !== tokenCredentials) {
      response.writeHead(401, { "Content-Type": "application/json" }).end('{"details":"bad credentials"}');
      return;
    }
    expect(url.searchParams.get("service")).toBe("fake-registry");
    issued++;
    const token = `tok-${issued}:${url.searchParams.get("scope")}`;
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(tokenResponse(token)));
  }

  function handleTagList(request: IncomingMessage, response: ServerResponse, url: URL, repository: string) {
    const tags = TAGS[repository];
    if (!tags) {
      response
        .writeHead(404, { "Content-Type": "application/json" })
        .end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
      return;
    }
    const authorization = request.headers.authorization ?? "";
    const tokenOk = authorization.startsWith("Bearer tok-") && authorization.endsWith(`:repository:${repository}:pull`);
    if (!tokenOk && authorization !== `Bearer ${STATIC_TOKEN}`) {
      response
        .writeHead(401, { "Content-Type": "application/json", "WWW-Authenticate": challenge(repository) })
        .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const n = Number(url.searchParams.get("n") ?? PAGE_SIZE);
    const last = url.searchParams.get("last");
    const sorted = [...tags].sort();
    const from = last === null ? 0 : sorted.findIndex((tag) => tag > last);
    const page = from === -1 ? [] : sorted.slice(from, from + n);
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const lastOnPage = page.at(-1);
    if (lastOnPage !== undefined && sorted.indexOf(lastOnPage) < sorted.length - 1) {
      headers.Link = `</v2/${repository}/tags/list?n=${n}&last=${encodeURIComponent(lastOnPage)}>; rel="next"`;
    }
    response.writeHead(200, headers).end(JSON.stringify({ name: repository, tags: page }));
  }

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (url.pathname === "/token") return handleToken(request, response, url);
      if (url.pathname === "/v2/loop/web/tags/list") {
        response.writeHead(200, { Link: `<${url.pathname}?last=a>; rel="next"` }).end('{"tags":["a"]}');
        return;
      }
      if (url.pathname === "/v2/escape/web/tags/list") {
        response.writeHead(200, { Link: '<https://elsewhere.example/v2/x/tags/list?last=a>; rel="next"' }).end('{"tags":[]}');
        return;
      }
      const match = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
      if (match?.[1]) return handleTagList(request, response, url, match[1]);
      response.writeHead(404).end();
    });
  });

  afterAll(async () => {
    await server.close();
  });

  const ociUrl = (path: string) => `oci://${server.url.replace("http://", "")}/${path}`;

  it("follows Link headers page by page, gets a token from the realm once, and sorts what it collected", async () => {
    const authCache = createOciAuthCache();
    const stats = newStats();
    const issuedBefore = issued;
    const before = server.requests.length;
    const versions = await listOciChartVersions(endpoint(ociUrl("charts")), "web", { stats, authCache });
    expect(versions?.map((v) => v.version)).toEqual(["2.0.0", "1.10.0", "1.2.0", "1.1.0+1", "1.0.0", "0.9.0"]);
    expect(issued - issuedBefore).toBe(1);
    // 401, token, then 3 pages of 2 tags.
    expect(stats.requests).toBe(5);
    const urls = server.requests.slice(before).map((r) => r.url);
    expect(urls).toEqual([
      "/v2/charts/web/tags/list",
      "/token?service=fake-registry&scope=repository%3Acharts%2Fweb%3Apull",
      "/v2/charts/web/tags/list",
      "/v2/charts/web/tags/list?n=2&last=1.0.0",
      "/v2/charts/web/tags/list?n=2&last=1.10.0",
    ]);

    // Next refresh: the cached token goes along with the first request.
    const again = newStats();
    await listOciChartVersions(endpoint(ociUrl("charts")), "web", { stats: again, authCache });
    expect(again.requests).toBe(3);
    expect(issued - issuedBefore).toBe(1);
  });

  it("fetches the token with the configured basic credentials, and reports the token service refusing them", async () => {
    const basic: RegistryAuth = { type: "basic", username: "robot", password: "Token-pass" };
    tokenCredentials = `Basic ${Buffer.from("robot:Token-pass").toString("base64")}`;
    try {
      const versions = await listOciChartVersions(endpoint(ociUrl("private"), basic), "api", { stats: newStats() });
      expect(versions?.map((v) => v.version)).toEqual(["3.0.0", "2.0.0", "1.0.0"]);

      const wrong: RegistryAuth = { type: "basic", username: "robot", password: "wrong" };
      await expect(
        listOciChartVersions(endpoint(ociUrl("private"), wrong), "api", { stats: newStats() }),
      ).rejects.toThrow(/^authentication failed for registry oci \(HTTP 401\) \(token service\)/);
      await expect(
        listOciChartVersions(endpoint(ociUrl("private")), "api", { stats: newStats() }),
      ).rejects.toMatchObject({ status: 401 });
    } finally {
      tokenCredentials = undefined;
    }
  });

  it("accepts `access_token` and fetches a new token once the old one expires", async () => {
    tokenResponse = (token) => ({ access_token: token, expires_in: 1 });
    try {
      const authCache = createOciAuthCache();
      const issuedBefore = issued;
      await listOciChartVersions(endpoint(ociUrl("private")), "api", { stats: newStats(), authCache });
      // A 1 s lifetime is inside the renewal margin: the next listing must not reuse it.
      await listOciChartVersions(endpoint(ociUrl("private")), "api", { stats: newStats(), authCache });
      expect(issued - issuedBefore).toBe(2);
    } finally {
      tokenResponse = (token) => ({ token, expires_in: 300 });
    }
  });

  it("sends a configured bearer token directly, without asking the token service", async () => {
    const issuedBefore = issued;
    const stats = newStats();
    const bearer: RegistryAuth = { type: "bearer", token: STATIC_TOKEN };
    const versions = await listOciChartVersions(endpoint(ociUrl("charts"), bearer), "web", { stats });
    expect(versions).toHaveLength(6);
    expect(stats.requests).toBe(3);
    expect(issued).toBe(issuedBefore);
  });

  it("returns undefined for an unknown repository", async () => {
    const bearer: RegistryAuth = { type: "bearer", token: STATIC_TOKEN };
    await expect(
      listOciChartVersions(endpoint(ociUrl("charts"), bearer), "missing", { stats: newStats() }),
    ).resolves.toBeUndefined();
  });

  it("stops on endless pagination and on links to another host", async () => {
    await expect(
      listOciChartVersions(endpoint(ociUrl("loop")), "web", { stats: newStats(), maxPages: 5 }),
    ).rejects.toThrow("returned more than 5 pages of tags for web");
    await expect(listOciChartVersions(endpoint(ociUrl("escape")), "web", { stats: newStats() })).rejects.toThrow(
      "pagination link to another host (https://elsewhere.example)",
    );
  });
});
