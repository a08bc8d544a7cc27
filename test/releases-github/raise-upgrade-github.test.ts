import { mkdtemp, rm } from "node:fs/promises";
import { secretsFrom } from "@/lib/config/environment";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace, parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { ConfigError } from "@/lib/errors";
import { type GitProviderRouter, chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { type GitHubTestServer, startGitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";
import { REGISTRY_NAME, seedServiceRepo, seedStack, writeFileRegistry } from "./github-stack-fixture";

const TOKEN = "ghp_slipway";
const BOT = "slipway-bot";
const TOKEN_ENV = "SLIPWAY_TEST_GITHUB_TOKEN";

const ben: Principal = { username: "ben", name: "Ben Backend", email: "ben@example.com", source: "local", oidcGroups: [], githubTeams: [] };

let root: string;
let server: GitHubTestServer;
let stack: TestRepository;
let database: TestDatabase;
let workspace: Workspace;
let git: GitProviderRouter;

function configText(apiUrl: string, registryUrl: string): string {
  return `
github:
  apiUrl: ${apiUrl}
  auth: { tokenEnv: ${TOKEN_ENV} }
registries:
  - name: ${REGISTRY_NAME}
    url: ${registryUrl}
services:
  orders: { repo: acme/orders, jiraProject: ORD }
  payments: { repo: acme/payments, jiraProject: PAY }
environments:
  - name: shop-staging
    repo: acme/shop-stack
    branch: main
    url: https://staging.shop.example.com
  - name: shop-production
    repo: acme/shop-stack
    branch: production
access:
  grants:
    - role: requester
      members: { users: [ben] }
    - role: gatekeeper
      environments: [shop-staging, shop-production]
      members: { users: [gita, "github:gita"], githubTeams: [acme/release-managers, other-org/ops] }
`;
}

function routerFor(env: Record<string, string | undefined>, retries = 0): GitProviderRouter {
  return chooseGitProvider({
    local: createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") }),
    github: workspace.config.github,
    secret: (name) => env[name],
    gitHubClient: { throttle: { spaceWrites: false, retryAfterBaseValueMs: 5 }, retry: { retries, retryAfterBaseValueMs: 5 } },
  });
}

function releaseDeps(router = git) {
  const { endpoints } = resolveRegistryEndpoints(workspace.config, secretsFrom(process.env));
  return {
    config: workspace.config,
    db: database.db,
    git: router,
    pullRequests: router,
    registries: createRegistryClient({ baseDir: workspace.baseDir }),
    endpoints,
  };
}

function environment(name: string) {
  return workspace.config.environments.find((e) => e.name === name)!;
}

/** Requests per route since the last reset, for the routes that were called. */
function requestsByRoute(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of server.requests) counts[request.route ?? request.path] = (counts[request.route ?? request.path] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-github-releases-"));
  server = await startGitHubTestServer({ tokens: { [TOKEN]: BOT } });
  const registryUrl = writeFileRegistry(path.join(root, "registry"), [
    { name: "orders", versions: ["1.0.0", "1.1.0", "1.2.0"] },
    { name: "payments", versions: ["2.0.0", "2.1.0"] },
    { name: "catalog", versions: ["3.0.0"] },
  ]);
  stack = await server.createRepository("acme/shop-stack", { collaborators: ["gita", BOT], teams: ["release-managers"] });
  const services = [
    { name: "catalog", version: "3.0.0" },
    { name: "orders", version: "1.0.0" },
    { name: "payments", version: "2.0.0" },
  ];
  const base = await seedStack(stack, "main", services);
  await stack.branch("production", base);
  await seedServiceRepo(server, "acme/orders", [
    { version: "1.0.0", tickets: ["ORD-1"] },
    { version: "1.1.0", tickets: ["ORD-11", "ORD-12"] },
    { version: "1.2.0", tickets: ["ORD-20"] },
  ]);
  await seedServiceRepo(server, "acme/payments", [
    { version: "2.0.0", tickets: ["PAY-1"] },
    { version: "2.1.0", tickets: ["PAY-7"] },
  ]);
  workspace = parseWorkspaceConfig(configText(server.url, registryUrl), path.join(root, "slipway.yaml"));
  git = routerFor({ [TOKEN_ENV]: TOKEN });
  database = await createPgliteDatabase();
});

afterAll(async () => {
  await database?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

beforeEach(() => server.resetRequests());

describe("raising an upgrade on GitHub", () => {
  it("opens one pull request: one commit editing both chart files, the plan as body, labels and gatekeepers as reviewers", async () => {
    const env = environment("shop-staging");
    const targets = [{ service: "orders", version: "1.1.0" }, { service: "payments" }];
    const { plan } = await planUpgrade(releaseDeps(), env, targets);
    const planned = requestsByRoute();
    server.resetRequests();

    const raised = await raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha });
    expect(raised.reused).toBe(false);

    // Exactly one commit on the new branch, on top of the planned base, touching Chart.yaml and Chart.lock.
    expect((await stack.git("rev-list", `${plan.baseSha}..refs/heads/${plan.branch}`)).trim().split("\n")).toHaveLength(1);
    expect((await stack.git("diff", "--name-only", plan.baseSha, `refs/heads/${plan.branch}`)).trim().split("\n")).toEqual(["Chart.lock", "Chart.yaml"]);
    const chartYaml = await stack.git("show", `refs/heads/${plan.branch}:Chart.yaml`);
    expect(chartYaml).toMatch(/name: orders\n {4}version: 1\.1\.0/);
    expect(chartYaml).toMatch(/name: payments\n {4}version: 2\.1\.0/);

    const pulls = server.pullRequests("acme/shop-stack");
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull).toMatchObject({
      state: "open",
      title: "Upgrade 2 services in shop-staging: orders 1.1.0, payments 2.1.0",
      head: { ref: plan.branch },
      base: { ref: "main" },
      labels: ["slipway", "upgrade"],
      requestedReviewers: ["gita"],
      requestedTeams: ["release-managers"],
      user: BOT,
    });
    expect(pull.body).toContain("| orders | 1.0.0 | 1.1.0 |");
    expect(pull.body).toContain("| payments | 2.0.0 | 2.1.0 |");
    expect(pull.body).toContain("https://staging.shop.example.com");
    for (const ticket of ["ORD-11", "ORD-12", "PAY-7"]) expect(pull.body).toContain(ticket);
    expect(pull.body).not.toContain("ORD-20");
    expect(pull.body).toMatch(/\n---\nRequested by Ben Backend \(ben\) through Slipway\.$/);
    const commit = await stack.git("log", "-1", "--format=%an <%ae>%n%B", `refs/heads/${plan.branch}`);
    expect(commit).toContain("Co-authored-by: Ben Backend <ben@example.com>");

    const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: raised.id }, include: { items: true } });
    expect(row).toMatchObject({ provider: "github", state: "open", number: pull.number, url: expect.stringMatching(new RegExp(`/acme/shop-stack/pull/${pull.number}$`)), repo: "acme/shop-stack", branch: plan.branch });
    expect(row.headSha).toBe(await stack.rev(`refs/heads/${plan.branch}`));
    expect(row.items.map((i) => [i.service, i.fromVersion, i.toVersion, i.tickets])).toEqual([
      ["orders", "1.0.0", "1.1.0", ["ORD-12", "ORD-11"]],
      ["payments", "2.0.0", "2.1.0", ["PAY-7"]],
    ]);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "release.raised", target: `#${raised.id}` } });
    expect(audit.detail).toMatchObject({
      pullRequest: { number: pull.number, url: row.url },
      warnings: ["team other-org/ops is not in acme's organization, so it cannot be requested as a reviewer"],
    });

    // Deterministic request counts. Planning: branch head, 4 stack files (only the Chart.yaml and Chart.lock exist),
    // then tags and a compare per service for the changelogs.
    expect(planned).toEqual({
      "GET /repos/{owner}/{repo}/branches/{branch}": 1,
      "GET /repos/{owner}/{repo}/contents/{path}": 4,
      "GET /repos/{owner}/{repo}/tags": 2,
      "GET /repos/{owner}/{repo}/compare/{basehead}": 2,
    });
    // Raising re-plans (served conditionally, missing files remembered), then 2 blobs, the base commit, a tree, a
    // commit, the ref, the pull request, its labels and its reviewers.
    expect(requestsByRoute()).toEqual({
      "GET /repos/{owner}/{repo}/branches/{branch}": 1,
      "GET /repos/{owner}/{repo}/contents/{path}": 2,
      "GET /repos/{owner}/{repo}/tags": 2,
      "GET /repos/{owner}/{repo}/compare/{basehead}": 2,
      "POST /repos/{owner}/{repo}/git/blobs": 2,
      "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": 1,
      "POST /repos/{owner}/{repo}/git/trees": 1,
      "POST /repos/{owner}/{repo}/git/commits": 1,
      "POST /repos/{owner}/{repo}/git/refs": 1,
      "POST /repos/{owner}/{repo}/pulls": 1,
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": 1,
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": 1,
    });
  });

  it("raising the same plan again returns the first request and opens no second pull request", async () => {
    const env = environment("shop-staging");
    const targets = [{ service: "orders", version: "1.1.0" }, { service: "payments" }];
    const { plan } = await planUpgrade(releaseDeps(), env, targets);
    const first = await database.db.releaseRequest.findFirstOrThrow({ where: { branch: plan.branch } });
    server.resetRequests();

    const again = await raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha });
    expect(again).toEqual({ id: first.id, reused: true });
    expect(server.pullRequests("acme/shop-stack").filter((p) => p.head.ref === plan.branch)).toHaveLength(1);
    expect(server.count("POST /repos/{owner}/{repo}/git/refs")).toBe(0);
    expect(server.count("POST /repos/{owner}/{repo}/pulls")).toBe(0);
  });

  it("after the environment branch moved, raising the same versions finds the open pull request instead of failing", async () => {
    const env = environment("shop-staging");
    const targets = [{ service: "orders", version: "1.1.0" }, { service: "payments" }];
    const before = await planUpgrade(releaseDeps(), env, targets);
    const first = await database.db.releaseRequest.findFirstOrThrow({ where: { branch: before.plan.branch } });
    await stack.commit({ branch: "main", files: { "values.yaml": "global: { replicas: 2 }\n" }, message: "Scale up", date: "2024-02-02T10:00:00Z" });

    const { plan } = await planUpgrade(releaseDeps(), env, targets);
    expect(plan.baseSha).not.toBe(before.plan.baseSha);
    expect(plan.branch).toBe(before.plan.branch);
    const again = await raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha });
    expect(again).toEqual({ id: first.id, reused: true });
    expect(server.pullRequests("acme/shop-stack")).toHaveLength(1);
    expect(await database.db.releaseRequest.count({ where: { branch: plan.branch } })).toBe(1);
  });

  it("a retry after the pull request's answer was lost adopts the pull request GitHub did open", async () => {
    const env = environment("shop-production");
    const targets = [{ service: "orders", version: "1.2.0" }];
    const { plan } = await planUpgrade(releaseDeps(), env, targets);
    server.injectOnce({ kind: "drop-response", method: "POST", path: /\/pulls$/ });
    // No retries in this client: the lost answer fails the first attempt.
    const fragile = routerFor({ [TOKEN_ENV]: TOKEN }, 0);
    await expect(raiseUpgrade(releaseDeps(fragile), ben, env, { targets, baseSha: plan.baseSha })).rejects.toThrow();
    const failed = await database.db.releaseRequest.findFirstOrThrow({ where: { branch: plan.branch } });
    expect(failed.state).toBe("failed");
    expect(server.pullRequests("acme/shop-stack").filter((p) => p.head.ref === plan.branch)).toHaveLength(1);

    const retried = await raiseUpgrade(releaseDeps(), ben, env, { targets, baseSha: plan.baseSha });
    expect(retried).toEqual({ id: failed.id, reused: false });
    const pulls = server.pullRequests("acme/shop-stack").filter((p) => p.head.ref === plan.branch);
    expect(pulls).toHaveLength(1);
    const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: failed.id } });
    expect(row).toMatchObject({ state: "open", number: pulls[0]!.number, error: null });
    expect(row.headSha).toBe(await stack.rev(`refs/heads/${plan.branch}`));
  });
});

