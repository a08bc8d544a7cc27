import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide } from "@/lib/auth/policy";
import { SLIPWAY_SYSTEM, type Principal } from "@/lib/auth/principal";
import { type Workspace } from "@/lib/config/load-workspace-config";
import { chooseAutoUpgrades, runAutoUpgrades } from "@/lib/releases/auto-upgrade";
import { environmentNamed } from "@/lib/releases/plan-promotion";
import { readEnvironmentStatus } from "@/lib/releases/read-environment-status";
import { readVersionsAt } from "@/lib/releases/read-versions-at";
import { saveEnvironmentSnapshot } from "@/lib/snapshots/save-environment-snapshot";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const row = (service: string, step: string, status = "behind") => ({ service, running: "1.0.0", latest: "1.1.0", status, step });

describe("chooseAutoUpgrades", () => {
  it("takes the services in scope that fell behind within the allowed step", () => {
    const rows = [row("a", "patch"), row("b", "minor"), row("c", "major", "far-behind"), row("d", "none", "current"), row("e", "patch", "unknown")];
    expect(chooseAutoUpgrades({ autoUpgrade: { services: "all", level: "patch" } }, rows).map((t) => t.service)).toEqual(["a"]);
    expect(chooseAutoUpgrades({ autoUpgrade: { services: "all", level: "minor" } }, rows).map((t) => t.service)).toEqual(["a", "b"]);
    expect(chooseAutoUpgrades({ autoUpgrade: { services: "all", level: "major" } }, rows).map((t) => t.service)).toEqual(["a", "b", "c"]);
    expect(chooseAutoUpgrades({ autoUpgrade: { services: ["b", "c"], level: "major" } }, rows)).toEqual([
      { service: "b", version: "1.1.0" },
      { service: "c", version: "1.1.0" },
    ]);
    expect(chooseAutoUpgrades({}, rows)).toEqual([]);
  });
});

describe("the policy for Slipway acting on its own", () => {
  const access = { anonymousRead: false, grants: [{ role: "admin" as const, members: { users: ["slipway", "system:slipway"], emailDomains: [], oidcGroups: [], githubTeams: [] } }] };
  const plain = { name: "prod", groups: {} };
  const auto = { name: "dev", groups: {}, autoUpgrade: { services: "all" as const, level: "minor" as const } };
  const request = (requesterSource: string) => ({ id: 3, environment: "dev", requester: "slipway", requesterSource, provider: "local", state: "open" });

  it("raises only where autoUpgrade is set and merges only its own requests where autoMerge is set, whatever the grants", () => {
    expect(decide(SLIPWAY_SYSTEM, "release.raise", { type: "environment", name: "dev", environment: auto }, access).allowed).toBe(true);
    expect(decide(SLIPWAY_SYSTEM, "release.raise", { type: "environment", name: "prod", environment: plain }, access)).toMatchObject({ allowed: false, status: 403 });
    expect(decide(SLIPWAY_SYSTEM, "release.merge", { type: "release", request: request("system"), environment: auto }, access)).toMatchObject({ allowed: false, status: 403 });
    const merging = { ...auto, autoMerge: true };
    expect(decide(SLIPWAY_SYSTEM, "release.merge", { type: "release", request: request("system"), environment: merging }, access).allowed).toBe(true);
    expect(decide(SLIPWAY_SYSTEM, "release.merge", { type: "release", request: request("local"), environment: merging }, access)).toMatchObject({ allowed: false, status: 403 });
    expect(decide(SLIPWAY_SYSTEM, "audit.view", { type: "workspace", environments: [] }, access).allowed).toBe(false);
  });

  it("never confuses a local account named slipway with Slipway itself", () => {
    const impostor: Principal = { username: "slipway", source: "local", oidcGroups: [], githubTeams: [] };
    // The local account may merge as a gatekeeper (admin grant), but it is not the requester of Slipway's request.
    expect(decide(impostor, "release.merge", { type: "release", request: request("system"), environment: auto }, access).allowed).toBe(true);
  });
});

describe.each(databaseFactories())("automatic upgrades on the demo, on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-auto-"));
    for (const env of workspace.config.environments) {
      await saveEnvironmentSnapshot(database.db, await readEnvironmentStatus(env, { ...deps, stats: { requests: 0, notModified: 0, bytes: 0 } }));
    }
  });
  afterAll(() => closeDemoReleases({ root, database }));

  it("raises one grouped request as Slipway for what fell behind within the level, and no second one beside it", async () => {
    const env = environmentNamed(workspace.config, "payments-eu");
    env.autoUpgrade = { services: "all", level: "patch" };
    const rows = await database.db.serviceSnapshot.findMany({ where: { environment: "payments-eu" } });
    const expected = chooseAutoUpgrades(env, rows).map((t) => t.service);
    expect(expected).toContain("checkout");
    expect(expected).not.toContain("gateway"); // a minor step behind: not at level patch

    const [first] = await runAutoUpgrades(deps);
    expect(first).toMatchObject({ environment: "payments-eu", raised: { services: expected, merged: false } });
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: first!.raised!.id }, include: { items: true } });
    expect(request).toMatchObject({ requester: "slipway", requesterSource: "system", kind: "upgrade", state: "open" });
    expect(request.body).toContain("Requested by Slipway (slipway) through Slipway.");

    const [second] = await runAutoUpgrades(deps);
    expect(second).toEqual({ environment: "payments-eu", skipped: `Slipway's request #${request.id} is still open there` });
    expect(await database.db.releaseRequest.count({ where: { environment: "payments-eu" } })).toBe(1);
    env.autoUpgrade = undefined;
  });

  it("with autoMerge, merges its own request at once, and the environment runs the new versions", async () => {
    const env = environmentNamed(workspace.config, "payments-us");
    env.autoUpgrade = { services: "all", level: "minor" };
    env.autoMerge = true;
    const [outcome] = await runAutoUpgrades(deps);
    expect(outcome).toMatchObject({ environment: "payments-us", raised: { merged: true } });
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: outcome!.raised!.id }, include: { items: true } });
    expect(request).toMatchObject({ state: "merged", mergedBy: "slipway" });
    const now = await readVersionsAt(deps.git, env, (await deps.git.branchHead(env.repo, env.branch)).sha);
    for (const item of request.items) expect(now.get(item.service)?.version).toBe(item.toVersion);
  });
});
