import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace } from "@/lib/config/load-workspace-config";
import { closeReleaseRequest, mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { PlanOutdatedError, raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { readEnvironmentStatus } from "@/lib/releases/read-environment-status";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const ben: Principal = { username: "ben", email: "ben@slipway.example", name: "Ben Backend", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };

describe.each(databaseFactories())("upgrade flow on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;
  const stack = () => path.join(workspace.baseDir, "repos/stacks/payments-eu");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: stack() }).toString().trim();
  const env = () => workspace.config.environments.find((e) => e.name === "payments-eu")!;

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-upgrade-"));
  });
  afterAll(() => closeDemoReleases({ root, database }));

  it.each([
    [[{ service: "nope" }], /payments-eu has no service "nope"; it has /],
    [[{ service: "checkout", version: "9.9.9" }], /The registry has no checkout 9\.9\.9; the latest is 1\.3\.2/],
    [[{ service: "checkout", version: "1.x" }], /"1\.x" is not a version Helm reads/],
    [[{ service: "checkout", version: "1.3.2\nevil: true" }], /is not a version Helm reads/],
    [[{ service: "checkout", version: "1.3.2" }, { service: "checkout" }], /checkout is listed twice/],
    [[{ service: "orders" }], /orders already runs 1\.4\.2 in payments-eu/],
    [[], /Choose at least one service/],
  ])("rejects bad input %j with a clear error and writes nothing", async (targets, message) => {
    const branches = git("branch", "--list");
    await expect(planUpgrade(deps, env(), targets)).rejects.toThrow(message);
    await expect(raiseUpgrade(deps, ben, env(), { targets, baseSha: git("rev-parse", "main") })).rejects.toThrow(message);
    expect(git("branch", "--list")).toBe(branches);
    expect(await database.db.releaseRequest.count()).toBe(0);
  });

  it("plans versions, changelogs and an in-place diff", async () => {
    const { plan, changes } = await planUpgrade(deps, env(), [{ service: "checkout" }, { service: "gateway" }]);
    expect(plan.items.map((i) => [i.service, i.from, i.to, i.direction])).toEqual([
      ["checkout", "1.3.0", "1.3.2", "upgrade"],
      ["gateway", "4.1.0", "4.2.0", "upgrade"],
    ]);
    expect(plan.items[0]!.changelog.commits.length).toBeGreaterThan(0);
    expect(plan.items[0]!.changelog.tickets.map((t) => t.key)).toEqual(expect.arrayContaining([expect.stringMatching(/^CHK-\d+$/)]));
    expect(plan.files.map((f) => f.path).sort()).toEqual(["Chart.lock", "Chart.yaml"]);
    expect(plan.body).toContain("| checkout | 1.3.0 | 1.3.2 |");
    const chart = changes.find((c) => c.path === "Chart.yaml")!.content;
    const before = git("show", "main:Chart.yaml");
    expect(chart).toBe(before.replace(/(name: checkout[\s\S]*?version: "?)1\.3\.0/, "$11.3.2").replace(/(name: api-gateway[\s\S]*?version: "?)4\.1\.0/, "$14.2.0") + "\n");
  });

  it("links the branch's preview from the description when the environment has a previewUrl, and only then", async () => {
    const targets = [{ service: "checkout" }];
    const { plan: plain } = await planUpgrade(deps, env(), targets);
    expect(plain.body).not.toContain("Preview");
    // A local service repository has no web page: its commits carry no link.
    expect(plain.items[0]!.changelog.tickets.flatMap((t) => t.commits).every((c) => c.url === undefined)).toBe(true);
    const { plan } = await planUpgrade(deps, { ...env(), previewUrl: "https://{repo}-{branch}.dev.example.com" }, targets);
    const host = `payments-eu-${plan.branch.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 63).replace(/-+$/, "");
    expect(plan.body).toContain(`\n\nPreview of this branch, like payments-eu: https://${host}.dev.example.com\n\n### checkout 1.3.0 → 1.3.2`);
    expect(plan.body.replace(/\n\nPreview of this branch.*\n/, "\n")).toBe(plain.body);
  });

  it("falls back to what the registry knows when a release tag is missing", async () => {
    const service = workspace.config.services.gateway!;
    const repo = path.join(workspace.baseDir, service.repo!);
    const tag = service.tagPattern.replace("{version}", "4.2.0");
    const sha = execFileSync("git", ["rev-parse", `${tag}^{commit}`], { cwd: repo }).toString().trim();
    execFileSync("git", ["tag", "-d", tag], { cwd: repo });
    try {
      const { plan } = await planUpgrade(deps, env(), [{ service: "gateway" }]);
      const notes = plan.items[0]!.changelog.notes.join("\n");
      expect(notes).toContain(tag);
      expect(notes).toMatch(/From the registry: api-gateway 4\.1\.0 published \d{4}-\d{2}-\d{2}.*; 4\.2\.0 published \d{4}-\d{2}-\d{2}/);
      expect(plan.items[0]!.changelog.commits).toEqual([]);
    } finally {
      execFileSync("git", ["tag", tag, sha], { cwd: repo });
    }
  });

  it("raises one change request however often it is asked, and refuses a plan made on an older head", async () => {
    const targets = [{ service: "checkout" }, { service: "gateway" }];
    const { plan } = await planUpgrade(deps, env(), targets);
    const [first, second] = await Promise.all([
      raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha }),
      raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha }),
    ]);
    expect(second.id).toBe(first.id);
    expect([first.reused, second.reused].sort()).toEqual([false, true]);
    expect(await database.db.releaseRequest.count()).toBe(1);
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: first.id }, include: { items: true } });
    expect(request).toMatchObject({ state: "open", requester: "ben", provider: "local", baseBranch: "main", branch: plan.branch });
    expect(git("log", "-1", "--format=%an%n%B", plan.branch)).toContain("Co-authored-by: Ben Backend <ben@slipway.example>");
    expect(git("rev-list", "--count", `main..${plan.branch}`)).toBe("1");
    await expect(raiseUpgrade(deps, ben, env(), { targets: [{ service: "checkout" }], baseSha: "0".repeat(40) })).rejects.toThrow(PlanOutdatedError);
  });

  it("lets a gatekeeper, not the requester, merge it; the environment then runs the new versions", async () => {
    const request = await database.db.releaseRequest.findFirstOrThrow();
    await expect(mergeReleaseRequest(deps, ben, request.id)).rejects.toThrow(/ben may not approve and merge changes to payments-eu/);
    await mergeReleaseRequest(deps, gita, request.id);
    const merged = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(merged).toMatchObject({ state: "merged", mergedBy: "gita", approvedBy: "gita" });
    expect(git("rev-parse", "main")).toBe(merged.mergeSha);
    const status = await readEnvironmentStatus(env(), { ...deps, stats: { requests: 0, notModified: 0, bytes: 0 } });
    expect(status.services.filter((s) => ["checkout", "gateway"].includes(s.service)).map((s) => [s.service, s.running, s.version.status])).toEqual([
      ["checkout", "1.3.2", "current"],
      ["gateway", "4.2.0", "current"],
    ]);
    await expect(mergeReleaseRequest(deps, gita, request.id)).rejects.toThrow(/is merged, not open/);
    const audit = await database.db.auditEvent.findMany({ where: { target: `#${request.id}` }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([["release.raised", "ben"], ["release.approved", "gita"], ["release.merged", "gita"]]);
  });

  it("closes an open request without merging", async () => {
    const { plan } = await planUpgrade(deps, env(), [{ service: "payments", version: "2.3.0" }]);
    expect(plan.items[0]!.direction).toBe("downgrade");
    const { id } = await raiseUpgrade(deps, ben, env(), { targets: [{ service: "payments", version: "2.3.0" }], baseSha: plan.baseSha });
    await closeReleaseRequest(deps, ben, id);
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "closed", closedBy: "ben" });
    await expect(closeReleaseRequest(deps, ben, id)).rejects.toThrow(/is closed, not open/);
  });

  it("raises the same plan again after it was closed: a new request on a fresh branch, the old branch untouched", async () => {
    const targets = [{ service: "payments", version: "2.3.0" }];
    const { plan } = await planUpgrade(deps, env(), targets);
    const closed = await database.db.releaseRequest.findFirstOrThrow({ where: { state: "closed", branch: plan.branch } });
    const oldHead = git("rev-parse", plan.branch);
    const again = await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha });
    expect(again).toMatchObject({ reused: false });
    expect(again.id).not.toBe(closed.id);
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: again.id } });
    expect(request).toMatchObject({ state: "open", branch: `${plan.branch}-2` });
    expect(git("rev-parse", plan.branch)).toBe(oldHead);
    expect(git("rev-parse", `${plan.branch}-2`)).toBe(request.headSha);
    await closeReleaseRequest(deps, ben, again.id);
  });

  it("retries a failed raise instead of returning it as if it were open", async () => {
    const targets = [{ service: "checkout", version: "1.3.1" }];
    const { plan } = await planUpgrade(deps, env(), targets);
    const first = await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha });
    // As a crash after the branch was written would leave it: the row failed, the branch there.
    await database.db.releaseRequest.update({ where: { id: first.id }, data: { state: "failed", error: "the database went away" } });
    const retry = await raiseUpgrade(deps, ben, env(), { targets, baseSha: plan.baseSha });
    expect(retry).toEqual({ id: first.id, reused: false });
    const retried = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: first.id } });
    // The first attempt's branch is left as it was; the retry commits afresh beside it.
    expect(retried).toMatchObject({ state: "open", error: null, branch: `${plan.branch}-2` });
    expect(git("rev-parse", `${plan.branch}-2`)).toBe(retried.headSha);
  });

  it("refuses another open request's branch by name instead of failing with a server error", async () => {
    const open = await database.db.releaseRequest.findFirstOrThrow({ where: { state: "open" } });
    const targets = [{ service: "checkout", version: "1.3.1" }];
    const { plan } = await planUpgrade(deps, env(), targets);
    expect(open.branch).toBe(`${plan.branch}-2`);
    // The same versions on another base: a different idempotency key, the same branch name, held by an open request.
    git("commit", "--allow-empty", "-q", "-m", "move main");
    const { plan: moved } = await planUpgrade(deps, env(), targets);
    await expect(raiseUpgrade(deps, ben, env(), { targets, baseSha: moved.baseSha })).rejects.toThrow(
      new RegExp(`Branch ${open.branch.replace(/[.]/g, "\\.")} already carries change request #${open.id}`),
    );
    const failed = await database.db.releaseRequest.findFirstOrThrow({ where: { baseSha: moved.baseSha } });
    expect(failed).toMatchObject({ state: "failed", error: expect.stringContaining(`#${open.id}`) });
  });

  it("merges exactly the reviewed commit: a branch that moved since review is refused and the refusal audited", async () => {
    const request = await database.db.releaseRequest.findFirstOrThrow({ where: { state: "open", branch: { startsWith: "slipway/payments-eu/upgrade-checkout-1.3.1" } } });
    const main = git("rev-parse", "main");
    // Someone with push access slips a change onto the reviewed branch.
    const tree = git("rev-parse", `${request.headSha}^{tree}`);
    const sneaky = git("commit-tree", tree, "-p", request.headSha!, "-m", "sneak");
    git("update-ref", `refs/heads/${request.branch}`, sneaky);
    await expect(mergeReleaseRequest(deps, gita, request.id)).rejects.toThrow(/changed since review .*: review again/);
    expect(git("rev-parse", "main")).toBe(main);
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: "open" });
    const refused = await database.db.auditEvent.findFirstOrThrow({ where: { action: "release.merge-refused", target: `#${request.id}` } });
    expect(refused).toMatchObject({ actor: "gita", detail: expect.objectContaining({ reviewed: request.headSha, found: sneaky }) });
    git("update-ref", `refs/heads/${request.branch}`, request.headSha!);
  });

  it("refuses reviewed commits that touch files the plan did not", async () => {
    const request = await database.db.releaseRequest.findFirstOrThrow({ where: { state: "open", branch: { startsWith: "slipway/payments-eu/upgrade-checkout-1.3.1" } } });
    // The recorded head itself carries an unplanned file (as a branch adopted from someone else could).
    const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: stack(), input: "evil: true\n" }).toString().trim();
    const index = path.join(root, "sneaky-index");
    const withIndex = { cwd: stack(), env: { ...process.env, GIT_INDEX_FILE: index } };
    execFileSync("git", ["read-tree", request.headSha!], withIndex);
    execFileSync("git", ["update-index", "--add", "--cacheinfo", `100644,${blob},values.yaml`], withIndex);
    const tree = execFileSync("git", ["write-tree"], withIndex).toString().trim();
    const sneaky = git("commit-tree", tree, "-p", request.headSha!, "-m", "also values");
    git("update-ref", `refs/heads/${request.branch}`, sneaky);
    await database.db.releaseRequest.update({ where: { id: request.id }, data: { headSha: sneaky } });
    await expect(mergeReleaseRequest(deps, gita, request.id)).rejects.toThrow(/changes files the plan did not: values\.yaml: review again/);
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: "open" });
  });

  it("never lets a gatekeeper merge what they raised themselves", async () => {
    const targets = [{ service: "gateway", version: "4.1.0" }];
    const { plan } = await planUpgrade(deps, env(), targets);
    const { id } = await raiseUpgrade(deps, gita, env(), { targets, baseSha: plan.baseSha });
    await expect(mergeReleaseRequest(deps, gita, id)).rejects.toThrow(/gita raised #\d+; another gatekeeper must approve it/);
  });
});