describe("following pull requests", () => {
  it("a pull request merged on GitHub marks its request merged; one closed unmerged marks it closed", async () => {
    const rows = await database.db.releaseRequest.findMany({ where: { provider: "github", state: "open" }, orderBy: { id: "asc" } });
    expect(rows).toHaveLength(2);
    const [staging, production] = rows as [(typeof rows)[0], (typeof rows)[0]];
    // Someone pushes onto the pull request after Slipway raised it, and it is merged like that on GitHub.
    const pushed = await stack.commit({ branch: staging.branch, files: { "extra/notes.txt": "one more thing\n" }, message: "One more thing", date: "2024-03-01T10:00:00Z" });
    const mergeSha = await server.mergePullRequest("acme/shop-stack", staging.number!, { mergedBy: "gita" });
    server.closePullRequest("acme/shop-stack", production.number!);
    server.resetRequests();

    expect(await syncPullRequests({ db: database.db, pullRequests: git })).toEqual({ checked: 2, merged: 1, closed: 1, resumed: 0, failures: [] });
    expect(server.count("GET /repos/{owner}/{repo}/pulls/{pull_number}")).toBe(2);
    const merged = await database.db.releaseRequest.findUniqueOrThrow({ where: { id: staging.id } });
    expect(merged).toMatchObject({ state: "merged", mergeSha, mergedBy: null });
    expect(merged.mergedAt).toBeInstanceOf(Date);
    // The record does not claim that what merged is what Slipway planned.
    expect(merged.error).toMatch(new RegExp(`merged on GitHub at ${pushed.slice(0, 10)}, not the commit Slipway raised \\(${staging.headSha!.slice(0, 10)}\\)`));
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "release.merged", target: `#${staging.id}` } });
    expect(audit.detail).toMatchObject({ changedSinceRaised: true, raised: staging.headSha, merged: pushed });
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: production.id } })).error).toBeNull();
    expect((await database.db.releaseRequest.findUniqueOrThrow({ where: { id: production.id } })).state).toBe("closed");

    // Nothing open any more: the next sync reads nothing.
    server.resetRequests();
    expect(await syncPullRequests({ db: database.db, pullRequests: git })).toEqual({ checked: 0, merged: 0, closed: 0, resumed: 0, failures: [] });
    expect(server.requests).toHaveLength(0);
  });
});

