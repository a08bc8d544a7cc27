import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { secretsFrom } from "@/lib/config/environment";
import { type Workspace, parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { type GitProviderRouter, chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { environmentNamed, planPromotion } from "@/lib/releases/plan-promotion";
import { planRollback } from "@/lib/releases/plan-rollback";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { listSnapshots } from "@/lib/releases/snapshots";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { type GitHubTestServer, startGitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";
import { REGISTRY_NAME, seedServiceRepo, seedStack, umbrellaChartFiles, writeFileRegistry } from "./github-stack-fixture";

const TOKEN = "ghp_rollback";
const BOT = "slipway-bot";
const TOKEN_ENV = "SLIPWAY_ROLLBACK_GITHUB_TOKEN";
const ben: Principal = { username: "ben", name: "Ben Backend", email: "ben@example.com", source: "local", oidcGroups: [], githubTeams: [] };

let root: string;
let server: GitHubTestServer;
let stack: TestRepository;
let database: TestDatabase;
let workspace: Workspace;
let git: GitProviderRouter;
const shas: Record<string, string> = {};

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

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-github-rollback-"));
  server = await startGitHubTestServer({ tokens: { [TOKEN]: BOT } });
  const registryUrl = writeFileRegistry(path.join(root, "registry"), [
    { name: "orders", versions: ["1.0.0", "1.1.0", "1.2.0"] },
    { name: "payments", versions: ["2.0.0", "2.1.0"] },
  ]);
  stack = await server.createRepository("acme/shop-stack", { collaborators: ["gita", BOT] });
  shas.first = await seedStack(stack, "main", [{ name: "orders", version: "1.0.0" }, { name: "payments", version: "2.0.0" }]);
  await stack.branch("production", shas.first);
  shas.second = await stack.commit({
    branch: "main",
    files: umbrellaChartFiles(stack.name, [{ name: "orders", version: "1.2.0" }, { name: "payments", version: "2.1.0" }]),
    message: "Upgrade orders to 1.2.0 and payments to 2.1.0 (#3)",
    date: "2024-02-05T10:00:00Z",
  });
  await seedServiceRepo(server, "acme/orders", [
    { version: "1.0.0", tickets: ["ORD-1"] },
    { version: "1.1.0", tickets: ["ORD-11"] },
    { version: "1.2.0", tickets: ["ORD-20"] },
  ]);
  await seedServiceRepo(server, "acme/payments", [
    { version: "2.0.0", tickets: ["PAY-1"] },
    { version: "2.1.0", tickets: ["PAY-7"] },
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
  payments: { repo: acme/payments, jiraProject: PAY }
environments:
  - name: shop-staging
    repo: acme/shop-stack
    branch: main
    snapshots: { tagPattern: "staging-{date}.{n}" }
  - name: shop-production
    repo: acme/shop-stack
    branch: production
promotions:
  - [shop-staging, shop-production]
access:
  grants:
    - role: requester
      members: { users: [ben] }
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

describe("rollback and promotion on GitHub", () => {
  it("opens a rollback pull request labelled rollback, listing the tickets that leave", async () => {
    const staging = environmentNamed(workspace.config, "shop-staging");
    const { plan, preview } = await planRollback(deps(), staging, { to: shas.first!.slice(0, 10) });
    expect(preview.changes.map((c) => [c.service, c.from, c.to])).toEqual([
      ["orders", "1.2.0", "1.0.0"],
      ["payments", "2.1.0", "2.0.0"],
    ]);
    const targets = preview.changes.map((c) => ({ service: c.service, version: c.to }));
    const { id } = await raiseUpgrade(deps(), ben, staging, { targets, baseSha: plan.baseSha, purpose: { kind: "rollback", to: { sha: preview.to.sha, subject: preview.to.subject } } });
    const pull = server.pullRequests("acme/shop-stack").find((p) => p.head.ref === plan.branch)!;
    expect(pull).toMatchObject({ base: { ref: "main" }, labels: ["slipway", "rollback"], title: plan.title });
    expect(pull.body).toMatch(/Tickets that leave with this rollback \(3\): ORD-20, ORD-11, PAY-7\./);
    const row = await database.db.releaseRequest.findUniqueOrThrow({ where: { id }, include: { items: true } });
    expect(row).toMatchObject({ kind: "rollback", number: pull.number });
    expect(row.items.flatMap((i) => i.tickets).sort()).toEqual(["ORD-11", "ORD-20", "PAY-7"]);
  });

  it("opens a promotion pull request on the target branch, labelled promotion", async () => {
    const staging = environmentNamed(workspace.config, "shop-staging");
    const production = environmentNamed(workspace.config, "shop-production");
    const { plan, preview } = await planPromotion(deps(), staging, production);
    expect(preview.changes.map((c) => [c.service, c.to])).toEqual([["orders", "1.2.0"], ["payments", "2.1.0"]]);
    const targets = preview.changes.map((c) => ({ service: c.service, version: c.to }));
    await raiseUpgrade(deps(), ben, production, { targets, baseSha: plan.baseSha, purpose: { kind: "promotion", from: preview.from } });
    const pull = server.pullRequests("acme/shop-stack").find((p) => p.head.ref === plan.branch)!;
    expect(pull).toMatchObject({ base: { ref: "production" }, labels: ["slipway", "promotion"], title: "Promote 2 services (orders 1.2.0, payments 2.1.0) from shop-staging to shop-production" });
  });

  it("tags the merge commit as a snapshot when it sees the pull request merged", async () => {
    const rollback = await database.db.releaseRequest.findFirstOrThrow({ where: { kind: "rollback" } });
    const mergeSha = await server.mergePullRequest("acme/shop-stack", rollback.number!, { mergedBy: "gita" });
    const result = await syncPullRequests({ db: database.db, pullRequests: git, release: deps() });
    expect(result).toMatchObject({ merged: 1, failures: [] });
    const [snapshot] = await listSnapshots(git, environmentNamed(workspace.config, "shop-staging"));
    expect(snapshot).toEqual({ tag: expect.stringMatching(/^staging-\d{4}\.\d{2}\.\d{2}\.1$/), sha: mergeSha });
    expect(await stack.rev(`refs/tags/${snapshot!.tag}`)).toBe(mergeSha);
  });

  it("promotes a snapshot onto another branch as a merge of its tag, raised as a pull request", async () => {
    const staging = environmentNamed(workspace.config, "shop-staging");
    const production = environmentNamed(workspace.config, "shop-production");
    const files = umbrellaChartFiles(stack.name, [{ name: "orders", version: "1.1.0" }, { name: "payments", version: "2.1.0" }]);
    const snapshotSha = await stack.commit({ branch: "main", files: { ...files, "values.yaml": "orders: { replicas: 3 }\n" }, message: "Upgrade orders to 1.1.0 (#9)" });
    await stack.tag("staging-2026.12.02.7", snapshotSha);

    // Only some services: a merge would carry them all, so it is a version edit, and the plan says why.
    const partial = await planPromotion(deps(), staging, production, ["orders"], "staging-2026.12.02.7");
    expect(partial.plan.mergeOf).toBeUndefined();
    expect(partial.plan.notes[0]).toMatch(/^Promoted as a version edit, not a merge of the tag: a merge carries every service/);

    const { plan, preview, purpose } = await planPromotion(deps(), staging, production, undefined, "staging-2026.12.02.7");
    expect(preview.mergeBlocker).toBeUndefined();
    expect(plan.mergeOf).toBe(snapshotSha);
    expect(plan.items.map((i) => [i.service, i.from, i.to])).toEqual([["orders", "1.0.0", "1.1.0"], ["payments", "2.0.0", "2.1.0"]]);
    expect(plan.files.map((f) => f.path)).toEqual(["Chart.yaml", "Chart.lock", "values.yaml"]);
    const targets = plan.items.map((i) => ({ service: i.service, version: i.to }));
    const { id } = await raiseUpgrade(deps(), ben, production, { targets, baseSha: plan.baseSha, purpose });

    const pull = server.pullRequests("acme/shop-stack").find((p) => p.head.ref === plan.branch && p.state === "open")!;
    expect(pull).toMatchObject({ base: { ref: "production" }, labels: ["slipway", "promotion"] });
    const head = await stack.rev(`refs/heads/${plan.branch}`);
    expect((await stack.git("log", "-1", "--format=%P", head)).trim().split(" ")).toEqual([shas.first, snapshotSha]);
    for (const file of ["Chart.yaml", "Chart.lock", "values.yaml"]) {
      expect(await stack.git("show", `${head}:${file}`)).toBe(await stack.git("show", `${snapshotSha}:${file}`));
    }
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ kind: "promotion", headSha: head, number: pull.number });

    // A hotfix on production's own chart since: git would combine the two, so the snapshot is a version edit.
    const chart = await stack.git("show", "production:Chart.yaml");
    await stack.commit({ branch: "production", files: { "Chart.yaml": `${chart}# hotfix: see INC-4\n` }, message: "Hotfix note" });
    const after = await planPromotion(deps(), staging, production, undefined, "staging-2026.12.02.7");
    expect(after.preview.mergeBlocker).toMatch(/shop-production changed Chart\.(yaml|lock).* on production since it last took shop-staging's history/);
    expect(after.plan.mergeOf).toBeUndefined();
  });
});
