import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeOversizedYamlFile, MAX_YAML_FILE_BYTES } from "@/lib/charts/parse-yaml-file";
import type { PrefetchBranch } from "@/lib/git/git-provider";
import { createGitHubProvider } from "@/lib/git/github/github-provider";
import { readGithubRateLimits, readGithubRequestCounts } from "@/lib/git/github/github-usage";
import { startGitHubTestServer, type GitHubTestServer } from "./github-test-server";

const TOKEN = "ghp_prefetch";
const BOT = "prefetch-bot";
const ENVIRONMENTS = 30;
const PATHS = ["Chart.yaml", "Chart.lock", "requirements.yaml", "requirements.lock"];
const GRAPHQL = "POST /graphql";
const BRANCH = "GET /repos/{owner}/{repo}/branches/{branch}";

let server: GitHubTestServer;
const repoName = (i: number) => `acme/env-${String(i).padStart(2, "0")}`;
const heads = new Map<string, string>();

function provider() {
  return createGitHubProvider({
    baseUrl: server.url,
    auth: { token: TOKEN },
    throttle: { retryAfterBaseValueMs: 5, spaceWrites: false },
    retry: { retryAfterBaseValueMs: 5 },
  });
}

const targets = (): PrefetchBranch[] => Array.from({ length: ENVIRONMENTS }, (_, i) => ({ repo: repoName(i), branch: "main", paths: PATHS }));

/** What a refresh does after the prefetch: each environment's head, then its files at that head. */
async function readAll(github: ReturnType<typeof provider>) {
  return Promise.all(
    targets().map(async ({ repo, branch, paths }) => {
      const head = await github.branchHead(repo, branch);
      return { repo, head, files: await github.readFiles(repo, head.sha, paths) };
    }),
  );
}

const used = () => ({ core: server.rateLimit(BOT).used, graphql: server.rateLimit(BOT, "graphql").used });

beforeAll(async () => {
  server = await startGitHubTestServer({ tokens: { [TOKEN]: BOT } });
  for (let i = 0; i < ENVIRONMENTS; i++) {
    const repo = await server.createRepository(repoName(i));
    const sha = await repo.commit({
      branch: "main",
      files: { "Chart.yaml": `name: env-${i}\nversion: 1.0.${i}\n`, "Chart.lock": `dependencies: []\ndigest: sha256:${i}\n` },
      message: "Initial stack",
      date: "2024-03-01T10:00:00Z",
    });
    heads.set(repoName(i), sha);
  }
  const huge = await server.createRepository("acme/huge");
  await huge.commit({ branch: "main", files: { "Chart.yaml": `name: huge\n# ${"x".repeat(MAX_YAML_FILE_BYTES)}\n` }, message: "Hostile" });
});

afterAll(() => server?.close());

beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
});

