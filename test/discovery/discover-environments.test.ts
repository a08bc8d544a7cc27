import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  discoverEnvironments,
  discoverEnvironmentsLive,
  loadDiscoveredEnvironments,
  readDiscoveryStatus,
  toDiscoveredEnvironments,
} from "@/lib/config/discover-environments";
import { type Workspace, loadWorkspaceConfig, parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { type LocalGitProvider, createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { RegistryError } from "@/lib/registry/types";
import { refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { StackRepo } from "../history/stack-repo";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

const SOURCE = "./stack:release-config.yaml@main";
const CHART = { "stack/Chart.yaml": "apiVersion: v2\nname: stack\nversion: 1.0.0\n" };

let root: string;
let stack: StackRepo;
let configPath: string;
let git: LocalGitProvider;
let database: TestDatabase;

const load = (): Workspace => loadWorkspaceConfig(configPath);
const names = (workspace: Workspace) => workspace.config.environments.map((e) => e.name);

/** Writes release-config.yaml on main and commits it. */
function commitReleaseConfig(text: string): void {
  stack.git("checkout", "-q", "main");
  stack.commitFiles({ "release-config.yaml": text }, "release config");
}

const TWO_BRANCHES = `
main:            { release: shop-dev, cluster: dev-eu-1, values: values-dev.yaml }
release/staging: { releaseName: shop-staging, cluster: stage-eu-1, valuesFile: values-staging.yaml, namespace: shop }
`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-discovery-"));
  stack = new StackRepo(path.join(root, "stack"));
  stack.commitFiles(CHART, "chart");
  for (const branch of ["release/staging", "release/qa", "release/production"]) {
    stack.git("branch", branch);
  }
  configPath = path.join(root, "slipway.yaml");
  writeFileSync(
    configPath,
    `
environments:
  - { name: shop-production, repo: ./stack, branch: release/production, path: stack }
discover:
  - repo: ./stack
    path: stack
    groups: { brand: shop }
    url: "https://{release}.example.com"
    snapshots: { tagPattern: "{release}-{date}.{n}" }
access:
  grants:
    - { role: requester, environments: [shop-dev], members: { users: [ada] } }
`,
  );
  git = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
  database = await createPgliteDatabase();
});

beforeEach(async () => {
  const { db } = database;
  await db.$transaction([
    db.discoveredEnvironment.deleteMany(),
    db.discoverySource.deleteMany(),
    db.environmentSnapshot.deleteMany(),
    db.historyEntry.deleteMany(),
    db.historyCursor.deleteMany(),
  ]);
  commitReleaseConfig(TWO_BRANCHES);
});

afterAll(async () => {
  await database?.close();
  await rm(root, { recursive: true, force: true });
});

describe("environments discovered from a stack's release-config.yaml", () => {
  it("become environments with the file's attributes and the discover entry's settings, stored for the next start", async () => {
    const workspace = load();
    expect(names(workspace)).toEqual(["shop-production"]);
    await discoverEnvironments({ workspace, db: database.db, git });

    expect(names(workspace)).toEqual(["shop-production", "shop-dev", "shop-staging"]);
    const staging = workspace.config.environments.find((e) => e.name === "shop-staging")!;
    expect(staging).toEqual({
      name: "shop-staging",
      repo: "./stack",
      branch: "release/staging",
      path: "stack",
      groups: { brand: "shop", cluster: "stage-eu-1" },
      url: "https://shop-staging.example.com",
      includePrereleases: false,
      readImageTags: false,
      snapshots: { tagPattern: "shop-staging-{date}.{n}" },
      discovered: {
        repo: "./stack",
        file: "release-config.yaml",
        fileBranch: "main",
        release: "shop-staging",
        cluster: "stage-eu-1",
        values: "values-staging.yaml",
        namespace: "shop",
      },
    });
    expect(workspace.config.environments[0]!.discovered).toBeUndefined();

    expect(await database.db.discoveredEnvironment.findMany({ orderBy: { position: "asc" } })).toMatchObject([
      { source: SOURCE, name: "shop-dev", branch: "main", attributes: { release: "shop-dev", cluster: "dev-eu-1", values: "values-dev.yaml" } },
      { source: SOURCE, name: "shop-staging", branch: "release/staging" },
    ]);
    expect(await readDiscoveryStatus(database.db, workspace.config)).toMatchObject([
      { source: SOURCE, repo: "./stack", file: "release-config.yaml", branch: "main", error: undefined, problems: [], lastSuccessAt: expect.any(Date) },
    ]);

    // A server or command starting afresh has them before reading any repository.
    const fresh = load();
    await loadDiscoveredEnvironments({ workspace: fresh, db: database.db });
    expect(fresh.config.environments).toEqual(workspace.config.environments);
  });

  it("keeps the workspace object and its config, so clients built around them stay valid", async () => {
    const workspace = load();
    const config = workspace.config;
    await discoverEnvironments({ workspace, db: database.db, git });
    expect(workspace.config).toBe(config);
    expect(names(workspace)).toContain("shop-dev");
  });

  it("follows the file: a branch added appears, a branch removed disappears, at the next discovery", async () => {
    const workspace = load();
    await discoverEnvironments({ workspace, db: database.db, git });
    const firstSeen = async () => (await database.db.discoveredEnvironment.findFirst({ where: { name: "shop-dev" } }))?.discoveredAt;
    const devSince = await firstSeen();

    commitReleaseConfig(`${TWO_BRANCHES}release/qa: { release: shop-qa, cluster: qa-eu-1 }\n`);
    await discoverEnvironments({ workspace, db: database.db, git });
    expect(names(workspace)).toEqual(["shop-production", "shop-dev", "shop-staging", "shop-qa"]);
    expect(await firstSeen()).toEqual(devSince);

    commitReleaseConfig("main: { release: shop-dev, cluster: dev-eu-1 }\nrelease/qa: { release: shop-qa }\n");
    await discoverEnvironments({ workspace, db: database.db, git });
    expect(names(workspace)).toEqual(["shop-production", "shop-dev", "shop-qa"]);
    expect((await database.db.discoveredEnvironment.findMany()).map((row) => row.name).sort()).toEqual(["shop-dev", "shop-qa"]);
  });

  it("a refresh reads discovered environments, and drops the history of one that left the file", async () => {
    const workspace = load();
    const deps = {
      workspace,
      db: database.db,
      git,
      registries: {
        loadIndex: () => Promise.reject(new RegistryError("no registry in this test", "demo")),
        listChartVersions: () => Promise.reject(new RegistryError("no registry in this test", "demo")),
      },
    };
    await discoverEnvironments(deps);
    await refreshSnapshots(deps, { trigger: "test" });
    const snapshots = await database.db.environmentSnapshot.findMany({ orderBy: { environment: "asc" } });
    expect(snapshots.map((s) => [s.environment, s.chartName])).toEqual([
      ["shop-dev", "stack"],
      ["shop-production", "stack"],
      ["shop-staging", "stack"],
    ]);
    expect((await database.db.historyCursor.findMany()).map((c) => c.environment).sort()).toEqual(["shop-dev", "shop-production", "shop-staging"]);

    commitReleaseConfig("main: { release: shop-dev }\n");
    await discoverEnvironments(deps);
    await refreshSnapshots(deps, { trigger: "test" });
    expect((await database.db.historyCursor.findMany()).map((c) => c.environment).sort()).toEqual(["shop-dev", "shop-production"]);
  });

  it("keeps the environments found before when the file cannot be read, and records why", async () => {
    const workspace = load();
    await discoverEnvironments({ workspace, db: database.db, git });
    const before = workspace.config.environments;

    commitReleaseConfig("main: { release: [\n");
    await discoverEnvironments({ workspace, db: database.db, git });
    expect(workspace.config.environments).toEqual(before);
    const [status] = await readDiscoveryStatus(database.db, workspace.config);
    expect(status!.error).toMatch(/^release-config\.yaml is not valid YAML/);
    expect(status!.lastSuccessAt).toBeInstanceOf(Date);

    // Stored rows are untouched: a restart during the outage still has them.
    const fresh = load();
    await loadDiscoveredEnvironments({ workspace: fresh, db: database.db });
    expect(names(fresh)).toEqual(["shop-production", "shop-dev", "shop-staging"]);

    // The file gone is the same: nothing is lost, the error says where it was looked for.
    stack.git("rm", "-q", "release-config.yaml");
    stack.commitFiles({}, "remove release config");
    await discoverEnvironments({ workspace, db: database.db, git });
    expect(names(workspace)).toEqual(["shop-production", "shop-dev", "shop-staging"]);
    expect((await readDiscoveryStatus(database.db, workspace.config))[0]!.error).toBe("release-config.yaml is not on main of ./stack");

    // Readable again: the error is cleared.
    commitReleaseConfig(TWO_BRANCHES);
    await discoverEnvironments({ workspace, db: database.db, git });
    expect((await readDiscoveryStatus(database.db, workspace.config))[0]!.error).toBeUndefined();
  });

  it("skips bad entries and names taken by slipway.yaml, keeps the rest, and records each", async () => {
    const workspace = load();
    commitReleaseConfig(`${TWO_BRANCHES}release/production: { release: shop-production }\n"..": { release: shop-bad }\n`);
    await discoverEnvironments({ workspace, db: database.db, git });
    expect(names(workspace)).toEqual(["shop-production", "shop-dev", "shop-staging"]);
    // slipway.yaml's shop-production is the one kept.
    expect(workspace.config.environments[0]!.discovered).toBeUndefined();
    expect((await readDiscoveryStatus(database.db, workspace.config))[0]!.problems).toEqual([
      `release-config.yaml: entry "..": branch ".." contains '..'`,
      `release-config.yaml: "shop-production" is already an environment in slipway.yaml; that one is kept`,
    ]);
  });

  it("reads the files live for a command, storing nothing", async () => {
    const workspace = load();
    commitReleaseConfig(`${TWO_BRANCHES}release/qa: { release: "shop qa" }\n`);
    const problems = await discoverEnvironmentsLive({ workspace, git });
    expect(names(workspace)).toEqual(["shop-production", "shop-dev", "shop-staging"]);
    expect(problems).toEqual([`release-config.yaml: entry "release/qa": release "shop qa" is not a valid environment name: use letters, digits, '.', '_' and '-' only`]);
    expect(await database.db.discoveredEnvironment.count()).toBe(0);
  });

  it("forgets the environments of a discover entry slipway.yaml no longer has", async () => {
    await discoverEnvironments({ workspace: load(), db: database.db, git });
    const without = load();
    without.config.discover = [];
    await discoverEnvironments({ workspace: without, db: database.db, git });
    expect(names(without)).toEqual(["shop-production"]);
    expect(await database.db.discoveredEnvironment.count()).toBe(0);
    expect(await database.db.discoverySource.count()).toBe(0);
  });
});

describe("toDiscoveredEnvironments", () => {
  const config = parseWorkspaceConfig(
    `
discover:
  - { repo: ./one, url: "https://{cluster}.example.com" }
  - { repo: ./two }
`,
    "/srv/slipway.yaml",
  ).config;
  const row = (source: string, name: string, attributes: object, position = 0) => ({ source, name, branch: "main", position, attributes });

  it("gives a name two files list to the first discover entry, and skips an entry whose settings do not fit it", () => {
    const built = toDiscoveredEnvironments(config, [
      row("./two:release-config.yaml@main", "shop-dev", { release: "shop-dev" }),
      row("./one:release-config.yaml@main", "shop-dev", { release: "shop-dev", cluster: "dev-eu-1" }),
      // No cluster: the URL template has nothing to fill in.
      row("./one:release-config.yaml@main", "shop-qa", { release: "shop-qa" }, 1),
      row("./one:release-config.yaml@main", "shop-old", { unexpected: true }, 2),
    ]);
    expect(built.environments.map((e) => [e.name, e.repo, e.url])).toEqual([["shop-dev", "./one", "https://dev-eu-1.example.com"]]);
    expect(Object.fromEntries(built.problems)).toEqual({
      "./one:release-config.yaml@main": [
        `release-config.yaml: "shop-qa": slipway.yaml's url uses {cluster}, and the file names no cluster for it`,
        `release-config.yaml: "shop-old": stored attributes are unreadable; the next refresh reads them again`,
      ],
      "./two:release-config.yaml@main": [`release-config.yaml: "shop-dev" is already an environment in release-config.yaml of ./one; that one is kept`],
    });
  });
});
