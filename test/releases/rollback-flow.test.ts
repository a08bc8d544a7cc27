import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace } from "@/lib/config/load-workspace-config";
import { workspaceConfigSchema } from "@/lib/config/schema";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { findPreviousVersion, planRollback, previewRollback } from "@/lib/releases/plan-rollback";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { readVersionsAt } from "@/lib/releases/read-versions-at";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const ben: Principal = { username: "ben", email: "ben@slipway.example", name: "Ben Backend", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };

/** Chart.yaml pinning these services (exact versions, or ranges), in order. */
function chartYaml(pins: Record<string, string>): string {
  const dependencies = Object.entries(pins).map(
    ([name, version]) => `  - name: ${name}\n    version: "${version}"\n    repository: https://charts.example.com`,
  );
  return `apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n${dependencies.join("\n")}\n`;
}

describe("previewRollback — what going back to a commit would change", () => {
  let root: string;
  let deps: ReleaseDeps;
  const shas: Record<string, string> = {};
  const git = (...args: string[]) => execFileSync("git", args, { cwd: path.join(root, "stack"), env: GIT_ENV }).toString().trim();
  const commit = (name: string, text: string) => {
    writeFileSync(path.join(root, "stack", "Chart.yaml"), text);
    git("add", ".");
    git("commit", "-q", "-m", name);
    shas[name] = git("rev-parse", "HEAD");
  };
  const env = () => deps.config.environments[0]!;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "slipway-rollback-preview-"));
    execFileSync("git", ["init", "-q", "-b", "main", path.join(root, "stack")]);
    commit("first", chartYaml({ orders: "1.0.0", billing: "2.0.0", legacy: "0.9.0", search: "^3.0.0" }));
    commit("second", chartYaml({ orders: "1.1.0", billing: "2.0.0", legacy: "0.9.0", search: "^3.0.0" }));
    commit("third", chartYaml({ orders: "1.2.0", billing: "2.1.0", search: "3.1.0", mailer: "0.1.0" }));
    commit("broken", "dependencies: [\n");
    commit("fourth", chartYaml({ orders: "1.2.0", billing: "2.1.0", search: "3.1.0", mailer: "0.1.0" }));
    git("checkout", "-q", "-b", "other");
    commit("elsewhere", chartYaml({ orders: "9.9.9" }));
    git("checkout", "-q", "main");
    git("tag", "stack-2026.11.1", shas.second!);
    const config = workspaceConfigSchema.parse({ environments: [{ name: "shop-dev", repo: "./stack" }] });
    deps = {
      config,
      git: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
      registries: createRegistryClient({ baseDir: root }),
      endpoints: [],
    };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("lists every service that goes back, and those added or removed since, dropping none silently", async () => {
    const preview = await previewRollback(deps, env(), shas.first!);
    expect(preview.baseSha).toBe(shas.fourth);
    expect(preview.to).toMatchObject({ sha: shas.first, subject: "first" });
    expect(preview.changes).toEqual([
      { service: "orders", chart: "orders", from: "1.2.0", to: "1.0.0" },
      { service: "billing", chart: "billing", from: "2.1.0", to: "2.0.0" },
    ]);
    expect(preview.addedSince).toEqual([{ service: "mailer", chart: "mailer", version: "0.1.0" }]);
    expect(preview.removedSince).toEqual([{ service: "legacy", chart: "legacy", version: "0.9.0" }]);
    // search was a range nothing locked: there is no exact version to go back to, and it says so.
    expect(preview.unresolved).toEqual([{ service: "search", reason: expect.stringContaining('it pinned "^3.0.0", not an exact version') }]);
  });

  it("takes an abbreviated commit id or a tag", async () => {
    expect((await previewRollback(deps, env(), shas.second!.slice(0, 8))).to.sha).toBe(shas.second);
    expect((await previewRollback(deps, env(), "stack-2026.11.1")).to.sha).toBe(shas.second);
  });

  it.each([
    ["the current state", () => shas.fourth!, /is the head of main: shop-dev already runs that state/],
    ["a commit pinning the same versions", () => shas.third!, /already runs the versions it ran at .*: there is nothing to roll back/],
    ["a commit of another branch", () => shas.elsewhere!, /is not a commit of main .*only the environment's own branch counts/],
    ["an unknown commit", () => "0123456789abcdef0123456789abcdef01234567", /has no commit 0123456789abcdef/],
    ["a commit whose chart does not parse", () => shas.broken!, /The chart at .* cannot be read: Chart\.yaml/],
    ["a tag that does not exist", () => "stack-1999.1.1", /has no tag "stack-1999\.1\.1"/],
    ["text that is neither", () => "HEAD~1; rm -rf /", /is neither a commit id .* nor a tag name/],
  ])("refuses %s with a clear error", async (_case, ref, message) => {
    await expect(previewRollback(deps, env(), ref())).rejects.toThrow(message);
  });

  it("finds a service's previous version for a one-click rollback", async () => {
    expect(await findPreviousVersion(deps, env(), "orders")).toEqual({ sha: shas.second, version: "1.1.0" });
    expect(await findPreviousVersion(deps, env(), "billing")).toEqual({ sha: shas.second, version: "2.0.0" });
    // mailer never ran another version.
    expect(await findPreviousVersion(deps, env(), "mailer")).toBeUndefined();
    await expect(findPreviousVersion(deps, env(), "nope")).rejects.toThrow(/shop-dev has no service "nope"/);
  });

  it("refuses a service that does not change, naming those that do", async () => {
    await expect(planRollback(deps, env(), { to: shas.first!, services: ["nope"] })).rejects.toThrow(
      /nope does not change in this rollback; the services that do are: orders, billing/,
    );
    // A service added since has no version to go back to: removing it is a choice of its own.
    await expect(planRollback(deps, env(), { to: shas.first!, services: ["mailer"] })).rejects.toThrow(/mailer was added since .*Choose to remove it instead/);
    await expect(planRollback(deps, env(), { to: shas.first!, services: ["search"] })).rejects.toThrow(/search cannot be rolled back: /);
  });

  it("removes a service added since only when asked, and says so in the plan", async () => {
    const { plan, membership } = await planRollback(deps, env(), { to: shas.first!, services: [], remove: ["mailer"] });
    expect(plan.items).toEqual([]);
    expect(membership.removed).toEqual([{ service: "mailer", chart: "mailer", version: "0.1.0" }]);
    expect(plan.title).toBe(`Roll back remove mailer in shop-dev, as at ${shas.first!.slice(0, 8)}`);
    expect(plan.files.map((f) => f.path)).toEqual(["Chart.yaml"]);
    expect(plan.files[0]!.diff).toMatch(/^-  - name: mailer$/m);
    expect(plan.body).toContain("| mailer | 0.1.0 | **removed** (added since) |");
  });

  it("brings back only what can be installed: an exact version its registry still publishes", async () => {
    // No registry is configured here, so nothing can be checked as published.
    await expect(planRollback(deps, env(), { to: shas.first!, services: [], restore: ["legacy"] })).rejects.toThrow(/legacy cannot be brought back here: /);
    // Nothing chosen at all, when nothing is named.
    await expect(planRollback(deps, env(), { to: shas.first!, services: [] })).rejects.toThrow(/Choose at least one service to roll back/);
  });
});

