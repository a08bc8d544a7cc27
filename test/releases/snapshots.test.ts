import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace } from "@/lib/config/load-workspace-config";
import { mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { environmentNamed, previewPromotion } from "@/lib/releases/plan-promotion";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { createSnapshot, findSnapshot, listSnapshots } from "@/lib/releases/snapshots";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const ben: Principal = { username: "ben", email: "ben@slipway.example", name: "Ben Backend", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };

describe.each(databaseFactories())("snapshots, on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;
  const env = (name: string) => environmentNamed(workspace.config, name);
  const git = (repo: string, ...args: string[]) => execFileSync("git", args, { cwd: path.join(workspace.baseDir, repo) }).toString().trim();

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-snapshots-"));
  });
  afterAll(() => closeDemoReleases({ root, database }));

  it("lists an environment's snapshots from its tags, newest first, each on a commit of its branch", async () => {
    const snapshots = await listSnapshots(deps.git, env("shop-dev"));
    expect(snapshots.length).toBeGreaterThan(3);
    expect(snapshots.every((s) => /^dev-\d{4}\.\d{2}\.\d{2}\.\d+$/.test(s.tag))).toBe(true);
    const tags = snapshots.map((s) => s.tag);
    expect(tags).toEqual([...tags].sort((a, b) => b.localeCompare(a, "en", { numeric: true })));
    const onBranch = new Set(git("repos/stacks/shop", "rev-list", "--first-parent", "main").split("\n"));
    expect(snapshots.every((s) => onBranch.has(s.sha))).toBe(true);
    // Environments without a pattern take none.
    expect(await listSnapshots(deps.git, env("shop-staging"))).toEqual([]);
  });

  it("numbers snapshots per day and never moves a tag", async () => {
    const shopDev = env("shop-dev");
    const head = git("repos/stacks/shop", "rev-parse", "main");
    const day = new Date("2030-01-02T10:00:00Z");
    const first = await createSnapshot(deps.git, shopDev, head, day);
    const second = await createSnapshot(deps.git, shopDev, head, day);
    expect([first?.tag, second?.tag]).toEqual(["dev-2030.01.02.1", "dev-2030.01.02.2"]);
    await expect(deps.git.createTag(shopDev.repo, "dev-2030.01.02.1", git("repos/stacks/shop", "rev-parse", "main~1"))).rejects.toThrow(/already exists/);
    expect(git("repos/stacks/shop", "rev-parse", "dev-2030.01.02.1^{commit}")).toBe(head);
    expect(await createSnapshot(deps.git, env("shop-staging"), head, day)).toBeUndefined();
    expect((await findSnapshot(deps.git, workspace.config.environments, "dev-2030.01.02.2"))?.env.name).toBe("shop-dev");
  });

  it("tags the merge commit of a change request Slipway merges, and says so in the audit trail", async () => {
    const payments = env("payments-eu");
    payments.snapshots = { tagPattern: "payments-eu-{date}.{n}" };
    const targets = [{ service: "gateway" }];
    const { plan } = await planUpgrade(deps, payments, targets);
    const { id } = await raiseUpgrade(deps, ben, payments, { targets, baseSha: plan.baseSha });
    await mergeReleaseRequest(deps, gita, id);
    const merged = await database.db.releaseRequest.findUniqueOrThrow({ where: { id } });
    const [snapshot] = await listSnapshots(deps.git, payments);
    expect(snapshot).toEqual({ tag: expect.stringMatching(/^payments-eu-\d{4}\.\d{2}\.\d{2}\.1$/), sha: merged.mergeSha });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "release.merged", target: `#${id}` } });
    expect(audit.detail).toMatchObject({ snapshot: snapshot!.tag });
  });

  it("promotes a snapshot: the versions the source ran then, not its live state", async () => {
    const snapshots = await listSnapshots(deps.git, env("shop-dev"));
    const oldest = snapshots.at(-1)!;
    const preview = await previewPromotion(deps, env("shop-dev"), env("shop-staging"), oldest.tag);
    expect(preview.from).toEqual({ environment: "shop-dev", sha: oldest.sha, snapshot: oldest.tag });
    const live = await previewPromotion(deps, env("shop-dev"), env("shop-staging"));
    expect(live.from.sha).not.toBe(oldest.sha);
    await expect(previewPromotion(deps, env("shop-dev"), env("shop-staging"), "dev-1999.01.01.1")).rejects.toThrow(/shop-dev has no snapshot "dev-1999\.01\.01\.1"/);
    await expect(previewPromotion(deps, env("shop-staging"), env("shop-production"), "x")).rejects.toThrow(/shop-staging takes no snapshots/);
  });
});
