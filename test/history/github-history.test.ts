import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentConfigSchema } from "@/lib/config/schema";
import { chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readRecentHistory } from "@/lib/history/read-recent-history";
import { type GitHubTestServer, startGitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";
import { umbrellaChartFiles } from "../releases-github/github-stack-fixture";

const TOKEN = "ghp_history";
let root: string;
let server: GitHubTestServer;
let stack: TestRepository;
const shas: Record<string, string> = {};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-github-history-"));
  server = await startGitHubTestServer({ tokens: { [TOKEN]: "slipway-bot" } });
  stack = await server.createRepository("acme/stack");
  const chart = (orders: string, payments: string) => umbrellaChartFiles("stack", [{ name: "orders", version: orders }, { name: "payments", version: payments }], "stack/");
  shas.created = await stack.commit({ branch: "main", files: chart("1.0.0", "2.0.0"), message: "Add the stack", date: "2024-03-01T10:00:00Z" });
  shas.docs = await stack.commit({ branch: "main", files: { "README.md": "docs\n" }, message: "Docs only", date: "2024-03-02T10:00:00Z" });
  // A feature branch with two commits, merged with a merge commit: one entry, for the merge, not for its commits.
  await stack.branch("feature", shas.docs);
  await stack.commit({ branch: "feature", files: chart("1.1.0", "2.0.0"), message: "orders 1.1.0", date: "2024-03-03T10:00:00Z" });
  await stack.commit({ branch: "feature", files: chart("1.2.0", "2.0.0"), message: "orders 1.2.0", date: "2024-03-04T10:00:00Z" });
  shas.merged = await stack.merge({ into: "main", from: "refs/heads/feature", message: "Merge pull request #12 from acme/feature", date: "2024-03-05T10:00:00Z" });
  shas.squashed = await stack.commit({ branch: "main", files: chart("1.2.0", "2.1.0"), message: "Upgrade payments to 2.1.0 (#13)", date: "2024-03-06T10:00:00Z" });
});
afterAll(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("release history read through GitHub's API", () => {
  it("is the first-parent history of the stack folder, as plain git reads it", async () => {
    const git = chooseGitProvider({
      local: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
      github: { apiUrl: server.url, auth: { tokenEnv: "T" } },
      secret: () => TOKEN,
      gitHubClient: { throttle: { spaceWrites: false, retryAfterBaseValueMs: 5 }, retry: { retries: 0, retryAfterBaseValueMs: 5 } },
    });
    const env = environmentConfigSchema.parse({ name: "shop", repo: "acme/stack", branch: "main", path: "stack" });
    const history = await readRecentHistory(git, env, 10);
    expect(history.complete).toBe(true);
    expect(history.entries.map((e) => [e.sha, e.subject, e.pullRequest, e.changes.map((c) => `${c.service} ${c.from}→${c.to}`)])).toEqual([
      [shas.squashed, "Upgrade payments to 2.1.0 (#13)", 13, ["payments 2.0.0→2.1.0"]],
      [shas.merged, "Merge pull request #12 from acme/feature", 12, ["orders 1.0.0→1.2.0"]],
      [shas.created, "Add the stack", undefined, ["orders null→1.0.0", "payments null→2.0.0"]],
    ]);

    // The same repository read with plain git gives the same entries.
    const local = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const plain = await readRecentHistory(local, environmentConfigSchema.parse({ name: "shop", repo: stack.dir, branch: "main", path: "stack" }), 10);
    expect(plain.entries.map((e) => [e.sha, e.changes])).toEqual(history.entries.map((e) => [e.sha, e.changes]));

    // Read again after a refresh's prefetch (a fresh client): the listing comes with the heads' GraphQL query.
    const prefetched = chooseGitProvider({
      local: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
      github: { apiUrl: server.url, auth: { tokenEnv: "T" } },
      secret: () => TOKEN,
      gitHubClient: { throttle: { spaceWrites: false, retryAfterBaseValueMs: 5 }, retry: { retries: 0, retryAfterBaseValueMs: 5 } },
    });
    await prefetched.prefetchBranches!([{ repo: "acme/stack", branch: "main", paths: ["stack/Chart.yaml", "stack/Chart.lock"], history: { path: "stack" } }]);
    server.resetRequests();
    const again = await readRecentHistory(prefetched, env, 10);
    expect(again.entries).toEqual(history.entries);
    expect(server.count("GET /repos/{owner}/{repo}/commits")).toBe(0);
  });
});
