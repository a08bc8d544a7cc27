import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace, parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { type GitProviderRouter, chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { RaiseDeferredError, raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { type GitHubTestServer, startGitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";
import { REGISTRY_NAME, seedServiceRepo, seedStack, writeFileRegistry } from "./github-stack-fixture";

/**
 * A raise that meets a GitHub rate limit Slipway will not wait for (a secondary limit without retry-after: the
 * throttling plugin assumes 60 s, Slipway waits 30 s at most) is deferred, then resumed — by raising the plan again or
 * by the periodic sync — exactly once: one request row, one branch, one pull request, however many resume at once.
 */

const TOKEN = "ghp_deferred";
const TOKEN_ENV = "SLIPWAY_DEFERRED_GITHUB_TOKEN";
const ben: Principal = { username: "ben", name: "Ben Backend", email: "ben@example.com", source: "local", oidcGroups: [], githubTeams: [] };
const PULLS = "POST /repos/{owner}/{repo}/pulls";
const REFS = "POST /repos/{owner}/{repo}/git/refs";
const BLOBS = "POST /repos/{owner}/{repo}/git/blobs";

let root: string;
let server: GitHubTestServer;
let stack: TestRepository;
let database: TestDatabase;
let workspace: Workspace;
let git: GitProviderRouter;

function releaseDeps(now?: Date) {
  const { endpoints } = resolveRegistryEndpoints(workspace.config, () => undefined);
  return {
    config: workspace.config,
    db: database.db,
    git,
    pullRequests: git,
    registries: createRegistryClient({ baseDir: workspace.baseDir }),
    endpoints,
    ...(now ? { now: () => now } : {}),
  };
}

const environment = (name: string) => workspace.config.environments.find((e) => e.name === name)!;
const pullsFrom = (branch: string) => server.pullRequests("acme/shop-stack").filter((pull) => pull.head.ref === branch);
/** The secondary limit GitHub sends without retry-after, on the first matching request. */
const limitOnce = (method: string, route: RegExp) =>
  server.injectOnce({ method, path: route, kind: "secondary-rate-limit", status: 429, retryAfterSeconds: null });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-deferred-raise-"));
  server = await startGitHubTestServer({ tokens: { [TOKEN]: "slipway-bot" } });
  const registryUrl = writeFileRegistry(path.join(root, "registry"), [{ name: "orders", versions: ["1.0.0", "1.1.0", "1.2.0"] }]);
  stack = await server.createRepository("acme/shop-stack", { collaborators: ["gita"] });
  const base = await seedStack(stack, "main", [{ name: "orders", version: "1.0.0" }]);
  await stack.branch("production", base);
  await seedServiceRepo(server, "acme/orders", [
    { version: "1.0.0", tickets: ["ORD-1"] },
    { version: "1.1.0", tickets: ["ORD-11"] },
    { version: "1.2.0", tickets: ["ORD-20"] },
  ]);
  const config = `
github:
  apiUrl: ${server.url}
  auth: { tokenEnv: ${TOKEN_ENV} }
registries:
  - { name: ${REGISTRY_NAME}, url: ${registryUrl} }
services:
  orders: { repo: acme/orders, jiraProject: ORD }
environments:
  - { name: shop-staging, repo: acme/shop-stack, branch: main }
  - { name: shop-production, repo: acme/shop-stack, branch: production }
access:
  grants:
    - { role: requester, members: { users: [ben] } }
    - { role: gatekeeper, environments: [shop-staging, shop-production], members: { users: ["github:gita"] } }
`;
  workspace = parseWorkspaceConfig(config, path.join(root, "slipway.yaml"));
  git = chooseGitProvider({
    local: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") }),
    github: workspace.config.github,
    secret: (name) => (name === TOKEN_ENV ? TOKEN : undefined),
    gitHubClient: { throttle: { spaceWrites: false, retryAfterBaseValueMs: 5 }, retry: { retries: 0, retryAfterBaseValueMs: 5 } },
  });
  database = await createPgliteDatabase();
});

afterAll(async () => {
  await database?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
});

describe("a raise stopped by a rate limit", () => {
  it("is deferred with the time to retry, then resumed once by raising again: one row, one branch, one pull request", async () => {
    const env = environment("shop-staging");
    const targets = [{ service: "orders", version: "1.1.0" }];
    const { plan } = await planUpgrade(releaseDeps(), env, targets);
    limitOnce("POST", /\/pulls$/);

    const started = Date.now();
    const error = await raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RaiseDeferredError);
    const deferred = error as RaiseDeferredError;
    const clock = deferred.retryAfter.toISOString().slice(11, 16);
    expect(deferred.message).toBe(
      `GitHub's rate limit stopped raising change request #${deferred.requestId} in shop-staging: the pull request will be opened ` +
        `after ${clock} UTC; nothing was lost. Slipway resumes it on its first refresh after that time, or raise the same plan again then.`,
    );
    // GitHub gave no retry-after: a minute, as its documentation advises; Slipway did not sit through it.
    expect(deferred.retryAfter.getTime()).toBeGreaterThanOrEqual(started + 60_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(server.count(PULLS)).toBe(1);
    expect(pullsFrom(plan.branch)).toHaveLength(0);
    const branchSha = await stack.rev(`refs/heads/${plan.branch}`);
    const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: deferred.requestId } });
    expect(row).toMatchObject({ state: "deferred", retryAfter: deferred.retryAfter, number: null });
    expect(row.commitMessage).toContain("Co-authored-by: Ben Backend <ben@example.com>");

    // Before the time: nothing is sent to GitHub's write endpoints, and the answer says when.
    server.resetRequests();
    await expect(raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha })).rejects.toThrow(
      new RaiseDeferredError(deferred.message, deferred.requestId, deferred.retryAfter),
    );
    expect(server.requests.filter((request) => request.method !== "GET")).toEqual([]);

    // After it: two resumes at once (a double click); one opens the pull request, the other finds it taken.
    server.resetRequests();
    const later = new Date(deferred.retryAfter.getTime() + 1000);
    const results = await Promise.all([
      raiseUpgrade(releaseDeps(later), ben, env, { targets, baseSha: plan.baseSha }),
      raiseUpgrade(releaseDeps(later), ben, env, { targets, baseSha: plan.baseSha }),
    ]);
    expect(results.map((result) => result.id)).toEqual([deferred.requestId, deferred.requestId]);
    expect(results.map((result) => result.reused).sort()).toEqual([false, true]);
    expect(pullsFrom(plan.branch)).toHaveLength(1);
    expect(server.count(PULLS)).toBe(1);
    // The branch the deferred attempt created is reused, not written again.
    expect(server.count(REFS) + server.count(BLOBS)).toBe(0);
    expect(await stack.rev(`refs/heads/${plan.branch}`)).toBe(branchSha);
    expect(await database.db.releaseRequest.count({ where: { branch: plan.branch } })).toBe(1);
    const opened = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: deferred.requestId } });
    expect(opened).toMatchObject({ state: "open", number: pullsFrom(plan.branch)[0]!.number, headSha: branchSha, retryAfter: null, error: null, commitMessage: null });
    expect(pullsFrom(plan.branch)[0]).toMatchObject({ labels: ["slipway", "upgrade"], requestedReviewers: ["gita"] });
    expect(await database.db.auditEvent.count({ where: { action: "release.raised", target: `#${deferred.requestId}` } })).toBe(1);

    // And raising it once more is the ordinary "already raised".
    expect(await raiseUpgrade(releaseDeps(later), ben, env, { targets, baseSha: plan.baseSha })).toEqual({ id: deferred.requestId, reused: true });
  });

  it("is resumed by the periodic sync once the time has passed, exactly once however many syncs run", async () => {
    const env = environment("shop-production");
    const targets = [{ service: "orders", version: "1.2.0" }];
    const { plan } = await planUpgrade(releaseDeps(), env, targets);
    // Stopped before the branch exists: the resume must re-plan and write the commit itself.
    limitOnce("POST", /\/git\/blobs$/);
    const deferred = (await raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha }).catch((caught: unknown) => caught)) as RaiseDeferredError;
    expect(deferred).toBeInstanceOf(RaiseDeferredError);
    await expect(stack.rev(`refs/heads/${plan.branch}`)).rejects.toThrow(/no commit/);

    // A sync before the time leaves it alone.
    server.resetRequests();
    const early = await syncPullRequests({ db: database.db, pullRequests: git, release: releaseDeps() });
    expect(early.resumed).toBe(0);
    expect(server.requests.filter((request) => request.method !== "GET")).toEqual([]);

    const later = new Date(deferred.retryAfter.getTime() + 1000);
    const syncs = await Promise.all([
      syncPullRequests({ db: database.db, pullRequests: git, release: releaseDeps(later) }),
      syncPullRequests({ db: database.db, pullRequests: git, release: releaseDeps(later) }),
    ]);
    expect(syncs.map((sync) => sync.resumed).reduce((a, b) => a + b)).toBe(1);
    expect(syncs.flatMap((sync) => sync.failures)).toEqual([]);
    expect(pullsFrom(plan.branch)).toHaveLength(1);
    expect(server.count(REFS)).toBe(1);
    const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: deferred.requestId } });
    expect(row).toMatchObject({ state: "open", number: pullsFrom(plan.branch)[0]!.number, headSha: await stack.rev(`refs/heads/${plan.branch}`) });
    // The commit credits the requester even though the sync, not Ben, resumed it.
    const commit = await stack.git("log", "-1", "--format=%an%n%B", `refs/heads/${plan.branch}`);
    expect(commit.startsWith(`Slipway\n${plan.title}\n`)).toBe(true);
    expect(commit).toContain(`Raised through Slipway as change request #${deferred.requestId}.`);
    expect(commit).toContain("Co-authored-by: Ben Backend <ben@example.com>");
    expect(await database.db.releaseRequest.count({ where: { branch: plan.branch } })).toBe(1);
  });
});
