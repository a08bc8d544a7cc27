import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChangelog } from "@/lib/changelog/build-changelog";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readVersionsAt } from "@/lib/releases/read-versions-at";
import { findWhereRunning } from "@/lib/releases/where-running";
import { compareChartVersions } from "@/lib/versions/chart-version";

let root: string;
let workspace: Workspace;
let git: ReturnType<typeof createLocalGitProvider>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-where-"));
  workspace = loadWorkspaceConfig((await createDemoWorkspace(root)).configPath);
  git = createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** What each environment runs of `service`, from the branch heads. */
async function runningEverywhere(service: string): Promise<Map<string, string>> {
  const running = new Map<string, string>();
  for (const env of workspace.config.environments) {
    try {
      const pin = (await readVersionsAt(git, env, (await git.branchHead(env.repo, env.branch)).sha)).get(service);
      if (pin && !pin.unpinned) running.set(env.name, pin.version);
    } catch {
      // the demo's sandbox has a broken chart on purpose
    }
  }
  return running;
}

describe("where is it running", () => {
  it("says, per environment, whether the running version contains a ticket, and since which release", async () => {
    const checkout = workspace.config.services.checkout!;
    const changelog = await buildChangelog({ git, repo: checkout.repo!, tagPattern: checkout.tagPattern, from: "1.3.0", to: "1.3.2", jiraProject: checkout.jiraProject });
    const ticket = changelog.tickets.at(-1)!;
    const answer = await findWhereRunning({ config: workspace.config, git }, workspace.config.environments, ticket.key.toLowerCase());
    expect(answer).toMatchObject({ query: ticket.key, kind: "ticket", problems: [] });
    const found = answer.services.find((s) => s.service === "checkout")!;
    expect(found.commits.map((c) => c.sha).sort()).toEqual([...ticket.commits].sort());
    expect(["1.3.1", "1.3.2"]).toContain(found.since);

    // The answer agrees with the versions: environments at or past `since` have it, those before do not.
    const running = await runningEverywhere("checkout");
    expect(found.environments.map((e) => e.environment).sort()).toEqual([...running.keys()].sort());
    for (const cell of found.environments) {
      const version = running.get(cell.environment)!;
      const expected = compareChartVersions(version, found.since!)! >= 0 ? "yes" : "no";
      expect([cell.environment, cell.running, cell.contains]).toEqual([cell.environment, version, expected]);
    }
    expect(found.environments.some((e) => e.contains === "yes")).toBe(true);
    expect(found.environments.some((e) => e.contains === "no")).toBe(true);
  });

  it("answers for a commit by its id, abbreviated", async () => {
    const checkout = workspace.config.services.checkout!;
    const changelog = await buildChangelog({ git, repo: checkout.repo!, tagPattern: checkout.tagPattern, from: "1.3.0", to: "1.3.2" });
    const commit = changelog.commits.at(-1)!;
    const answer = await findWhereRunning({ config: workspace.config, git }, workspace.config.environments, commit.sha.slice(0, 10));
    expect(answer.kind).toBe("commit");
    expect(answer.services.map((s) => s.service)).toEqual(["checkout"]);
    expect(answer.services[0]!.commits).toEqual([{ sha: commit.sha, subject: commit.subject }]);
  });

  it("finds nothing for a ticket no commit names, and refuses what is neither", async () => {
    expect((await findWhereRunning({ config: workspace.config, git }, workspace.config.environments, "NOPE-99999")).services).toEqual([]);
    await expect(findWhereRunning({ config: workspace.config, git }, workspace.config.environments, "rm -rf /")).rejects.toThrow(
      /is neither a Jira key \(like PAY-123\) nor a commit id/,
    );
  });

  it("only looks at the environments it is given", async () => {
    const checkout = workspace.config.services.checkout!;
    const changelog = await buildChangelog({ git, repo: checkout.repo!, tagPattern: checkout.tagPattern, from: "1.3.0", to: "1.3.2", jiraProject: checkout.jiraProject });
    const visible = workspace.config.environments.filter((e) => e.name === "payments-eu");
    const answer = await findWhereRunning({ config: workspace.config, git }, visible, changelog.tickets[0]!.key);
    expect(answer.services.flatMap((s) => s.environments.map((e) => e.environment))).toEqual(["payments-eu"]);
  });
});
