import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { type Workspace, parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { type GitProviderRouter, chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readAutoMergeStatus } from "@/lib/releases/auto-merge-pull-request";
import { runAutoUpgrades } from "@/lib/releases/auto-upgrade";
import { recordPullRequestMerged, syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { type GitHubTestServer, startGitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";
import { REGISTRY_NAME, seedServiceRepo, seedStack, writeFileRegistry } from "./github-stack-fixture";

const TOKEN = "ghp_auto_merge";
const BOT = "slipway-bot";
const TOKEN_ENV = "SLIPWAY_AUTO_MERGE_GITHUB_TOKEN";
const REPO = "acme/shop-stack";

let root: string;
let server: GitHubTestServer;
let stack: TestRepository;
let database: TestDatabase;
let workspace: Workspace;
let git: GitProviderRouter;

/** Publishes `orders` up to `latest` in the file registry (each test moves it one minor version further). */
function publishOrders(latest: string): string {
  const versions = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0"];
  return writeFileRegistry(path.join(root, "registry"), [{ name: "orders", versions: versions.slice(0, versions.indexOf(latest) + 1) }]);
}

function deps() {
  return {
    config: workspace.config,
    db: database.db,
    git,
    pullRequests: git,
    registries: createRegistryClient({ baseDir: workspace.baseDir }),
    endpoints: resolveRegistryEndpoints(workspace.config, secretsFrom(process.env)).endpoints,
  };
}

/** What the refresher does (lib/snapshots/refresher.ts): snapshots, pull requests followed, then Slipway's own steps. */
async function refresh() {
  const refreshed = await refreshSnapshots({ ...deps(), workspace }, { trigger: "test" });
  expect(refreshed.failed).toBe(0);
  expect((await syncPullRequests({ db: database.db, pullRequests: git, release: deps() })).failures).toEqual([]);
  return runAutoUpgrades(deps());
}

async function openRequest(environment: string) {
  return database.db.releaseRequest.findFirstOrThrow({ where: { environment, state: "open", requesterSource: "system" }, include: { items: true } });
}

const pass = (sha: string) => {
  server.checks.addCheckRun(REPO, sha, { name: "build", status: "completed", conclusion: "success" });
  server.checks.setStatus(REPO, sha, { context: "ci/jenkins", state: "success" });
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-github-auto-merge-"));
  server = await startGitHubTestServer({ tokens: { [TOKEN]: BOT } });
  const registryUrl = publishOrders("1.1.0");
  stack = await server.createRepository(REPO, { collaborators: ["gita", BOT] });
  const base = await seedStack(stack, "dev", [{ name: "orders", version: "1.0.0" }]);
  await stack.branch("qa", base);
  await seedServiceRepo(server, "acme/orders", [
    { version: "1.0.0", tickets: ["ORD-1"] },
    { version: "1.1.0", tickets: ["ORD-11"] },
    { version: "1.2.0", tickets: ["ORD-12"] },
    { version: "1.3.0", tickets: ["ORD-13"] },
    { version: "1.4.0", tickets: ["ORD-14"] },
  ]);
  const config = `
github:
  apiUrl: ${server.url}
  auth: { tokenEnv: ${TOKEN_ENV} }
registries:
  - name: ${REGISTRY_NAME}
    url: ${registryUrl}
services:
  orders: { repo: acme/orders, jiraProject: ORD }
environments:
  - name: shop-dev
    repo: ${REPO}
    branch: dev
    autoUpgrade: { services: all, level: minor }
    autoMerge: true
  - name: shop-qa
    repo: ${REPO}
    branch: qa
    autoUpgrade: { services: all, level: minor }
access:
  grants:
    - role: gatekeeper
      members: { users: [gita] }
`;
  workspace = parseWorkspaceConfig(config, path.join(root, "slipway.yaml"));
  git = chooseGitProvider({
    local: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") }),
    github: workspace.config.github,
    secret: (name) => (name === TOKEN_ENV ? TOKEN : undefined),
    gitHubClient: { throttle: { spaceWrites: false, retryAfterBaseValueMs: 5 }, retry: { retries: 0, retryAfterBaseValueMs: 5 }, mergeablePolling: { attempts: 3, delayMs: 5 } },
  });
  database = await createPgliteDatabase();
});

afterAll(async () => {
  await database?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("reading a commit's checks through the adapter", () => {
  it("reads every page of check runs and the combined status, and combines them", async () => {
    const sha = await stack.rev("refs/heads/qa");
    for (let i = 0; i < 104; i++) server.checks.addCheckRun(REPO, sha, { name: `matrix-${String(i).padStart(3, "0")}`, status: "completed", conclusion: "success" });
    server.checks.setStatus(REPO, sha, { context: "ci/jenkins", state: "success" });
    server.resetRequests();
    const host = git.pullRequestsFor(REPO)!;
    expect(await host.readChecks(REPO, sha)).toEqual({ state: "passing", pending: [], failing: [] });
    expect(server.count("GET /repos/{owner}/{repo}/commits/{ref}/check-runs")).toBe(2);
    expect(server.count("GET /repos/{owner}/{repo}/commits/{ref}/status")).toBe(1);

    // The last run of a name is the one that counts: a failure on the second page is seen.
    server.checks.addCheckRun(REPO, sha, { name: "matrix-000", status: "completed", conclusion: "timed_out" });
    server.checks.setStatus(REPO, sha, { context: "ci/jenkins", state: "pending" });
    expect(await host.readChecks(REPO, sha)).toEqual({ state: "failing", pending: ["ci/jenkins"], failing: ["matrix-000"] });
    await expect(host.readChecks(REPO, "f".repeat(40))).rejects.toThrow(`commit ffffffffff not found in ${REPO}, so its checks cannot be read`);
  });
});

describe("Slipway merging its own pull requests when checks pass", () => {
  it("raises one pull request per environment, and waits for checks still running", async () => {
    const outcomes = await refresh();
    expect(outcomes.map((o) => [o.environment, o.raised?.services, o.raised?.merged])).toEqual([
      ["shop-dev", ["orders"], false],
      ["shop-qa", ["orders"], false],
    ]);
    const request = await openRequest("shop-dev");
    expect(readAutoMergeStatus(request.followUps)).toMatchObject({ state: "waiting", detail: expect.stringContaining("once its checks pass") });

    server.checks.addCheckRun(REPO, request.headSha!, { name: "build", status: "in_progress" });
    server.checks.setStatus(REPO, request.headSha!, { context: "ci/jenkins", state: "pending" });
    const [dev] = await refresh();
    expect(dev!.autoMerged).toEqual([{ id: request.id, state: "waiting", detail: "waiting for checks: 2 pending (build, ci/jenkins)" }]);
    expect(server.checks.merges(REPO)).toEqual([]);
    const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.state).toBe("open");
    expect(readAutoMergeStatus(row.followUps)).toMatchObject({ state: "waiting", detail: "waiting for checks: 2 pending (build, ci/jenkins)", headSha: request.headSha });
  });

  it("merges exactly once, with the commit it raised, once the checks pass; the history says Slipway did", async () => {
    const request = await openRequest("shop-dev");
    pass(request.headSha!);
    const [dev] = await refresh();
    expect(dev!.autoMerged).toEqual([{ id: request.id, state: "merged", detail: expect.stringMatching(/^merged by Slipway at [0-9a-f]{10}: checks passed$/) }]);
    expect(server.checks.merges(REPO)).toEqual([{ number: request.number, sha: request.headSha, mergedBy: BOT }]);
    const merged = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(merged).toMatchObject({ state: "merged", mergedBy: "slipway", requester: "slipway", requesterSource: "system", error: null });
    expect(merged.mergeSha).toBe(await stack.rev("refs/heads/dev"));
    expect(await stack.git("show", "refs/heads/dev:Chart.yaml")).toMatch(/name: orders\n {4}version: 1\.1\.0/);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "release.merged", target: `#${request.id}` } });
    expect(audit).toMatchObject({ actor: "slipway", actorSource: "system", environment: "shop-dev" });
    expect(audit.detail).toMatchObject({ headSha: request.headSha, pullRequest: request.number, mergeSha: merged.mergeSha });

    // The next refresh sees the new version running: nothing to raise, nothing merged twice.
    const [again] = await refresh();
    expect(again).toEqual({ environment: "shop-dev" });
    expect(server.checks.merges(REPO)).toHaveLength(1);
  });

  it("does not merge on a failed check and says which; a re-run that passes lets it through", async () => {
    publishOrders("1.2.0");
    const [raised] = await refresh();
    expect(raised!.raised).toMatchObject({ services: ["orders"], merged: false });
    const request = await openRequest("shop-dev");
    server.checks.addCheckRun(REPO, request.headSha!, { name: "build", status: "completed", conclusion: "success" });
    server.checks.addCheckRun(REPO, request.headSha!, { name: "e2e", status: "completed", conclusion: "failure" });

    for (let pass = 0; pass < 2; pass++) {
      const [dev] = await refresh();
      expect(dev!.autoMerged).toEqual([{ id: request.id, state: "failing", detail: "checks failed: e2e; Slipway merges once they pass on a re-run" }]);
      expect(dev!.skipped).toBe(`Slipway's request #${request.id} is still open there`);
    }
    expect(server.checks.merges(REPO)).toHaveLength(1);
    expect(readAutoMergeStatus((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).followUps)).toMatchObject({
      state: "failing",
      detail: expect.stringContaining("checks failed: e2e"),
    });

    server.checks.addCheckRun(REPO, request.headSha!, { name: "e2e", status: "completed", conclusion: "success" });
    const [dev] = await refresh();
    expect(dev!.autoMerged?.[0]).toMatchObject({ id: request.id, state: "merged" });
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe("merged");
  });

  it("does not merge a pull request someone pushed to, and flags it once in the audit trail", async () => {
    publishOrders("1.3.0");
    await refresh();
    const request = await openRequest("shop-dev");
    const pushed = await stack.commit({ branch: request.branch, files: { "extra.txt": "one more thing\n" }, message: "One more thing" });
    pass(request.headSha!);
    pass(pushed);

    for (let pass = 0; pass < 2; pass++) {
      const [dev] = await refresh();
      expect(dev!.autoMerged).toEqual([
        { id: request.id, state: "blocked", detail: expect.stringContaining(`now points at ${pushed.slice(0, 10)}, not the commit Slipway raised (${request.headSha!.slice(0, 10)})`) },
      ]);
    }
    expect(server.checks.merges(REPO)).toHaveLength(2);
    expect(server.pullRequests(REPO).find((p) => p.number === request.number)!.state).toBe("open");
    const refused = await database.db.auditEvent.findMany({ where: { action: "release.merge-refused", target: `#${request.id}` } });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor: "slipway", actorSource: "system" });
    // A person closes it on GitHub; the next refresh follows that and raises the upgrade afresh.
    server.closePullRequest(REPO, request.number!);
  });

  it("reports GitHub's refusal when branch protection wants an approving review, and merges once it has one", async () => {
    publishOrders("1.4.0");
    await refresh();
    const request = await openRequest("shop-dev");
    server.checks.protectBranch(REPO, "dev", { requiredApprovingReviews: 1 });
    pass(request.headSha!);
    const [dev] = await refresh();
    expect(dev!.autoMerged).toEqual([
      { id: request.id, state: "blocked", detail: expect.stringContaining("At least 1 approving review is required by reviewers with write access.") },
    ]);
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe("open");

    server.checks.approve(REPO, request.number!, "gita");
    const [after] = await refresh();
    expect(after!.autoMerged?.[0]).toMatchObject({ id: request.id, state: "merged" });
    expect(server.checks.merges(REPO).at(-1)).toEqual({ number: request.number, sha: request.headSha, mergedBy: BOT });
  });

  it("says Slipway merged it even when GitHub's webhook for that merge is recorded first", async () => {
    publishOrders("1.5.0");
    server.checks.protectBranch(REPO, "dev", { requiredApprovingReviews: 0 });
    // The refresh after a merge sees the merged version first; the one after raises the next upgrade.
    for (let i = 0; i < 3 && !(await database.db.releaseRequest.count({ where: { environment: "shop-dev", state: "open" } })); i++) await refresh();
    const request = await openRequest("shop-dev");
    pass(request.headSha!);
    // The webhook (which knows nothing of who merged) records the merge between GitHub's answer and Slipway's record.
    const webhookFirst = {
      ...git,
      pullRequestsFor: (repo: string) => {
        const real = git.pullRequestsFor(repo)!;
        return {
          ...real,
          mergePullRequest: async (...args: Parameters<typeof real.mergePullRequest>) => {
            const merged = await real.mergePullRequest(...args);
            const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
            await recordPullRequestMerged({ db: database.db, release: deps() }, row, { headSha: row.headSha!, mergedAt: new Date(), mergeCommitSha: merged.merged ? merged.sha : undefined });
            return merged;
          },
        };
      },
    };
    await refreshSnapshots({ ...deps(), workspace }, { trigger: "test" });
    const [dev] = await runAutoUpgrades({ ...deps(), pullRequests: webhookFirst });
    expect(dev!.autoMerged?.[0]).toMatchObject({ id: request.id, state: "merged" });
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: "merged", mergedBy: "slipway" });
    const audits = await database.db.auditEvent.findMany({ where: { action: "release.merged", target: `#${request.id}` } });
    expect(audits.map((a) => [a.actor, a.actorSource])).toEqual([["slipway", "system"]]);
  });

  it("never merges in an environment without autoMerge, however green its checks", async () => {
    const request = await openRequest("shop-qa");
    pass(request.headSha!);
    const outcomes = await refresh();
    const qa = outcomes.find((o) => o.environment === "shop-qa")!;
    expect(qa).toEqual({ environment: "shop-qa", skipped: `Slipway's request #${request.id} is still open there` });
    expect(server.checks.merges(REPO).filter((m) => m.number === request.number)).toEqual([]);
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe("open");
    expect(readAutoMergeStatus(request.followUps)).toBeUndefined();
  });
});
