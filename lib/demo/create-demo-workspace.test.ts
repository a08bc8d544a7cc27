import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { devNull, tmpdir } from "node:os";
import path from "node:path";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { workspaceConfigSchema } from "../config/schema";
import { createDemoWorkspace } from "./create-demo-workspace";
import { DEMO_ENVIRONMENTS, DEMO_SERVICES, DEMO_UNREACHABLE_OCI, type DemoCellStatus, type DemoEnvironment, type DemoPin } from "./demo-spec";
import { tagName } from "./service-repo-history";

const NOW = new Date("2026-10-01T12:00:00.000Z");
const DAY_MS = 86_400_000;

let root: string;
let configPath: string;

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: devNull },
  }).trim();
}

const stackDir = (env: DemoEnvironment): string => path.join(root, "repos", "stacks", env.stackRepo);
const showFile = (env: DemoEnvironment, file: string, rev = env.branch): string =>
  git(stackDir(env), "show", `${rev}:${env.path ? `${env.path}/` : ""}${file}`);

interface IndexVersion {
  version: string;
  created: string;
  deprecated?: boolean;
  digest: string;
  urls: string[];
  name: string;
}
let index: { apiVersion: string; entries: Record<string, IndexVersion[]>; generated: string };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-demo-"));
  const result = await createDemoWorkspace(root, { now: NOW });
  expect(result.created).toBe(true);
  configPath = result.configPath;
  index = parse(await readFile(path.join(root, "registry", "index.yaml"), "utf8"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("createDemoWorkspace", () => {
  it("writes a slipway.yaml that the workspace schema accepts", async () => {
    const config = workspaceConfigSchema.parse(parse(await readFile(configPath, "utf8")));
    expect(configPath).toBe(path.join(root, "slipway.yaml"));
    expect(config.registries).toEqual([
      { name: "demo", url: "file://./registry" },
      { name: "partner", url: DEMO_UNREACHABLE_OCI },
    ]);
    expect(config.environments.map((e) => e.name)).toEqual(DEMO_ENVIRONMENTS.map((e) => e.name));
    for (const s of DEMO_SERVICES) {
      expect(config.services[s.key]).toMatchObject({ chart: s.chart, repo: `./repos/services/${s.key}`, tagPattern: s.tagPattern });
    }
    const dev = config.environments.find((e) => e.name === "shop-dev");
    expect(dev).toMatchObject({ repo: "./repos/stacks/shop", branch: "main", path: "stack", includePrereleases: true, groups: { brand: "shop", team: "web" } });
    expect(config.environments.find((e) => e.name === "payments-eu")?.readImageTags).toBe(true);
    // The config doubles as an example: it keeps its comments.
    expect(await readFile(configPath, "utf8")).toMatch(/^# Slipway workspace configuration/);
  });

  it("creates every environment branch", () => {
    for (const env of DEMO_ENVIRONMENTS) {
      expect(git(stackDir(env), "rev-parse", "--verify", `refs/heads/${env.branch}`)).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(git(path.join(root, "repos", "stacks", "shop"), "branch", "--format=%(refname:short)").split("\n").sort()).toEqual([
      "main",
      "release/production",
      "release/staging",
    ]);
  });

  it("tags every published release in the service repositories, following each tag pattern", () => {
    for (const service of DEMO_SERVICES) {
      const repo = path.join(root, "repos", "services", service.key);
      const tags = git(repo, "tag", "--list").split("\n").sort();
      expect(tags).toEqual(service.releases.map((r) => tagName(service, r.version)).sort());
      const latest = service.releases.at(-1)!;
      const kind = git(repo, "cat-file", "-t", `refs/tags/${tagName(service, latest.version)}`);
      expect(kind).toBe(service.tagStyle === "annotated" ? "tag" : "commit");
    }
    expect(git(path.join(root, "repos", "services", "gateway"), "rev-parse", "--verify", "refs/tags/release-4.2.0^{commit}")).toMatch(/^[0-9a-f]{40}$/);
    expect(git(path.join(root, "repos", "services", "pricing"), "rev-parse", "--verify", "refs/tags/1.4.1^{commit}")).toMatch(/^[0-9a-f]{40}$/);
  });

  it("writes commit messages with Jira keys in several forms, dated in the past", () => {
    const log = git(path.join(root, "repos", "services", "payments"), "log", "--format=%s%n%b%x00%ct");
    expect(log).toMatch(/^PAY-\d+: /m);
    expect(log).toMatch(/^\[PAY-\d+\] /m);
    expect(log).toMatch(/^PAY-\d+ PAY-\d+ /m);
    for (const line of log.split("\0").slice(0, -1)) {
      const seconds = Number(line.trim().split("\n").at(-1));
      if (Number.isFinite(seconds) && seconds > 1e9) expect(seconds * 1000).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it("writes index.yaml as helm repo index does, newest version first", async () => {
    expect(index.apiVersion).toBe("v1");
    expect(Object.keys(index.entries)).toEqual(DEMO_SERVICES.map((s) => s.chart).sort());
    expect(index.generated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    for (const service of DEMO_SERVICES) {
      const versions = index.entries[service.chart]!.map((e) => e.version);
      expect(versions).toEqual([...versions].sort(semver.rcompare));
      expect(versions.length).toBe(service.releases.length);
      for (const e of index.entries[service.chart]!) {
        expect(e.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
        expect(e.urls).toEqual([`charts/${service.chart}-${e.version}.tgz`]);
      }
    }
    expect(index.entries.catalog![0]).toMatchObject({ version: "3.0.0", deprecated: true });
    expect(index.entries.search![0]!.version).toBe("2.0.0-rc.1");
    expect(index.entries.inventory![0]!.version).toBe("3.3.0+build.412");
    const orders = index.entries.orders![0]!;
    const tgz = await readFile(path.join(root, "registry", orders.urls[0]!));
    expect(createHash("sha256").update(tgz).digest("hex")).toBe(orders.digest);
  });

  it("puts each environment's final pins in its chart and lock files", () => {
    for (const env of DEMO_ENVIRONMENTS.filter((e) => !e.broken)) {
      const depsFile = env.format === "helm3" ? "Chart.yaml" : "requirements.yaml";
      const lockFile = env.format === "helm3" ? "Chart.lock" : "requirements.lock";
      const deps = (parse(showFile(env, depsFile)) as { dependencies: Array<{ name: string; alias?: string; version: string; repository: string }> }).dependencies;
      const lock = (parse(showFile(env, lockFile)) as { dependencies: Array<{ name: string; version: string }> }).dependencies;
      expect(deps.map((d) => d.alias ?? d.name)).toEqual(env.pins.map((p) => p.alias ?? p.chart));
      env.pins.forEach((pin, i) => {
        expect(String(deps[i]!.version)).toBe(pin.version);
        expect(lock.find((l) => l.name === pin.chart)?.version).toBe(pin.locked);
      });
      const chart = parse(showFile(env, "Chart.yaml")) as { apiVersion: string };
      expect(chart.apiVersion).toBe(env.format === "helm3" ? "v2" : "v1");
    }
    const shop = showFile(DEMO_ENVIRONMENTS[0]!, "Chart.yaml");
    expect(shop).toContain('repository: &demo "@demo"');
    expect(shop).toContain("alias: gateway");
    expect(shop).toContain("condition: reviews.enabled");
    const payments = DEMO_ENVIRONMENTS.find((e) => e.name === "payments-eu")!;
    expect(parse(showFile(payments, "values.yaml")).checkout.image.tag).toBe("1.3.0-hotfix.2");
  });

  it("breaks the sandbox chart at its branch head only", () => {
    const sandbox = DEMO_ENVIRONMENTS.find((e) => e.broken)!;
    expect(() => parse(showFile(sandbox, "Chart.yaml"))).toThrow();
    expect(() => parse(showFile(sandbox, "Chart.yaml", `${sandbox.branch}~1`))).not.toThrow();
  });

  it("keeps a history of merges with PR numbers, including a rollback", () => {
    const staging = DEMO_ENVIRONMENTS.find((e) => e.name === "shop-staging")!;
    const subjects = git(stackDir(staging), "log", "--format=%s", staging.branch).split("\n");
    expect(subjects.length).toBeGreaterThan(5);
    expect(subjects[0]).toMatch(/\(#\d+\)$/);
    expect(subjects.some((s) => s.startsWith("Roll back checkout to 1.3.1"))).toBe(true);
  });

  it("reuses an existing workspace", async () => {
    const before = await stat(path.join(root, "registry", "index.yaml"));
    const again = await createDemoWorkspace(root, { now: new Date() });
    expect(again).toEqual({ configPath, created: false });
    expect((await stat(path.join(root, "registry", "index.yaml"))).mtimeMs).toBe(before.mtimeMs);
  });

  it("is deterministic for a given `now`", async () => {
    const other = await mkdtemp(path.join(tmpdir(), "slipway-demo-"));
    try {
      await createDemoWorkspace(other, { now: NOW });
      for (const repo of ["repos/stacks/shop", "repos/services/orders"]) {
        expect(git(path.join(other, repo), "rev-parse", "main")).toBe(git(path.join(root, repo), "rev-parse", "main"));
      }
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

/**
 * The expectations in demo-spec.ts, recomputed from the written registry with the rules of DESIGN.md, so the
 * table the browser tests rely on cannot drift from the data.
 */
describe("demo expectations", () => {
  interface Published {
    version: string;
    created: Date;
    deprecated: boolean;
  }
  const published = (chart: string): Published[] | undefined =>
    index.entries[chart]?.map((e) => ({ version: e.version, created: new Date(e.created), deprecated: e.deprecated === true }));

  // Helm's order: a lock entry that is an exact version, an exact pin, then a range against the registry.
  function resolveRunning(pin: DemoPin, versions: Published[] | undefined): { running?: string; unpinned: boolean } {
    if (pin.locked !== undefined && semver.valid(pin.locked)) return { running: pin.locked, unpinned: false };
    if (semver.valid(pin.version)) return { running: pin.version, unpinned: false };
    const range = semver.validRange(pin.version);
    const best = range ? semver.maxSatisfying((versions ?? []).map((v) => v.version), range) : null;
    return best ? { running: best, unpinned: true } : { unpinned: false };
  }

  function reference(env: DemoEnvironment, pin: DemoPin) {
    const versions = published(pin.chart);
    const resolved = resolveRunning(pin, versions);
    const unpinned = resolved.unpinned;
    if (pin.repository?.startsWith("oci://")) return { status: "unknown" as DemoCellStatus, running: resolved.running };
    if (!versions) return { status: "not-in-registry" as DemoCellStatus, running: resolved.running };
    const eligible = versions.filter((v) => !v.deprecated && (env.includePrereleases || semver.prerelease(v.version) === null));
    const latest = eligible.map((v) => v.version).sort(semver.rcompare)[0]!;
    if (!resolved.running) return { status: "unparseable" as DemoCellStatus, running: pin.version, latest };
    const running = resolved.running;
    if (!versions.some((v) => v.version === running)) return { status: "not-in-registry" as DemoCellStatus, running, latest };
    if (semver.gt(running, latest)) return { status: "ahead" as DemoCellStatus, running, latest };
    const newer = eligible.filter((v) => semver.gt(v.version, running));
    if (newer.length === 0) return { status: "current" as DemoCellStatus, running, latest, releasesBehind: 0, step: "none", unpinned };
    const diff = semver.diff(running, latest);
    const step = diff === "major" || diff === "minor" || diff === "patch" ? diff : "prerelease";
    const daysBehind = (NOW.getTime() - Math.min(...newer.map((v) => v.created.getTime()))) / DAY_MS;
    const far = step === "major" || newer.length >= 5;
    return { status: (far ? "far-behind" : "behind") as DemoCellStatus, running, latest, releasesBehind: newer.length, step, daysBehind, unpinned };
  }

  it("match the registry for every cell", () => {
    for (const env of DEMO_ENVIRONMENTS.filter((e) => !e.broken)) {
      for (const pin of env.pins) {
        const ref = reference(env, pin);
        const cell = `${env.name}/${pin.alias ?? pin.chart}`;
        expect({ cell, status: ref.status, running: ref.running }).toEqual({ cell, status: pin.expect.status, running: pin.expect.running });
        if (pin.expect.latest) expect({ cell, latest: ref.latest }).toEqual({ cell, latest: pin.expect.latest });
        if ("releasesBehind" in ref && pin.expect.releasesBehind !== undefined) {
          expect({ cell, releasesBehind: ref.releasesBehind, step: ref.step }).toEqual({ cell, releasesBehind: pin.expect.releasesBehind, step: pin.expect.step });
        }
        if ("unpinned" in ref) expect({ cell, unpinned: ref.unpinned }).toEqual({ cell, unpinned: pin.expect.unpinned === true });
        // Margins that keep the status stable whatever days threshold the status rules settle on.
        if (ref.status === "behind") expect(ref.daysBehind!).toBeLessThanOrEqual(20);
        if (ref.status === "far-behind") expect(ref.daysBehind!).toBeGreaterThan(44);
      }
    }
  });

  it("cover every status, and every service is deployed somewhere", () => {
    const statuses = new Set(DEMO_ENVIRONMENTS.filter((e) => !e.broken).flatMap((e) => e.pins.map((p) => p.expect.status)));
    expect([...statuses].sort()).toEqual(["ahead", "behind", "current", "far-behind", "not-in-registry", "unknown", "unparseable"]);
    for (const service of DEMO_SERVICES) {
      expect(DEMO_ENVIRONMENTS.some((e) => e.pins.some((p) => p.chart === service.chart))).toBe(true);
    }
    expect(DEMO_ENVIRONMENTS.find((e) => e.name === "payments-us")!.pins.some((p) => p.repository === DEMO_UNREACHABLE_OCI)).toBe(true);
  });
});