describe("refreshing GitHub environments", () => {
  it("reads stacks from GitHub in one GraphQL query; once heads carry ETags, a warm refresh is all 304s and costs no rate limit", async () => {
    server.resetRequests();
    // Release history (older commits, read file by file) is not what is counted here.
    const deps = {
      workspace,
      db: database.db,
      git: routerFor({ [TOKEN_ENV]: TOKEN }),
      registries: createRegistryClient({ baseDir: workspace.baseDir }),
      history: false as const,
    };
    const cold = await refreshSnapshots(deps, { trigger: "test" });
    expect(cold).toMatchObject({ environments: 2, failed: 0 });
    // Both stacks' heads and chart files in one query; nothing read file by file.
    const stackReads = server.requests.filter((r) => r.path === "/graphql" || /\/(git\/ref|branches|contents)\//.test(r.path));
    expect(stackReads.map((r) => r.path)).toEqual(["/graphql"]);
    const orders = await database.db.serviceSnapshot.findUniqueOrThrow({
      where: { environment_service: { environment: "shop-staging", service: "orders" } },
    });
    expect(orders).toMatchObject({ running: "1.1.0", latest: "1.2.0", status: "behind" });

    // A GraphQL answer has no ETag: the first warm refresh reads each head once through REST to get one...
    server.resetRequests();
    const first = await refreshSnapshots(deps, { trigger: "test" });
    expect(first).toMatchObject({ failed: 0, skipped: 2 });
    expect(server.requests).toHaveLength(2);

    // ...and from then on only the heads are asked, each answered 304: no chart file, no rate limit.
    server.resetRequests();
    const used = server.rateLimit(BOT).used;
    const warm = await refreshSnapshots(deps, { trigger: "test" });
    expect(warm).toMatchObject({ failed: 0, skipped: 2 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests.every((r) => r.status === 304)).toBe(true);
    expect(server.rateLimit(BOT).used).toBe(used);
  });
});

describe("choosing the git provider", () => {
  it("names the missing variable only once a GitHub repository is used", async () => {
    const router = routerFor({});
    const localStack = path.join(root, "local-stack");
    await expect(router.branchHead("acme/shop-stack", "main")).rejects.toThrow(
      new ConfigError(`GitHub repositories need the environment variable ${TOKEN_ENV} (github.auth.tokenEnv in slipway.yaml): set it, or remove the github section`),
    );
    // Paths and git URLs stay on plain git and need no GitHub variable.
    expect(router.isGitHub("./stacks/shop")).toBe(false);
    expect(router.isGitHub("/srv/git/shop")).toBe(false);
    expect(router.isGitHub("git@github.com:acme/shop.git")).toBe(false);
    expect(router.isGitHub("https://github.com/acme/shop")).toBe(false);
    expect(router.isGitHub("acme/shop")).toBe(true);
    await expect(router.branchHead(localStack, "main")).rejects.toThrow(/not found at/);
  });

  it("without a github section every repository is plain git", () => {
    const router = chooseGitProvider({
      local: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
      github: undefined,
      secret: () => undefined,
    });
    expect(router.isGitHub("acme/shop")).toBe(false);
    expect(router.pullRequestsFor("acme/shop")).toBeUndefined();
  });

  it("validates the github section", () => {
    const parse = (github: string) =>
      parseWorkspaceConfig(`${github}\nenvironments:\n  - { name: a, repo: acme/a }\n`, path.join(root, "check.yaml"));
    expect(parse("github:\n  auth: { tokenEnv: GH_TOKEN }").config.github).toEqual({ apiUrl: "https://api.github.com", auth: { tokenEnv: "GH_TOKEN" } });
    expect(parse("github:\n  apiUrl: https://ghe.example.com/api/v3\n  auth: { appIdEnv: GH_APP, privateKeyEnv: GH_KEY, installationIdEnv: GH_INST }").config.github?.apiUrl).toBe(
      "https://ghe.example.com/api/v3",
    );
    expect(() => parse("github:\n  apiUrl: http://ghe.example.com/api/v3\n  auth: { tokenEnv: GH_TOKEN }")).toThrow(/github\.apiUrl: must start with https:\/\//);
    expect(() => parse("github:\n  auth: { token: abc }")).toThrow(ConfigError);
    expect(() => parse("github:\n  auth: { tokenEnv: GH_TOKEN }\n  extra: 1")).toThrow(/extra/);
  });
});