describe("prefetching branches on GitHub", () => {
  it("reads 30 environments cold in 2 GraphQL queries, then answers their heads and files without a request", async () => {
    const github = provider();
    const before = used();
    await github.prefetchBranches!(targets());
    expect(server.requests.map((r) => r.route)).toEqual([GRAPHQL, GRAPHQL]);
    expect(used()).toEqual({ core: before.core, graphql: before.graphql + 2 });

    const read = await readAll(github);
    expect(server.requests).toHaveLength(2);
    read.forEach(({ repo, head, files }, i) => {
      expect(head).toEqual({ sha: heads.get(repo), date: new Date("2024-03-01T10:00:00Z") });
      expect([...files.entries()]).toEqual([
        ["Chart.yaml", `name: env-${i}\nversion: 1.0.${i}\n`],
        ["Chart.lock", `dependencies: []\ndigest: sha256:${i}\n`],
        ["requirements.yaml", undefined],
        ["requirements.lock", undefined],
      ]);
    });
    // The same answers as the REST path gives.
    const rest = provider();
    expect(await rest.branchHead(repoName(7), "main")).toEqual(read[7]!.head);
    expect(await rest.readFiles(repoName(7), read[7]!.head.sha, PATHS)).toEqual(read[7]!.files);

    expect(readGithubRateLimits()).toContainEqual(expect.objectContaining({ resource: "graphql", limit: 5000, remaining: 5000 - used().graphql }));
    expect(readGithubRequestCounts()).toContainEqual(expect.objectContaining({ kind: "graphql", outcome: "ok" }));
  });

  it("answers a prefetched head once: a later caller reads it fresh", async () => {
    const github = provider();
    await github.prefetchBranches!(targets().slice(0, 1));
    await github.branchHead(repoName(0), "main");
    server.resetRequests();
    await github.branchHead(repoName(0), "main");
    expect(server.requests.map((r) => r.route)).toEqual([BRANCH]);
  });

  it("checks known heads with conditional requests: once the ETags are held, a warm prefetch costs no rate limit", async () => {
    const github = provider();
    await github.prefetchBranches!(targets());
    await readAll(github);
    // Heads read by GraphQL come without an ETag: the first conditional check of each is a full read (1 point each).
    server.resetRequests();
    let before = used();
    await github.prefetchBranches!(targets());
    expect(server.count(BRANCH, { status: 200 })).toBe(ENVIRONMENTS);
    expect(server.count(GRAPHQL)).toBe(0);
    expect(used()).toEqual({ core: before.core + ENVIRONMENTS, graphql: before.graphql });
    await readAll(github);

    server.resetRequests();
    before = used();
    await github.prefetchBranches!(targets());
    const read = await readAll(github);
    expect(server.requests).toHaveLength(ENVIRONMENTS);
    expect(server.count(BRANCH, { status: 304 })).toBe(ENVIRONMENTS);
    expect(used()).toEqual(before);
    expect(read[3]!.files.get("Chart.yaml")).toBe("name: env-3\nversion: 1.0.3\n");
  });

  it("re-reads a moved branch alone, by GraphQL", async () => {
    const github = provider();
    await github.prefetchBranches!(targets());
    await readAll(github);
    await github.prefetchBranches!(targets());
    await readAll(github);
    const moved = await server.repository(repoName(3)).commit({ branch: "main", files: { "Chart.yaml": "name: env-3\nversion: 2.0.0\n" }, message: "Bump" });

    server.resetRequests();
    await github.prefetchBranches!(targets());
    const read = await readAll(github);
    expect(server.count(BRANCH, { status: 304 })).toBe(ENVIRONMENTS - 1);
    expect(server.count(BRANCH, { status: 200 })).toBe(1);
    expect(server.count(GRAPHQL)).toBe(1);
    expect(server.requests).toHaveLength(ENVIRONMENTS + 1);
    expect(read[3]!.head.sha).toBe(moved);
    expect(read[3]!.files.get("Chart.yaml")).toBe("name: env-3\nversion: 2.0.0\n");
    heads.set(repoName(3), moved);
  });

  it("reads the newest history with the heads: the first listing answers without a request, as REST would", async () => {
    // envs/dev changes on main and on a merged branch; other folders change in between.
    const mono = await server.createRepository("acme/mono-history");
    const at = (minute: number) => `2024-04-01T10:${String(minute).padStart(2, "0")}:00Z`;
    const c1 = await mono.commit({ branch: "main", files: { "envs/dev/Chart.yaml": "name: dev\n", "envs/prod/Chart.yaml": "name: prod\n" }, message: "Stacks", date: at(1) });
    await mono.commit({ branch: "feature", parents: [c1], files: { "envs/dev/Chart.lock": "dependencies: []\n" }, message: "Lock dev", date: at(2) });
    await mono.commit({ branch: "main", files: { "envs/prod/Chart.yaml": "name: prod\nversion: 2\n" }, message: "Prod only", date: at(3) });
    const feature = (await mono.git("rev-parse", "feature")).trim();
    await mono.commit({ branch: "main", parents: [(await mono.git("rev-parse", "main")).trim(), feature], files: { "envs/dev/Chart.lock": "dependencies: []\n" }, message: "Merge feature", date: at(4) });
    const head = await mono.commit({ branch: "main", files: { "README.md": "hi\n" }, message: "Docs", date: at(5) });
    const wanted = (path?: string): PrefetchBranch => ({ repo: "acme/mono-history", branch: "main", paths: ["envs/dev/Chart.yaml"], history: path ? { path } : {} });

    const github = provider();
    const before = used();
    await github.prefetchBranches!([wanted("envs/dev"), wanted()]);
    expect(server.requests.map((r) => r.route)).toEqual([GRAPHQL]);
    // The window's parents are a connection per commit: GitHub scores it 1 point, not the files-only query's 1 more.
    expect(used().graphql - before.graphql).toBe(1);
    server.resetRequests();
    const dev = await github.listHistory("acme/mono-history", head, { firstParent: true, limit: 250, path: "envs/dev" });
    const whole = await github.listHistory("acme/mono-history", head, { firstParent: true, limit: 250 });
    expect(server.requests).toHaveLength(0);

    const rest = provider();
    expect(dev).toEqual(await rest.listHistory("acme/mono-history", head, { firstParent: true, limit: 250, path: "envs/dev" }));
    expect(whole).toEqual(await rest.listHistory("acme/mono-history", head, { firstParent: true, limit: 250 }));
    expect(dev.map((commit) => commit.subject)).toEqual(["Merge feature", "Stacks"]);
    expect(whole).toHaveLength(4);
    // Another path than the ones read is REST's to list.
    server.resetRequests();
    await github.listHistory("acme/mono-history", head, { firstParent: true, limit: 250, path: "envs/prod" });
    expect(server.count("GET /repos/{owner}/{repo}/commits")).toBeGreaterThan(0);
  });

  it("lists a long history through REST, stopping at the commit the caller reads up to", async () => {
    const long = await server.createRepository("acme/long-history");
    await long.commitSeries({ branch: "main", count: 450, message: (i) => `Change ${i}` });
    const head = (await long.git("rev-parse", "main")).trim();
    const github = provider();
    await github.prefetchBranches!([{ repo: "acme/long-history", branch: "main", paths: [], history: {} }]);
    server.resetRequests();
    // 450 commits: more than the window; REST lists them, all pages.
    expect(await github.listHistory("acme/long-history", head, { firstParent: true, limit: 1000 })).toHaveLength(450);
    expect(server.count("GET /repos/{owner}/{repo}/commits")).toBe(5);
    // What is new since the last read is inside the window: no request at all.
    const stop = (await long.git("rev-parse", "main~3")).trim();
    server.resetRequests();
    const fresh = await github.listHistory("acme/long-history", head, { firstParent: true, limit: 1000, until: stop });
    expect(fresh.map((commit) => commit.subject)).toEqual(["Change 449", "Change 448", "Change 447", "Change 446"]);
    expect(server.requests.map((r) => `${r.route} ${r.path}`)).toEqual([]);
    // Without a window, REST stops at the first page that reaches it.
    const rest = provider();
    expect(await rest.listHistory("acme/long-history", head, { firstParent: true, limit: 1000, until: (await long.git("rev-parse", "main~150")).trim() })).toHaveLength(151);
    expect(server.count("GET /repos/{owner}/{repo}/commits")).toBe(2);
  });

  it("leaves a missing branch or repository to branchHead, which reports it as before", async () => {
    const github = provider();
    await github.prefetchBranches!([
      { repo: repoName(0), branch: "nope", paths: PATHS },
      { repo: "acme/missing", branch: "main", paths: PATHS },
      { repo: "not a repo", branch: "main", paths: PATHS },
      { repo: repoName(1), branch: "main", paths: PATHS },
    ]);
    expect(server.requests.map((r) => r.route)).toEqual([GRAPHQL]);
    await expect(github.branchHead(repoName(0), "nope")).rejects.toThrow("branch nope not found in acme/env-00");
    await expect(github.branchHead("acme/missing", "main")).rejects.toThrow(/repository acme\/missing not found on GitHub/);
    expect((await github.branchHead(repoName(1), "main")).sha).toBe(heads.get(repoName(1)));
  });

  it("leaves a file too large to keep to the REST path, which refuses it as before", async () => {
    const github = provider();
    await github.prefetchBranches!([{ repo: "acme/huge", branch: "main", paths: ["Chart.yaml", "Chart.lock"] }]);
    const head = await github.branchHead("acme/huge", "main");
    server.resetRequests();
    const size = MAX_YAML_FILE_BYTES + "name: huge\n# \n".length;
    await expect(github.readFiles("acme/huge", head.sha, ["Chart.yaml"])).rejects.toThrow(describeOversizedYamlFile("Chart.yaml", size));
    expect(server.requests.map((r) => r.route)).toEqual(["GET /repos/{owner}/{repo}/contents/{path}"]);
    server.resetRequests();
    expect((await github.readFiles("acme/huge", head.sha, ["Chart.lock"])).get("Chart.lock")).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it("swallows a failed prefetch: GitHub down or the GraphQL limit spent, the refresh reads through REST", async () => {
    server.inject({ method: "POST", path: /graphql/, status: 502 });
    const down = provider();
    await expect(down.prefetchBranches!(targets().slice(0, 3))).resolves.toBeUndefined();
    expect(server.count(GRAPHQL)).toBeGreaterThan(1); // retried, then given up
    server.clearFaults();
    server.resetRequests();
    const read = await readAll(down);
    expect(read[0]!.files.get("Chart.yaml")).toBe("name: env-0\nversion: 1.0.0\n");
    expect(server.count(BRANCH)).toBe(ENVIRONMENTS);

    server.addToken("ghp_spent", "spent-bot");
    server.exhaustRateLimit("spent-bot", 3600, { resource: "graphql" });
    const spent = createGitHubProvider({ baseUrl: server.url, auth: { token: "ghp_spent" }, throttle: { spaceWrites: false }, retry: { retryAfterBaseValueMs: 5 } });
    server.resetRequests();
    await expect(spent.prefetchBranches!(targets().slice(0, 3))).resolves.toBeUndefined();
    expect(server.requests.map((r) => r.route)).toEqual([GRAPHQL]);
    expect((await spent.branchHead(repoName(2), "main")).sha).toBe(heads.get(repoName(2)));
    expect(readGithubRequestCounts()).toContainEqual(expect.objectContaining({ kind: "graphql", outcome: "rate_limited" }));
  });
});
