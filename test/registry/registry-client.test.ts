import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryClient } from "@/lib/registry/registry-client";
import type { RegistryEndpoint } from "@/lib/registry/types";
import { startHttpServer, type TestHttpServer } from "@/test/support/start-http-server";
import { newStats } from "@/test/support/registry-test-helpers";

const INDEX = `apiVersion: v1
entries:
  web:
  - version: 1.2.0
  - version: 1.10.0
  - version: 1.9.0
    deprecated: true
  api:
  - version: 0.1.0
`;
const ETAG = '"v1"';

let server: TestHttpServer;
let dir: string;

beforeAll(async () => {
  server = await startHttpServer(async (request, response) => {
    if (request.url !== "/index.yaml") {
      response.writeHead(404).end();
      return;
    }
    if (request.headers["if-none-match"] === ETAG) {
      response.writeHead(304).end();
      return;
    }
    // Slow enough that the concurrent callers all arrive while the download is running.
    await new Promise((resolve) => setTimeout(resolve, 50));
    response.writeHead(200, { ETag: ETAG }).end(INDEX);
  });
  dir = await mkdtemp(join(tmpdir(), "slipway-registry-client-"));
  await writeFile(join(dir, "index.yaml"), INDEX);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("createRegistryClient", () => {
  // Configured, as in slipway.yaml: only a configured registry may live on 127.0.0.1 (network-policy.ts).
  const http: RegistryEndpoint = { name: "charts", url: "", auth: { type: "none" }, configured: true };

  it("downloads an index once for 80 concurrent charts, and revalidates it on the next refresh", async () => {
    const client = createRegistryClient({ baseDir: dir });
    const endpoint = { ...http, url: server.url };
    const before = server.requests.length;
    const stats = newStats();
    const charts = Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? "web" : "api"));
    const results = await Promise.all(charts.map((chart) => client.listChartVersions(endpoint, chart, stats)));
    expect(server.requests.length - before).toBe(1);
    expect(stats.requests).toBe(1);
    expect(results[0]?.map((v) => v.version)).toEqual(["1.10.0", "1.9.0", "1.2.0"]);
    expect(results[1]?.map((v) => v.version)).toEqual(["0.1.0"]);
    // Each caller gets its own array.
    expect(results[0]).not.toBe(results[2]);

    const refresh = newStats();
    await client.listChartVersions(endpoint, "web", refresh);
    expect(refresh).toEqual({ requests: 1, notModified: 1, bytes: 0 });
  });

  it("returns undefined for a chart the registry does not publish", async () => {
    const client = createRegistryClient({ baseDir: dir });
    await expect(client.listChartVersions({ ...http, url: server.url }, "nope", newStats())).resolves.toBeUndefined();
  });

  it("reads file registries relative to the workspace folder, and exposes the whole index", async () => {
    const client = createRegistryClient({ baseDir: dir });
    const endpoint = { ...http, url: "file://." };
    const index = await client.loadIndex(endpoint, newStats());
    expect([...index.keys()]).toEqual(["web", "api"]);
    // Index order is kept by loadIndex; listChartVersions sorts.
    expect(index.get("web")?.map((v) => v.version)).toEqual(["1.2.0", "1.10.0", "1.9.0"]);
    const stats = newStats();
    await client.listChartVersions(endpoint, "web", stats);
    expect(stats.notModified).toBe(1);
  });

  it("shares one failure among concurrent callers and tries again afterwards", async () => {
    const client = createRegistryClient({ baseDir: dir });
    const endpoint = { ...http, url: `${server.url}/missing` };
    const before = server.requests.length;
    const stats = newStats();
    const results = await Promise.allSettled([1, 2, 3].map(() => client.listChartVersions(endpoint, "web", stats)));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(server.requests.length - before).toBe(1);
    await expect(client.listChartVersions(endpoint, "web", stats)).rejects.toThrow("no index.yaml at");
    expect(server.requests.length - before).toBe(2);
  });

  it("has no index for OCI registries", async () => {
    const client = createRegistryClient({ baseDir: dir });
    await expect(
      client.loadIndex({ name: "ghcr", url: "oci://ghcr.io/acme", auth: { type: "none" } }, newStats()),
    ).rejects.toThrow("registry ghcr is an OCI registry: it has no index.yaml");
  });

  it("applies the configured size limit", async () => {
    const client = createRegistryClient({ baseDir: dir, maxIndexBytes: 10 });
    await expect(client.loadIndex({ ...http, url: "file://." }, newStats())).rejects.toThrow("larger than the 10 bytes limit");
  });
});
