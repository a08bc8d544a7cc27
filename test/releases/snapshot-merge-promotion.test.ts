import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { secretsFrom } from "@/lib/config/environment";
import { type Workspace, parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { environmentNamed, planPromotion } from "@/lib/releases/plan-promotion";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { resolveRegistryEndpoints } from "@/lib/snapshots/resolve-registry-endpoints";
import { REGISTRY_NAME, umbrellaChartFiles, writeFileRegistry } from "../releases-github/github-stack-fixture";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";

/**
 * The branch-per-environment flow on plain git: dev is `main`, staging is `release/staging`, and a snapshot of dev is
 * promoted by merging its tag into a change request branch off release/staging, which a gatekeeper then merges.
 */
const ben: Principal = { username: "ben", email: "ben@example.com", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@example.com", source: "local", oidcGroups: [], githubTeams: [] };
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };

let root: string;
let repo: string;
let workspace: Workspace;
let database: TestDatabase;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: GIT_ENV }).toString();

function commit(files: Record<string, string>, message: string): string {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), content);
  }
  git("add", ".");
  git("commit", "-q", "-m", message);
  return git("rev-parse", "HEAD").trim();
}

function deps() {
  return {
    config: workspace.config,
    db: database.db,
    git: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
    registries: createRegistryClient({ baseDir: root }),
    endpoints: resolveRegistryEndpoints(workspace.config, secretsFrom({})).endpoints,
  };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-snapshot-merge-"));
  const registryUrl = writeFileRegistry(path.join(root, "registry"), [
    { name: "orders", versions: ["1.0.0", "1.1.0"] },
    { name: "payments", versions: ["2.0.0", "2.1.0"] },
  ]);
  repo = path.join(root, "shop");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
  commit(umbrellaChartFiles("shop", [{ name: "orders", version: "1.0.0" }, { name: "payments", version: "2.0.0" }]), "Initial stack");
  git("branch", "release/staging");
  commit({ ...umbrellaChartFiles("shop", [{ name: "orders", version: "1.1.0" }, { name: "payments", version: "2.1.0" }]), "values.yaml": "orders: { replicas: 3 }\n", "docs/dev.md": "dev notes\n" }, "Upgrade orders and payments (#4)");
  git("tag", "dev-2026.12.01.1");
  workspace = parseWorkspaceConfig(
    `
registries:
  - name: ${REGISTRY_NAME}
    url: ${registryUrl}
environments:
  - name: shop-dev
    repo: ./shop
    branch: main
    snapshots: { tagPattern: "dev-{date}.{n}" }
  - name: shop-staging
    repo: ./shop
    branch: release/staging
promotions:
  - [shop-dev, shop-staging]
access:
  grants:
    - role: requester
      members: { users: [ben] }
    - role: gatekeeper
      members: { users: [gita] }
`,
    path.join(root, "slipway.yaml"),
  );
  database = await createPgliteDatabase();
});

afterAll(async () => {
  await database?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("promoting a snapshot by merging its tag (plain git)", () => {
  it("raises the merge of the tag as the change request, and the gatekeeper's merge brings the whole snapshot", async () => {
    const dev = environmentNamed(workspace.config, "shop-dev");
    const staging = environmentNamed(workspace.config, "shop-staging");
    const tagSha = git("rev-parse", "dev-2026.12.01.1^{commit}").trim();
    const stagingBefore = git("rev-parse", "release/staging").trim();

    const { plan, purpose } = await planPromotion(deps(), dev, staging, undefined, "dev-2026.12.01.1");
    expect(plan.mergeOf).toBe(tagSha);
    expect(plan.notes[0]).toMatch(/^Raised as a merge of snapshot dev-2026\.12\.01\.1 into release\/staging, as `git merge dev-2026\.12\.01\.1` would/);
    expect(plan.files.map((f) => f.path)).toEqual(["Chart.yaml", "Chart.lock", "values.yaml"]);

    const targets = plan.items.map((i) => ({ service: i.service, version: i.to }));
    const { id } = await raiseUpgrade(deps(), ben, staging, { targets, baseSha: plan.baseSha, purpose });
    const request = await database.db.releaseRequest.findUniqueOrThrow({ where: { id } });
    expect(request).toMatchObject({ kind: "promotion", state: "open", mergeOf: tagSha });
    expect(git("log", "-1", "--format=%P", request.headSha!).trim().split(" ")).toEqual([stagingBefore, tagSha]);

    // The reviewed merge brings docs/dev.md, which no plan file names: a merge is checked by its parents instead.
    await mergeReleaseRequest(deps(), gita, id);
    for (const file of ["Chart.yaml", "Chart.lock", "values.yaml", "docs/dev.md"]) {
      expect(git("show", `release/staging:${file}`)).toBe(git("show", `${tagSha}:${file}`));
    }
    expect(git("merge-base", "--is-ancestor", tagSha, "release/staging")).toBe("");
  });

  it("raises a version edit when only some services are chosen, or when asked to", async () => {
    commit(umbrellaChartFiles("shop", [{ name: "orders", version: "1.0.0" }, { name: "payments", version: "2.0.0" }]), "Back to the first versions (#5)");
    git("tag", "dev-2026.12.02.1");
    const dev = environmentNamed(workspace.config, "shop-dev");
    const staging = environmentNamed(workspace.config, "shop-staging");
    const some = await planPromotion(deps(), dev, staging, ["orders"], "dev-2026.12.02.1");
    expect(some.plan.mergeOf).toBeUndefined();
    expect(some.plan.notes[0]).toMatch(/a merge carries every service that differs/);
    const asked = await planPromotion(deps(), dev, staging, undefined, "dev-2026.12.02.1", "versions");
    expect(asked.plan.mergeOf).toBeUndefined();
    expect(asked.plan.notes[0]).toMatch(/the requester chose a version edit/);
    const merged = await planPromotion(deps(), dev, staging, undefined, "dev-2026.12.02.1");
    expect(merged.plan.mergeOf).toBe(git("rev-parse", "dev-2026.12.02.1^{commit}").trim());
  });
});
