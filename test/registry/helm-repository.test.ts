import { mkdtemp, rm, stat, utimes, writeFile, mkdir } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchHelmIndex, locateHelmIndex, type HelmIndexCache } from "@/lib/registry/helm-repository";
import { parseHelmIndex } from "@/lib/registry/parse-helm-index";
import type { RegistryAuth, RegistryEndpoint } from "@/lib/registry/types";
import { generateHelmIndex } from "@/test/support/generate-helm-index";
import { startHttpServer, type TestHttpServer } from "@/test/support/start-http-server";
import { newStats, rejectionOf } from "@/test/support/registry-test-helpers";

const INDEX = generateHelmIndex({ charts: 3, versionsPerChart: 4 });
const INDEX_BYTES = Buffer.byteLength(INDEX);
const ETAG = '"index-v1"';
const LAST_MODIFIED = new Date(Date.UTC(2024, 4, 1, 10, 0, 0)).toUTCString();
const PASSWORD = "s3cret-Passw0rd";
const TOKEN = "t0ken-abc";

function endpoint(url: string, auth: RegistryAuth = { type: "none" }): RegistryEndpoint {
  return { name: "charts", url, auth, configured: true };
}

/** What the huge-body route managed to write before the client hung up. */
const huge = { written: 0, closed: false };
const stalled: ServerResponse[] = [];

async function streamUntilClosed(response: ServerResponse): Promise<void> {
  response.writeHead(200, { "Content-Type": "application/x-yaml" });
  const chunk = Buffer.alloc(64 * 1024, "#");
  response.on("close", () => (huge.closed = true));
  while (!huge.closed && huge.written < 512 * 1024 * 1024) {
    huge.written += chunk.length;
    if (!response.write(chunk)) {
      await new Promise((resolve) => {
        response.once("drain", resolve);
        response.once("close", resolve);
      });
    }
  }
  response.end();
}

let server: TestHttpServer;

