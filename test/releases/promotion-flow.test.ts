import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { type Workspace } from "@/lib/config/load-workspace-config";
import { nextStage } from "@/lib/config/promotion-path";
import { workspaceConfigSchema } from "@/lib/config/schema";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { mergeReleaseRequest } from "@/lib/releases/decide-release-request";
import { environmentNamed, planPromotion, previewPromotion } from "@/lib/releases/plan-promotion";
import type { ReleaseDeps } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { readVersionsAt } from "@/lib/releases/read-versions-at";
import { createRegistryClient } from "@/lib/registry/registry-client";
import { type DemoReleaseDeps, closeDemoReleases, openDemoReleases } from "../support/demo-releases";
import { type TestDatabase, databaseFactories } from "../support/test-database";

const ada: Principal = { username: "ada", email: "ada@slipway.example", name: "Ada Admin", source: "local", oidcGroups: [], githubTeams: [] };
const gita: Principal = { username: "gita", email: "gita@slipway.example", source: "local", oidcGroups: [], githubTeams: [] };
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };

/** One stack repository holding a Chart.yaml that pins these charts (name → [chart, version]). */
function stackRepo(dir: string, pins: Record<string, [string, string]>): void {
  mkdirSync(dir, { recursive: true });
  const dependencies = Object.entries(pins).map(
    ([alias, [chart, version]]) =>
      `  - name: ${chart}\n${alias !== chart ? `    alias: ${alias}\n` : ""}    version: "${version}"\n    repository: https://charts.example.com`,
  );
  writeFileSync(path.join(dir, "Chart.yaml"), `apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n${dependencies.join("\n")}\n`);
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
  execFileSync("git", ["add", "."], { cwd: dir });
  execFileSync("git", ["commit", "-q", "-m", "stack"], { cwd: dir, env: GIT_ENV });
}

