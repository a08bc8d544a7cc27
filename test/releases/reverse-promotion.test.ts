import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace } from "@/lib/config/load-workspace-config";
import { mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { environmentNamed } from "@/lib/releases/plan-promotion";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const ben: Principal = { username: "ben", email: "ben@slipway.example", name: "Ben Backend", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };

describe.each(databaseFactories())("reverse promotion on the demo, on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;
  const serviceGit = (...args: string[]) =>
    execFileSync("git", args, { cwd: path.join(workspace.baseDir, workspace.config.services.checkout!.repo!) }).toString().trim();

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-reverse-"));
    workspace.config.services.checkout!.reversePromotion = true;
  });
  afterAll(() => closeDemoReleases({ root, database }));

  async function upgradeAndMerge(targets: { service: string; version?: string }[]): Promise<number> {
    const env = environmentNamed(workspace.config, "payments-eu");
    const { plan } = await planUpgrade(deps, env, targets);
    const { id } = await raiseUpgrade(deps, ben, env, { targets, baseSha: plan.baseSha });
    await mergeReleaseRequest(deps, gita, id);
    return id;
  }

  it("moves the service repository's release/<environment> branch to the deployed version's tag, and records it", async () => {
    const tag = workspace.config.services.checkout!.tagPattern.replace("{version}", "1.3.1");
    const id = await upgradeAndMerge([{ service: "checkout", version: "1.3.1" }, { service: "gateway" }]);
    expect(serviceGit("rev-parse", "release/payments-eu")).toBe(serviceGit("rev-parse", `${tag}^{commit}`));
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id } });
    // Only checkout asks for it; gateway's repository is left alone.
    expect(request.followUps).toEqual([
      { kind: "reverse-promotion", service: "checkout", repo: workspace.config.services.checkout!.repo, branch: "release/payments-eu", version: "1.3.1", state: "created" },
    ]);
  });

  it("fast-forwards on the next release, and never rewrites a branch that diverged", async () => {
    const next = workspace.config.services.checkout!.tagPattern.replace("{version}", "1.3.2");
    const id = await upgradeAndMerge([{ service: "checkout", version: "1.3.2" }]);
    expect(serviceGit("rev-parse", "release/payments-eu")).toBe(serviceGit("rev-parse", `${next}^{commit}`));
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id } })).followUps).toMatchObject([{ state: "fast-forwarded" }]);

    // Someone commits on the release branch by hand; going back to 1.3.1 is then not a fast-forward: reported, not forced.
    serviceGit("branch", "-f", "hotfix", "release/payments-eu");
    const diverged = serviceGit("commit-tree", "-p", "release/payments-eu", "-m", "hand-made hotfix", `release/payments-eu^{tree}`);
    serviceGit("update-ref", "refs/heads/release/payments-eu", diverged);
    const back = await upgradeAndMerge([{ service: "checkout", version: "1.3.1" }]);
    const followUps = (await database.db.releaseRequest.findUniqueOrThrow({ where: { id: back } })).followUps as { state: string; detail: string }[];
    expect(followUps).toMatchObject([{ state: "failed", detail: expect.stringContaining("not a fast-forward, so it is left as it is") }]);
    expect(serviceGit("rev-parse", "release/payments-eu")).toBe(diverged);
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: back } })).state).toBe("merged");
  });
});