beforeAll(async () => {
  server = await startHttpServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    const ok = { "Content-Type": "application/x-yaml" };
    switch (pathname) {
      case "/charts/index.yaml":
        if (request.headers["if-none-match"] === ETAG) {
          response.writeHead(304, { ETag: ETAG }).end();
          return;
        }
        response.writeHead(200, { ...ok, ETag: ETAG, "Last-Modified": LAST_MODIFIED }).end(INDEX);
        return;
      case "/dated/index.yaml":
        if (request.headers["if-modified-since"] === LAST_MODIFIED) {
          response.writeHead(304).end();
          return;
        }
        response.writeHead(200, { ...ok, "Last-Modified": LAST_MODIFIED }).end(INDEX);
        return;
      case "/plain/index.yaml":
        response.writeHead(200, ok).end(INDEX);
        return;
      case "/basic/index.yaml":
        if (request.headers.authorization !== `Basic ${Buffer.from(`robot:${PASSWORD}`).toString("base64")}`) {
          response.writeHead(401, { "WWW-Authenticate": 'Basic realm="charts"' }).end("unauthorized");
          return;
        }
        response.writeHead(200, ok).end(INDEX);
        return;
      case "/bearer/index.yaml":
        if (request.headers.authorization !== `Bearer ${TOKEN}`) {
          response.writeHead(401, { "WWW-Authenticate": 'Bearer realm="charts"' }).end("unauthorized");
          return;
        }
        response.writeHead(200, ok).end(INDEX);
        return;
      case "/forbidden/index.yaml":
        response.writeHead(403).end("forbidden");
        return;
      case "/broken/index.yaml":
        response.writeHead(500).end("oops");
        return;
      case "/not-an-index/index.yaml":
        response.writeHead(200, ok).end("<html>login page</html>\n");
        return;
      case "/huge/index.yaml":
        await streamUntilClosed(response);
        return;
      case "/declared-huge/index.yaml":
        response.writeHead(200, { ...ok, "Content-Length": String(100 * 1024 * 1024) });
        response.write("apiVersion: v1\n");
        stalled.push(response);
        return;
      case "/slow/index.yaml":
        stalled.push(response); // never answers
        return;
      case "/slow-body/index.yaml":
        response.writeHead(200, ok);
        response.write("apiVersion: v1\nentries:\n");
        stalled.push(response); // headers, then nothing
        return;
      default:
        response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
});

afterAll(async () => {
  for (const response of stalled) response.destroy();
  await server.close();
});

describe("locateHelmIndex", () => {
  it.each([
    ["https://charts.example.com", "https://charts.example.com/index.yaml"],
    ["https://charts.example.com/", "https://charts.example.com/index.yaml"],
    ["https://charts.example.com/stable", "https://charts.example.com/stable/index.yaml"],
    ["https://charts.example.com/stable/index.yaml", "https://charts.example.com/stable/index.yaml"],
    ["http://charts.example.com/custom.yml", "http://charts.example.com/custom.yml"],
  ])("%s → %s", (url, expected) => {
    expect(locateHelmIndex(url, "/work")).toEqual({ kind: "http", url: expected });
  });

  it("resolves file:// URLs, relative ones against the workspace folder", () => {
    expect(locateHelmIndex("file:///srv/charts", "/work")).toEqual({ kind: "file", path: "/srv/charts" });
    expect(locateHelmIndex("file:///srv/my%20charts/index.yaml", "/work")).toEqual({
      kind: "file",
      path: "/srv/my charts/index.yaml",
    });
    expect(locateHelmIndex("file://./charts", "/work/space")).toEqual({ kind: "file", path: "/work/space/charts" });
    expect(locateHelmIndex("file://../charts", "/work/space")).toEqual({ kind: "file", path: "/work/charts" });
  });

  it("rejects other schemes", () => {
    expect(() => locateHelmIndex("ftp://x/charts", "/work", "legacy")).toThrow(
      expect.objectContaining({ name: "RegistryError", registry: "legacy" }),
    );
  });
});

describe("fetchHelmIndex over HTTP", () => {
  it("downloads and parses the index, then revalidates with If-None-Match: a 304 reuses the parsed index", async () => {
    const cache: HelmIndexCache = new Map();
    const first = newStats();
    const index = await fetchHelmIndex(endpoint(`${server.url}/charts`), { baseDir: "/", stats: first, cache });
    expect(index).toEqual(parseHelmIndex(INDEX));
    expect(first).toEqual({ requests: 1, notModified: 0, bytes: INDEX_BYTES });

    const before = server.requests.length;
    const second = newStats();
    const again = await fetchHelmIndex(endpoint(`${server.url}/charts`), { baseDir: "/", stats: second, cache });
    expect(second).toEqual({ requests: 1, notModified: 1, bytes: 0 });
    // The very same object: nothing was parsed again.
    expect(again).toBe(index);
    const revalidation = server.requests.slice(before);
    expect(revalidation).toHaveLength(1);
    expect(revalidation[0]?.headers["if-none-match"]).toBe(ETAG);
    expect(revalidation[0]?.headers["if-modified-since"]).toBe(LAST_MODIFIED);
  });

  it("revalidates with If-Modified-Since when the server only sends Last-Modified", async () => {
    const cache: HelmIndexCache = new Map();
    await fetchHelmIndex(endpoint(`${server.url}/dated/index.yaml`), { baseDir: "/", stats: newStats(), cache });
    const stats = newStats();
    await fetchHelmIndex(endpoint(`${server.url}/dated/index.yaml`), { baseDir: "/", stats, cache });
    expect(stats).toEqual({ requests: 1, notModified: 1, bytes: 0 });
  });

  it("downloads in full every time when the server gives no validators", async () => {
    const cache: HelmIndexCache = new Map();
    const stats = newStats();
    await fetchHelmIndex(endpoint(`${server.url}/plain`), { baseDir: "/", stats, cache });
    await fetchHelmIndex(endpoint(`${server.url}/plain`), { baseDir: "/", stats, cache });
    expect(stats).toEqual({ requests: 2, notModified: 0, bytes: 2 * INDEX_BYTES });
    expect(cache.size).toBe(0);
  });

  it("sends basic credentials, and without them explains what to set — never echoing the secret", async () => {
    const basic: RegistryAuth = { type: "basic", username: "robot", password: PASSWORD };
    const index = await fetchHelmIndex(endpoint(`${server.url}/basic`, basic), { baseDir: "/", stats: newStats() });
    expect(index.size).toBe(3);

    const failure = fetchHelmIndex(endpoint(`${server.url}/basic`), { baseDir: "/", stats: newStats() });
    await expect(failure).rejects.toThrow(/^authentication failed for registry charts \(HTTP 401\): set auth/);
    await expect(failure).rejects.toMatchObject({ name: "RegistryError", registry: "charts", status: 401 });

    const wrong: RegistryAuth = { type: "basic", username: "robot", password: "wrong-Secret" };
    const error = await rejectionOf(fetchHelmIndex(endpoint(`${server.url}/basic`, wrong), { baseDir: "/", stats: newStats() }));
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).not.toContain("wrong-Secret");
  });

  it("sends a bearer token", async () => {
    const bearer: RegistryAuth = { type: "bearer", token: TOKEN };
    await expect(
      fetchHelmIndex(endpoint(`${server.url}/bearer`, bearer), { baseDir: "/", stats: newStats() }),
    ).resolves.toBeInstanceOf(Map);
    await expect(fetchHelmIndex(endpoint(`${server.url}/bearer`), { baseDir: "/", stats: newStats() })).rejects.toThrow(
      "HTTP 401",
    );
  });

  it("reports 403, 404, other statuses and a body that is not an index", async () => {
    const options = { baseDir: "/", stats: newStats() };
    await expect(fetchHelmIndex(endpoint(`${server.url}/forbidden`), options)).rejects.toThrow(
      /authentication failed for registry charts \(HTTP 403\)/,
    );
    await expect(fetchHelmIndex(endpoint(`${server.url}/missing`), options)).rejects.toThrow(
      `no index.yaml at ${server.url}/missing/index.yaml (HTTP 404)`,
    );
    await expect(fetchHelmIndex(endpoint(`${server.url}/broken`), options)).rejects.toThrow(
      `registry charts answered HTTP 500 for ${server.url}/broken/index.yaml`,
    );
    await expect(fetchHelmIndex(endpoint(`${server.url}/not-an-index`), options)).rejects.toThrow(
      "index.yaml is not a Helm repository index",
    );
  });

  it("stops reading a body that grows past the size limit", async () => {
    const stats = newStats();
    const limit = 256 * 1024;
    await expect(
      fetchHelmIndex(endpoint(`${server.url}/huge`), { baseDir: "/", stats, maxBytes: limit }),
    ).rejects.toThrow("index.yaml of registry charts is larger than the 256 KiB limit");
    // Read no more than one chunk past the limit, and the server was cut off long before its 512 MiB.
    expect(stats.bytes).toBeGreaterThan(limit);
    expect(stats.bytes).toBeLessThan(limit + 1024 * 1024);
    await expect.poll(() => huge.closed).toBe(true);
    expect(huge.written).toBeLessThan(32 * 1024 * 1024);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const stats = newStats();
    await expect(
      fetchHelmIndex(endpoint(`${server.url}/declared-huge`), { baseDir: "/", stats, maxBytes: 1024 * 1024 }),
    ).rejects.toThrow("larger than the 1 MiB limit");
    expect(stats.bytes).toBe(0);
  });

  it("times out on a server that does not answer, or stops sending", async () => {
    const started = Date.now();
    await expect(
      fetchHelmIndex(endpoint(`${server.url}/slow`), { baseDir: "/", stats: newStats(), timeoutMs: 200 }),
    ).rejects.toThrow(`registry charts did not answer within 200 ms (${server.url}/slow/index.yaml)`);
    await expect(
      fetchHelmIndex(endpoint(`${server.url}/slow-body`), { baseDir: "/", stats: newStats(), timeoutMs: 200 }),
    ).rejects.toThrow("did not answer within 200 ms");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("names the cause when the registry cannot be reached", async () => {
    const closed = await startHttpServer(() => undefined);
    await closed.close();
    await expect(fetchHelmIndex(endpoint(closed.url), { baseDir: "/", stats: newStats() })).rejects.toThrow(
      new RegExp(`^cannot reach registry charts at ${closed.url}/index.yaml: .*ECONNREFUSED`),
    );
  });
});

describe("fetchHelmIndex from file://", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slipway-file-registry-"));
    await mkdir(join(dir, "repo"));
    await writeFile(join(dir, "repo", "index.yaml"), INDEX);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a folder relative to the workspace; unchanged files are not read again; touched ones are", async () => {
    const cache: HelmIndexCache = new Map();
    const registry = endpoint("file://./repo");
    const first = newStats();
    const index = await fetchHelmIndex(registry, { baseDir: dir, stats: first, cache });
    expect(index).toEqual(parseHelmIndex(INDEX));
    expect(first).toEqual({ requests: 1, notModified: 0, bytes: INDEX_BYTES });

    const second = newStats();
    expect(await fetchHelmIndex(registry, { baseDir: dir, stats: second, cache })).toBe(index);
    expect(second).toEqual({ requests: 1, notModified: 1, bytes: 0 });

    // Same content, new mtime: read again.
    const path = join(dir, "repo", "index.yaml");
    const { mtime } = await stat(path);
    await utimes(path, mtime, new Date(mtime.getTime() + 5000));
    const third = newStats();
    const reread = await fetchHelmIndex(registry, { baseDir: dir, stats: third, cache });
    expect(third).toEqual({ requests: 1, notModified: 0, bytes: INDEX_BYTES });
    expect(reread).not.toBe(index);
    expect(reread).toEqual(index);

    // New content.
    await writeFile(path, "apiVersion: v1\nentries:\n  only:\n  - version: 9.0.0\n");
    const fourth = newStats();
    expect([...(await fetchHelmIndex(registry, { baseDir: dir, stats: fourth, cache })).keys()]).toEqual(["only"]);
    expect(fourth.notModified).toBe(0);
    await writeFile(path, INDEX);
  });

  it("reads an absolute folder or the index file itself", async () => {
    const stats = newStats();
    await expect(fetchHelmIndex(endpoint(`file://${dir}/repo`), { baseDir: "/", stats })).resolves.toBeInstanceOf(Map);
    await expect(
      fetchHelmIndex(endpoint(`file://${dir}/repo/index.yaml`), { baseDir: "/", stats }),
    ).resolves.toBeInstanceOf(Map);
  });

  it("reports a missing index and one over the size limit", async () => {
    await expect(fetchHelmIndex(endpoint("file://./nowhere"), { baseDir: dir, stats: newStats() })).rejects.toThrow(
      `no index.yaml at ${join(dir, "nowhere")}`,
    );
    await expect(fetchHelmIndex(endpoint("file://./empty-dir-missing-index"), { baseDir: dir, stats: newStats() }))
      .rejects.toMatchObject({ status: 404 });
    await expect(
      fetchHelmIndex(endpoint("file://./repo"), { baseDir: dir, stats: newStats(), maxBytes: 100 }),
    ).rejects.toThrow("larger than the 100 bytes limit");
  });
});