describe("previewPromotion — what running another environment's versions would change", () => {
  let root: string;
  let deps: ReleaseDeps;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "slipway-promotion-preview-"));
    stackRepo(path.join(root, "dev"), { orders: ["orders", "1.3.0"], billing: ["billing", "2.1.0"], search: ["search", "^3.0.0"], mailer: ["mailer", "0.2.0"], db: ["postgresql", "15.0.0"] });
    stackRepo(path.join(root, "staging"), { orders: ["orders", "1.2.0"], billing: ["billing", "2.1.0"], search: ["search", "3.0.1"], legacy: ["legacy", "0.9.0"], db: ["mysql", "9.0.0"] });
    const config = workspaceConfigSchema.parse({
      environments: [{ name: "dev", repo: "./dev" }, { name: "staging", repo: "./staging" }],
      promotions: [["dev", "staging"]],
    });
    deps = { config, git: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }), registries: createRegistryClient({ baseDir: root }), endpoints: [] };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("moves the services both run at other versions, and names every other service", async () => {
    const preview = await previewPromotion(deps, environmentNamed(deps.config, "dev"), environmentNamed(deps.config, "staging"));
    expect(preview).toMatchObject({ environment: "staging", from: { environment: "dev", sha: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    expect(preview.changes).toEqual([{ service: "orders", chart: "orders", from: "1.2.0", to: "1.3.0" }]);
    expect(preview.onlyInSource).toEqual([{ service: "mailer", version: "0.2.0" }]);
    expect(preview.onlyInTarget).toEqual([{ service: "legacy", version: "0.9.0" }]);
    expect(preview.unresolved).toEqual([
      { service: "search", reason: expect.stringContaining('dev pins "^3.0.0", not an exact version') },
      { service: "db", reason: "it is the chart postgresql in dev but mysql in staging" },
    ]);
  });

  it("refuses a promotion onto itself, a service the target lacks, and one that does not differ", async () => {
    const dev = environmentNamed(deps.config, "dev");
    const staging = environmentNamed(deps.config, "staging");
    await expect(previewPromotion(deps, dev, dev)).rejects.toThrow(/dev cannot be promoted onto itself/);
    await expect(planPromotion(deps, dev, staging, ["mailer"])).rejects.toThrow(/staging has no service mailer: a promotion moves versions/);
    await expect(planPromotion(deps, dev, staging, ["billing"])).rejects.toThrow(/billing runs the same version in both; the services that differ are: orders/);
    expect(() => environmentNamed(deps.config, "prod")).toThrow(/unknown environment "prod"; known: dev, staging/);
  });

  it("knows each environment's next stage from slipway.yaml's promotion paths", () => {
    expect(nextStage(deps.config, "dev")?.name).toBe("staging");
    expect(nextStage(deps.config, "staging")).toBeUndefined();
  });

  it("rejects promotion paths that name unknown environments or give one two next stages", () => {
    const environments = [{ name: "a", repo: "." }, { name: "b", repo: "." }, { name: "c", repo: "." }];
    const problems = (promotions: string[][]) =>
      workspaceConfigSchema.safeParse({ environments, promotions }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(problems([["a", "x"]])).toEqual(['promotions.0.1: no environment named "x"']);
    expect(problems([["a", "b"], ["a", "c"]])).toEqual(['promotions.1.0: "a" is already in promotions[0]: an environment has one next stage']);
    expect(problems([["a"]])).toEqual(["promotions.0: a promotion path needs at least two environments"]);
  });
});

describe.each(databaseFactories())("promoting the demo's shop-dev to shop-staging, on $name", ({ create }) => {
  let root: string;
  let workspace: Workspace;
  let deps: DemoReleaseDeps;
  let database: TestDatabase;
  const env = (name: string) => environmentNamed(workspace.config, name);

  beforeAll(async () => {
    ({ root, workspace, database, deps } = await openDemoReleases(create, "slipway-promotion-"));
  });
  afterAll(() => closeDemoReleases({ root, database }));

  it("declares dev → staging → production, plans a labelled promotion and merges it", async () => {
    expect(nextStage(workspace.config, "shop-dev")?.name).toBe("shop-staging");
    const { plan, preview } = await planPromotion(deps, env("shop-dev"), env("shop-staging"));
    // shop-dev runs a notifications build the registry never published: staging could not install it, so it is
    // set aside with why instead of failing the whole promotion.
    expect(preview.unresolved).toContainEqual({ service: "notifications", reason: expect.stringMatching(/notifications 1\.8\.5 is not published in/) });
    expect(preview.changes.length).toBeGreaterThan(0);
    expect(plan.kind).toBe("promotion");
    expect(plan.branch).toMatch(/^slipway\/shop-staging\/promotion-/);
    expect(plan.title).toMatch(/^Promote .* from shop-dev to shop-staging$/);
    expect(plan.body).toMatch(/^\*\*Promotion\*\* to \*\*shop-staging\*\*/);
    expect(plan.items.map((i) => [i.service, i.to])).toEqual(preview.changes.map((c) => [c.service, c.to]));

    const targets = preview.changes.map((c) => ({ service: c.service, version: c.to }));
    const { id } = await raiseUpgrade(deps, ada, env("shop-staging"), { targets, baseSha: plan.baseSha, purpose: { kind: "promotion", from: preview.from } });
    expect(await database.db.releaseRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ kind: "promotion", environment: "shop-staging" });
    await mergeReleaseRequest(deps, gita, id);
    const staging = await readVersionsAt(deps.git, env("shop-staging"), (await deps.git.branchHead(env("shop-staging").repo, env("shop-staging").branch)).sha);
    for (const change of preview.changes) expect(staging.get(change.service)?.version).toBe(change.to);
    // Promoted: nothing differs any more for those services.
    const again = await previewPromotion(deps, env("shop-dev"), env("shop-staging"));
    expect(again.changes.filter((c) => preview.changes.some((p) => p.service === c.service))).toEqual([]);
  });
});