describe.each(databaseFactories())("rollback on the demo's payments-eu, on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;
  const stack = () => path.join(workspace.baseDir, "repos/stacks/payments-eu");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: stack() }).toString().trim();
  const env = () => workspace.config.environments.find((e) => e.name === "payments-eu")!;

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-rollback-"));
  });
  afterAll(() => closeDemoReleases({ root, database }));

  /** The newest first-parent commit at which at least two services ran other versions than now. */
  async function twoServicesBack(): Promise<string> {
    const now = await readVersionsAt(deps.git, env(), git("rev-parse", "main"));
    for (const sha of git("rev-list", "--first-parent", "main").split("\n").slice(1)) {
      const then = await readVersionsAt(deps.git, env(), sha);
      const differ = [...now].filter(([service, pinned]) => then.get(service) && then.get(service)!.version !== pinned.version && !pinned.unpinned);
      if (differ.length >= 2) return sha;
    }
    throw new Error("the demo history has no commit two services back");
  }

  it("plans a rollback as a labelled release request whose changelog runs backwards", async () => {
    const to = await twoServicesBack();
    const { plan, preview } = await planRollback(deps, env(), { to });
    expect(plan.kind).toBe("rollback");
    expect(plan.branch).toMatch(/^slipway\/payments-eu\/rollback-/);
    expect(plan.title).toMatch(new RegExp(`^Roll back \\d+ services .* in payments-eu, as at ${to.slice(0, 8)}$`));
    expect(plan.items.map((i) => [i.service, i.from, i.to])).toEqual(preview.changes.map((c) => [c.service, c.from, c.to]));
    expect(plan.items.every((i) => i.direction === "downgrade")).toBe(true);
    const withCommits = plan.items.filter((i) => i.changelog.commits.length > 0);
    expect(withCommits.length).toBeGreaterThan(0);
    expect(withCommits.every((i) => i.changelog.effect === "removed")).toBe(true);
    expect(plan.body).toMatch(/^\*\*Rollback\*\* of \*\*payments-eu\*\*/);
    expect(plan.body).toMatch(/Tickets that leave with this rollback[^:]*: [A-Z]+-\d+/);
  });

  it("raises it once, as a rollback, and a gatekeeper's merge puts the environment back", async () => {
    const to = await twoServicesBack();
    const { plan, preview } = await planRollback(deps, env(), { to });
    const targets = preview.changes.map((c) => ({ service: c.service, version: c.to }));
    const purpose = { kind: "rollback" as const, to: { sha: preview.to.sha, subject: preview.to.subject } };
    const [first, second] = await Promise.all([
      raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha, purpose }),
      raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha, purpose }),
    ]);
    expect(second.id).toBe(first.id);
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: first.id }, include: { items: true } });
    expect(request).toMatchObject({ kind: "rollback", state: "open", branch: plan.branch, title: plan.title });
    // The tickets that leave are stored on the request's items.
    expect(request.items.flatMap((i) => i.tickets).length).toBeGreaterThan(0);
    // An upgrade to the same versions from the same base is another request, not this one.
    const upgrade = await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha });
    expect(upgrade.id).not.toBe(first.id);

    await mergeReleaseRequest(deps, gita, first.id);
    const after = await readVersionsAt(deps.git, env(), git("rev-parse", "main"));
    for (const change of preview.changes) expect(after.get(change.service)?.version).toBe(change.to);
  });
});
