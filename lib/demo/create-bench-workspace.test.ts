import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { devNull, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { workspaceConfigSchema, type WorkspaceConfig } from "../config/schema";
import { createBenchWorkspace } from "./create-bench-workspace";

// The real benchmark is 50 environments, 80 services and 20 MB; the shape is the same at any size.
const OPTIONS = { environments: 14, services: 12, indexBytes: 1_500_000, now: new Date("2026-10-01T12:00:00Z") };

let root: string;
let configPath: string;
let config: WorkspaceConfig;

const git = (repo: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: devNull } }).trim();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-bench-"));
  configPath = await createBenchWorkspace(root, OPTIONS);
  config = workspaceConfigSchema.parse(parse(await readFile(configPath, "utf8")));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("createBenchWorkspace", () => {
  it("writes a valid config with the requested environments and services", () => {
    expect(config.environments).toHaveLength(OPTIONS.environments);
    expect(Object.keys(config.services)).toHaveLength(OPTIONS.services);
    // Both layouts: repositories of their own and repositories shared through branches.
    const repos = new Map<string, number>();
    for (const env of config.environments) repos.set(env.repo, (repos.get(env.repo) ?? 0) + 1);
    expect([...repos.values()].some((n) => n === 1)).toBe(true);
    expect([...repos.values()].some((n) => n > 1)).toBe(true);
  });

  it("writes an index of about the requested size holding every service chart", async () => {
    const file = path.join(root, "registry", "index.yaml");
    const size = (await stat(file)).size;
    expect(size).toBeGreaterThanOrEqual(OPTIONS.indexBytes);
    expect(size).toBeLessThan(OPTIONS.indexBytes * 1.5);
    const index = parse(await readFile(file, "utf8")) as { entries: Record<string, Array<{ version: string }>> };
    for (const service of Object.values(config.services)) expect(index.entries[service.chart!]?.length).toBeGreaterThan(20);
  });

  it("pins every service in every environment, with a lock", () => {
    for (const env of config.environments) {
      const dir = path.resolve(root, env.repo);
      const prefix = env.path ? `${env.path}/` : "";
      const chart = parse(git(dir, "show", `${env.branch}:${prefix}Chart.yaml`)) as { dependencies: Array<{ name: string }> };
      const lock = parse(git(dir, "show", `${env.branch}:${prefix}Chart.lock`)) as { dependencies: Array<{ name: string }> };
      expect(chart.dependencies.map((d) => d.name).sort()).toEqual(Object.keys(config.services).sort());
      expect(lock.dependencies).toHaveLength(OPTIONS.services);
      expect(Number(git(dir, "rev-list", "--count", env.branch))).toBeGreaterThanOrEqual(2);
    }
  });

  it("reuses a workspace built with the same options and rebuilds for others", async () => {
    const index = path.join(root, "registry", "index.yaml");
    const before = (await stat(index)).mtimeMs;
    expect(await createBenchWorkspace(root, OPTIONS)).toBe(configPath);
    expect((await stat(index)).mtimeMs).toBe(before);
    await createBenchWorkspace(root, { ...OPTIONS, environments: 3 });
    const smaller = workspaceConfigSchema.parse(parse(await readFile(configPath, "utf8")));
    expect(smaller.environments).toHaveLength(3);
  });
});
