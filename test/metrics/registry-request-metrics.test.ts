import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryRequestsCounter } from "@/lib/metrics/registry-request-metrics";
import { fetchHelmIndex, type HelmIndexCache } from "@/lib/registry/helm-repository";
import type { RegistryEndpoint } from "@/lib/registry/types";
import { generateHelmIndex } from "@/test/support/generate-helm-index";
import { newStats, rejectionOf } from "@/test/support/registry-test-helpers";
import { startHttpServer, type TestHttpServer } from "@/test/support/start-http-server";

const INDEX = generateHelmIndex({ charts: 2, versionsPerChart: 3 });
const ETAG = '"v1"';

let server: TestHttpServer;
const stalled: ServerResponse[] = [];

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    switch (pathname) {
      case "/charts/index.yaml":
        if (request.headers["if-none-match"] === ETAG) return void response.writeHead(304, { ETag: ETAG }).end();
        return void response.writeHead(200, { "Content-Type": "application/x-yaml", ETag: ETAG }).end(INDEX);
      case "/moved/index.yaml":
        return void response.writeHead(302, { Location: "/charts/index.yaml" }).end();
      case "/broken/index.yaml":
        return void response.writeHead(503).end("maintenance");
      case "/slow/index.yaml":
        // Headers never come: the client's timeout ends it.
        stalled.push(response);
        return;
      default:
        return void response.writeHead(404).end("not found");
    }
  });
});
afterAll(async () => {
  for (const response of stalled) response.destroy();
  await server?.close();
});

function endpoint(name: string, path: string): RegistryEndpoint {
  return { name, url: `${server.url}${path}`, auth: { type: "none" }, configured: true };
}

async function count(registry: string, outcome: string): Promise<number> {
  const { values } = await registryRequestsCounter().get();
  return values.find((v) => v.labels.registry === registry && v.labels.outcome === outcome)?.value ?? 0;
}

describe("registry requests in /metrics", () => {
  it("counts a download as ok and its revalidation as not_modified, per registry", async () => {
    const cache: HelmIndexCache = new Map();
    await fetchHelmIndex(endpoint("counted", "/charts"), { baseDir: "/", stats: newStats(), cache });
    expect(await count("counted", "ok")).toBe(1);
    expect(await count("counted", "not_modified")).toBe(0);

    await fetchHelmIndex(endpoint("counted", "/charts"), { baseDir: "/", stats: newStats(), cache });
    expect(await count("counted", "ok")).toBe(1);
    expect(await count("counted", "not_modified")).toBe(1);
    expect(await count("other", "ok")).toBe(0);
  });

  it("counts each redirect hop", async () => {
    await fetchHelmIndex(endpoint("moving", "/moved"), { baseDir: "/", stats: newStats() });
    expect(await count("moving", "redirect")).toBe(1);
    expect(await count("moving", "ok")).toBe(1);
  });

  it("counts client and server errors by their status class", async () => {
    await rejectionOf(fetchHelmIndex(endpoint("failing", "/missing"), { baseDir: "/", stats: newStats() }));
    await rejectionOf(fetchHelmIndex(endpoint("failing", "/broken"), { baseDir: "/", stats: newStats() }));
    expect(await count("failing", "client_error")).toBe(1);
    expect(await count("failing", "server_error")).toBe(1);
  });

  it("counts a request that got no answer in time as a timeout", async () => {
    const error = await rejectionOf(fetchHelmIndex(endpoint("slow", "/slow"), { baseDir: "/", stats: newStats(), timeoutMs: 300 }));
    expect(error.message).toContain("did not answer within");
    expect(await count("slow", "timeout")).toBe(1);
  });

  it("counts a refused connection as a network error", async () => {
    const closed = await startHttpServer(() => undefined);
    const url = `${closed.url}/index.yaml`;
    await closed.close();
    const gone: RegistryEndpoint = { name: "gone", url, auth: { type: "none" }, configured: true };
    await rejectionOf(fetchHelmIndex(gone, { baseDir: "/", stats: newStats() }));
    expect(await count("gone", "network_error")).toBe(1);
  });

  it("counts nothing for a request the network policy refused, since nothing was sent", async () => {
    const unlisted: RegistryEndpoint = { name: `${server.url}/charts`, url: `${server.url}/charts`, auth: { type: "none" } };
    const before = (await registryRequestsCounter().get()).values.reduce((sum, v) => sum + v.value, 0);
    const requestsBefore = server.requests.length;
    await rejectionOf(fetchHelmIndex(unlisted, { baseDir: "/", stats: newStats() }));
    expect(server.requests.length).toBe(requestsBefore);
    const { values } = await registryRequestsCounter().get();
    expect(values.reduce((sum, v) => sum + v.value, 0)).toBe(before);
    // Unlisted registries never show up by URL (see the route test for their shared "unlisted" label).
    expect(values.some((v) => String(v.labels.registry).includes("127.0.0.1"))).toBe(false);
  });
});
