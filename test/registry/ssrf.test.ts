import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { secretsFrom } from "@/lib/config/environment";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { workspaceConfigSchema } from "@/lib/config/schema";
import type { GitProvider } from "@/lib/git/git-provider";
import { readEnvironmentStatus } from "@/lib/releases/read-environment-status";
import { createRegistryClient } from "@/lib/registry/registry-client";
import type { RegistryEndpoint } from "@/lib/registry/types";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { newStats, rejectionOf } from "@/test/support/registry-test-helpers";

/**
 * Chart.yaml is input from anyone who can push to a stack repository. These tests hold the registry client to
 * what network-policy.ts promises, against real servers on 127.0.0.1 that count every connection: a refused
 * target must not even see a TCP handshake.
 */

const INDEX = "apiVersion: v1\nentries:\n  web:\n  - version: 1.0.0\n  - version: 1.1.0\n";

interface CountingServer {
  url: string;
  host: string;
  port: number;
  /** TCP connections accepted, whatever came over them (a TLS hello to this plain server too). */
  connections: number;
  requests: { url: string; authorization?: string }[];
  close(): Promise<void>;
}

const servers: CountingServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<CountingServer> {
  const server = createServer((request, response) => {
    counting.requests.push({ url: request.url ?? "/", authorization: request.headers.authorization });
    handler(request, response);
  });
  const counting: CountingServer = {
    url: "",
    host: "",
    port: 0,
    connections: 0,
    requests: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on("connection", () => counting.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  counting.port = (server.address() as AddressInfo).port;
  counting.host = `127.0.0.1:${counting.port}`;
  counting.url = `http://${counting.host}`;
  servers.push(counting);
  return counting;
}

const serveIndex = (_request: IncomingMessage, response: ServerResponse) => response.writeHead(200).end(INDEX);

/** The registries of a slipway.yaml as the app resolves them: marked configured. */
function configuredEndpoints(registries: { name: string; url: string }[], extra: object = {}): RegistryEndpoint[] {
  return resolveRegistryEndpoints(configOf(registries, extra), secretsFrom(process.env)).endpoints;
}

function configOf(registries: { name: string; url: string }[], extra: object = {}) {
  return workspaceConfigSchema.parse({ registries, environments: [{ name: "dev", repo: "stack" }], ...extra });
}

/** A stack repository holding one Chart.yaml: all readEnvironmentStatus asks of git. */
function stackWithChart(chartYaml: string): GitProvider {
  const git: Pick<GitProvider, "kind" | "branchHead" | "readFiles"> = {
    kind: "test",
    branchHead: async () => ({ sha: "0".repeat(40), date: new Date() }),
    readFiles: async (_repo, _sha, paths) => new Map(paths.map((p) => [p, p === "Chart.yaml" ? chartYaml : undefined])),
  };
  return git as GitProvider;
}

function chartNaming(repository: string): string {
  return `apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n  - name: web\n    version: 1.0.0\n    repository: "${repository}"\n`;
}

async function statusOfChartNaming(repository: string, extra: object = {}) {
  const config = configOf([], extra);
  const env = config.environments[0]!;
  const status = await readEnvironmentStatus(env, {
    config,
    git: stackWithChart(chartNaming(repository)),
    registries: createRegistryClient({ baseDir: "/", timeoutMs: 5_000 }),
    endpoints: resolveRegistryEndpoints(config, secretsFrom(process.env)).endpoints,
    stats: newStats(),
  });
  expect(status.error).toBeUndefined();
  return status.services[0]!;
}

describe("a repository only a Chart.yaml names", () => {
  it("is not requested at all by default: the service says to configure it", async () => {
    const target = await startServer(serveIndex);
    for (const repository of [`${target.url}/charts`, `oci://${target.host}/charts`]) {
      const service = await statusOfChartNaming(repository);
      expect(service.error).toMatch(/is not among the registries in slipway\.yaml: add it under registries/);
      expect(service.version.status).toBe("unknown");
      expect(service.version.badge.label).toBe("registry not configured");
    }
    expect(target.connections).toBe(0);
  });

  it("with followUnknownRegistries, is still not requested over plain http", async () => {
    const target = await startServer(serveIndex);
    const optIn = { registryPolicy: { followUnknownRegistries: true } };
    const helm = await statusOfChartNaming(`${target.url}/charts`, optIn);
    expect(helm.error).toMatch(/unlisted registries are read over https only/);
    // An OCI registry on loopback is spoken to over http: refused before connecting.
    const oci = await statusOfChartNaming(`oci://${target.host}/charts`, optIn);
    expect(oci.error).toMatch(/refused: registries that are not in slipway\.yaml are read over https only/);
    expect(target.connections).toBe(0);
  });

  it("with followUnknownRegistries, is refused before connecting when https leads to a loopback address", async () => {
    const open = await startServer(serveIndex);
    const optIn = { registryPolicy: { followUnknownRegistries: true } };
    for (const host of ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"]) {
      const service = await statusOfChartNaming(`https://${host}:${open.port}/charts`, optIn);
      expect(service.error).toMatch(
        /refused: (127\.0\.0\.1|localhost|\[::ffff:7f00:1\]) resolves to a loopback address; configure the registry in slipway\.yaml to allow it/,
      );
    }
    expect(open.connections).toBe(0);

    // Nothing tells an open port from a closed one: no connection is attempted, so no ECONNREFUSED either.
    const closed = await startServer(serveIndex);
    const closedPort = closed.port;
    await closed.close();
    const onOpen = await statusOfChartNaming(`https://localhost:${open.port}/charts`, optIn);
    const onClosed = await statusOfChartNaming(`https://localhost:${closedPort}/charts`, optIn);
    expect(onClosed.error?.replaceAll(String(closedPort), "PORT")).toBe(onOpen.error?.replaceAll(String(open.port), "PORT"));
  });
});

describe("redirects from a configured registry", () => {
  it("follow a redirect on the registry's own host", async () => {
    const registry = await startServer((request, response) => {
      if (request.url === "/old/index.yaml") response.writeHead(302, { Location: "/new/index.yaml" }).end();
      else if (request.url === "/new/index.yaml") serveIndex(request, response);
      else response.writeHead(404).end();
    });
    const [endpoint] = configuredEndpoints([{ name: "charts", url: `${registry.url}/old` }]);
    const stats = newStats();
    const versions = await createRegistryClient({ baseDir: "/" }).listChartVersions(endpoint!, "web", stats);
    expect(versions?.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(registry.requests.map((r) => r.url)).toEqual(["/old/index.yaml", "/new/index.yaml"]);
    expect(stats.requests).toBe(2);
  });

  it("refuse a hop to another host on a loopback address, by IP or by name, before it is contacted", async () => {
    const elsewhere = await startServer(serveIndex);
    for (const target of [elsewhere.url, `http://localhost:${elsewhere.port}`]) {
      const registry = await startServer((_request, response) => {
        response.writeHead(301, { Location: `${target}/index.yaml` }).end();
      });
      const [endpoint] = configuredEndpoints([{ name: "charts", url: registry.url }]);
      const error = await rejectionOf(createRegistryClient({ baseDir: "/" }).listChartVersions(endpoint!, "web", newStats()));
      expect(error.message).toMatch(/resolves to a loopback address; configure the registry in slipway\.yaml to allow it/);
      expect(registry.requests).toHaveLength(1);
    }
    expect(elsewhere.connections).toBe(0);
  });

  it("may go to another configured registry's host, without the first registry's credentials", async () => {
    const cdn = await startServer(serveIndex);
    const registry = await startServer((_request, response) => {
      response.writeHead(307, { Location: `${cdn.url}/index.yaml` }).end();
    });
    const endpoints = resolveRegistryEndpoints(
      workspaceConfigSchema.parse({
        registries: [
          { name: "charts", url: registry.url, auth: { bearer: { tokenEnv: "CHARTS_TOKEN" } } },
          { name: "mirror", url: cdn.url },
        ],
        environments: [{ name: "dev", repo: "stack" }],
      }),
      secretsFrom({ CHARTS_TOKEN: "secret-token" }),
    ).endpoints;
    const versions = await createRegistryClient({ baseDir: "/" }).listChartVersions(endpoints[0]!, "web", newStats());
    expect(versions).toHaveLength(2);
    expect(registry.requests[0]?.authorization).toBe("Bearer secret-token");
    expect(cdn.requests).toEqual([{ url: "/index.yaml", authorization: undefined }]);
  });

  it("stop after five", async () => {
    let hops = 0;
    const registry = await startServer((_request, response) => {
      response.writeHead(302, { Location: `/hop-${++hops}` }).end();
    });
    const [endpoint] = configuredEndpoints([{ name: "charts", url: registry.url }]);
    const error = await rejectionOf(createRegistryClient({ baseDir: "/" }).listChartVersions(endpoint!, "web", newStats()));
    expect(error.message).toMatch(/registry charts redirected more than 5 times/);
    expect(registry.requests).toHaveLength(6);
  });
});

describe("an OCI registry's token realm", () => {
  /** A registry that answers every tag list with a Bearer challenge naming `realm`, and hands out tokens itself. */
  async function challengingRegistry(realm: (self: CountingServer) => string): Promise<CountingServer> {
    const registry: CountingServer = await startServer((request, response) => {
      if (request.url?.startsWith("/token")) {
        response.writeHead(200, { "Content-Type": "application/json" }).end('{"token":"t"}');
      } else if (request.headers.authorization === "Bearer t") {
        response.writeHead(200, { "Content-Type": "application/json" }).end('{"tags":["1.0.0"]}');
      } else {
        response
          .writeHead(401, { "WWW-Authenticate": `Bearer realm="${realm(registry)}",service="test"` })
          .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      }
    });
    return registry;
  }

  it("is refused on an unconfigured loopback host, by IP or by name, before it is contacted", async () => {
    const tokenService = await startServer((_request, response) => response.writeHead(200).end('{"token":"t"}'));
    for (const realm of [`${tokenService.url}/token`, `http://localhost:${tokenService.port}/token`]) {
      const registry = await challengingRegistry(() => realm);
      const [endpoint] = configuredEndpoints([{ name: "oci", url: `oci://${registry.host}/charts` }]);
      const error = await rejectionOf(createRegistryClient({ baseDir: "/" }).listChartVersions(endpoint!, "web", newStats()));
      expect(error.message).toMatch(/resolves to a loopback address; configure the registry in slipway\.yaml to allow it/);
    }
    expect(tokenService.connections).toBe(0);
  });

  it("is used on the registry's own host", async () => {
    const registry = await challengingRegistry((self) => `${self.url}/token`);
    const [endpoint] = configuredEndpoints([{ name: "oci", url: `oci://${registry.host}/charts` }]);
    expect(await createRegistryClient({ baseDir: "/" }).listChartVersions(endpoint!, "web", newStats())).toEqual([
      { version: "1.0.0", deprecated: false },
    ]);
  });
});

describe("a configured registry whose credentials are missing", () => {
  it("is not requested, and its charts name the missing variable rather than calling it unconfigured", async () => {
    const registry = await startServer(serveIndex);
    const config = configOf([]);
    config.registries.push({ name: "charts", url: registry.url, auth: { bearer: { tokenEnv: "SLIPWAY_TEST_UNSET_TOKEN" } } });
    const { endpoints, failures } = resolveRegistryEndpoints(config, secretsFrom({}));
    expect(failures).toEqual([{ registry: "charts", error: expect.stringContaining("SLIPWAY_TEST_UNSET_TOKEN is not set") }]);
    const status = await readEnvironmentStatus(config.environments[0]!, {
      config,
      git: stackWithChart(chartNaming(registry.url)),
      registries: createRegistryClient({ baseDir: "/", timeoutMs: 5_000 }),
      endpoints,
      stats: newStats(),
    });
    const service = status.services[0]!;
    expect(service.error).toMatch(/environment variable SLIPWAY_TEST_UNSET_TOKEN is not set/);
    expect(service.version.badge.label).toBe("registry unavailable");
    expect(registry.connections).toBe(0);
  });
});
