import { mkdtemp, rm } from "node:fs/promises";
import { secretsFrom } from "@/lib/config/environment";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadWorkspaceConfig, type Workspace } from "../config/load-workspace-config";
import { createLocalGitProvider } from "../git/local/local-git-provider";
import { createRegistryClient } from "../registry/registry-client";
import { RegistryError } from "../registry/types";
import { readEnvironmentStatus, type ChartVersionLookup, type ReadEnvironmentContext } from "../releases/read-environment-status";
import type { EnvironmentStatus } from "../releases/environment-status";
import { resolveRegistryEndpoints } from "../snapshots/resolve-registry-endpoints";
import { createDemoWorkspace } from "./create-demo-workspace";
import { DEMO_ENVIRONMENTS, DEMO_UNREACHABLE_OCI } from "./demo-spec";

/**
 * The demo read by the real pipeline (local git, file registry, chart reader, status rules) shows exactly what
 * demo-spec.ts promises, which is what the browser tests assert.
 */

const NOW = new Date("2026-10-01T12:00:00.000Z");
let root: string;
let workspace: Workspace;
const statuses = new Map<string, EnvironmentStatus>();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-demo-status-"));
  const { configPath } = await createDemoWorkspace(root, { now: NOW });
  workspace = loadWorkspaceConfig(configPath);
  const client = createRegistryClient({ baseDir: workspace.baseDir, timeoutMs: 5_000 });
  // registry.demo.invalid never resolves; failing here keeps the test fast and independent of the machine's DNS.
  const registries: ChartVersionLookup = {
    listChartVersions: (endpoint, chart, stats) =>
      endpoint.url.startsWith(DEMO_UNREACHABLE_OCI)
        ? Promise.reject(new RegistryError(`cannot reach registry ${endpoint.url}`, endpoint.name))
        : client.listChartVersions(endpoint, chart, stats),
  };
  const ctx: ReadEnvironmentContext = {
    config: workspace.config,
    git: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, ".cache") }),
    registries,
    endpoints: resolveRegistryEndpoints(workspace.config, secretsFrom(process.env)).endpoints,
    stats: { requests: 0, notModified: 0, bytes: 0 },
    now: () => NOW,
  };
  for (const env of workspace.config.environments) statuses.set(env.name, await readEnvironmentStatus(env, ctx));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("demo workspace read by the status pipeline", () => {
  for (const env of DEMO_ENVIRONMENTS.filter((e) => !e.broken)) {
    it(`shows the expected status for every service in ${env.name}`, () => {
      const status = statuses.get(env.name)!;
      expect(status.error).toBeUndefined();
      expect(status.services.map((s) => s.service)).toEqual(env.pins.map((p) => p.alias ?? p.chart));
      for (const pin of env.pins) {
        const service = status.services.find((s) => s.service === (pin.alias ?? pin.chart))!;
        const e = pin.expect;
        const actual = {
          service: service.service,
          status: service.version.status,
          running: service.running,
          unpinned: service.unpinned,
          ...(e.latest !== undefined && { latest: service.version.latest }),
          ...(e.releasesBehind !== undefined && { releasesBehind: service.version.releasesBehind, step: service.version.step }),
        };
        expect(actual).toEqual({
          service: service.service,
          status: e.status,
          running: e.status === "unparseable" ? undefined : e.running,
          unpinned: e.unpinned === true,
          ...(e.latest !== undefined && { latest: e.latest }),
          ...(e.releasesBehind !== undefined && { releasesBehind: e.releasesBehind, step: e.step }),
        });
        expect(service.imageTag).toBe(env.readImageTags ? env.imageTags?.[service.service] : undefined);
      }
    });
  }

  it("shows the sandbox's broken chart as the environment's error", () => {
    expect(statuses.get("sandbox")!.error).toMatch(/Chart\.yaml is not valid YAML/);
  });
});
