import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "@/lib/errors";
import { GitHubRateLimitError, rateLimitRetryAt } from "@/lib/git/github/github-errors";
import { createGitHubProvider, type GitHubProviderOptions } from "@/lib/git/github/github-provider";
import { startGitHubTestServer, type GitHubTestServer } from "./github-test-server";
import type { TestRepository } from "./github-test-repository";

/**
 * The test server is as strict as GitHub where Slipway could get it wrong (issue 8, items 11–15), and Slipway copes:
 * permissions, rate limits as GitHub sends them, mergeability computed late, exact refs, and the small print.
 */

const FULL = "ghp_full";
const READ_PULLS = "github_pat_readpulls";
const OTHER_REPO = "github_pat_otherrepo";
const NO_SCOPE = "ghp_noscope";
const APP_ID = 5150;
const INSTALLATION_ID = 9;
const { publicKey, privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let server: GitHubTestServer;
let stack: TestRepository;
let secret: TestRepository;
let base: string;

function provider(overrides: Partial<GitHubProviderOptions> = {}) {
  return createGitHubProvider({
    baseUrl: server.url,
    auth: { token: FULL },
    throttle: { retryAfterBaseValueMs: 5, spaceWrites: false },
    retry: { retryAfterBaseValueMs: 5 },
    mergeablePolling: { attempts: 4, delayMs: 5 },
    ...overrides,
  });
}

/** One request as a plain HTTP client sends it; `token: null` sends none. */
async function raw(path: string, options: { token?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const token = options.token === undefined ? FULL : options.token;
  const response = await fetch(`${server.url}${path}`, {
    method: options.method ?? "GET",
    headers: {
      "user-agent": "strictness-test",
      accept: "application/vnd.github+json",
      ...(token ? { authorization: `token ${token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

let branchCount = 0;
/** A fresh branch off `base` with one changed file, for pull requests. */
async function changeBranch(prefix = "change"): Promise<string> {
  const branch = `${prefix}-${++branchCount}`;
  await stack.commit({ branch, parents: [base], files: { [`changes/${branch}.txt`]: `${branch}\n` }, message: `Change ${branch}` });
  return branch;
}

beforeAll(async () => {
  server = await startGitHubTestServer({
    tokens: {
      [FULL]: "release-bot",
      [READ_PULLS]: {
        login: "fine-grained-bot",
        kind: "fine-grained",
        repositories: ["acme/stack"],
        permissions: { metadata: "read", contents: "write", pull_requests: "read" },
      },
      [OTHER_REPO]: { login: "elsewhere-bot", kind: "fine-grained", repositories: ["acme/other"] },
      [NO_SCOPE]: { login: "no-scope", kind: "classic", scopes: [] },
    },
    app: { id: APP_ID, publicKey, installationIds: [INSTALLATION_ID], permissions: { metadata: "read", contents: "read", pull_requests: "write" } },
  });
  stack = await server.createRepository("acme/stack", { collaborators: ["alice"] });
  base = await stack.commit({ branch: "main", files: { "Chart.yaml": "name: stack\n", "values.yaml": "a: 1\n", "old-name.txt": "moved\n" }, message: "Initial" });
  secret = await server.createRepository("acme/secret", { private: true });
  await secret.commit({ branch: "main", files: { "Chart.yaml": "name: secret\n" }, message: "Initial" });
  await server.createRepository("acme/empty");
});

afterAll(() => server?.close());

beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
});

describe("permissions (item 11)", () => {
  it("answers 404 for a private repository the token cannot see, and for no token at all", async () => {
    for (const token of [OTHER_REPO, NO_SCOPE, null]) {
      const answer = await raw("/repos/acme/secret", { token });
      expect(answer.status, String(token)).toBe(404);
      expect(answer.body).toMatchObject({ message: "Not Found", documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//) });
    }
    expect((await raw("/repos/acme/secret")).status).toBe(200);
  });

  it("answers 403 naming the token type and the accepted permissions for a permission the token lacks", async () => {
    const branch = await changeBranch();
    const pat = await raw("/repos/acme/stack/pulls", { token: READ_PULLS, method: "POST", body: { title: "x", head: branch, base: "main" } });
    expect(pat.status).toBe(403);
    expect(pat.body).toMatchObject({ message: "Resource not accessible by personal access token" });
    expect(pat.headers.get("x-accepted-github-permissions")).toBe("pull_requests=write");
    // Reads within the grant work, and say what they needed.
    const read = await raw("/repos/acme/stack/branches/main", { token: READ_PULLS });
    expect(read.status).toBe(200);
    expect(read.headers.get("x-accepted-github-permissions")).toBe("contents=read");
    // A fine-grained token reads public repositories it was not granted, but may not write to them.
    expect((await raw("/repos/acme/stack/branches/main", { token: OTHER_REPO })).status).toBe(200);
    const write = await raw("/repos/acme/stack/git/blobs", { token: OTHER_REPO, method: "POST", body: { content: "x", encoding: "utf-8" } });
    expect(write).toMatchObject({ status: 403, body: { message: "Resource not accessible by personal access token" } });
    expect(write.headers.get("x-accepted-github-permissions")).toBe("contents=write");
  });

  it("tells the user which permission the token lacks when GitHub refuses the pull request", async () => {
    const github = provider({ auth: { token: READ_PULLS } });
    // contents=write is granted: the branch is created; pull_requests is only read.
    const { sha } = await github.createBranchWithCommit("acme/stack", {
      baseSha: base,
      branch: "slipway/no-pull-permission",
      message: "Change",
      author: { name: "Slipway", email: "slipway@example.com" },
      files: [{ path: "Chart.yaml", content: "name: stack\nversion: 2\n" }],
    });
    expect(await stack.rev("refs/heads/slipway/no-pull-permission")).toBe(sha);
    const error = await github
      .openPullRequest({ repo: "acme/stack", head: "slipway/no-pull-permission", base: "main", title: "Upgrade", body: "" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect((error as Error).message).toBe(
      "GitHub refused opening a pull request from slipway/no-pull-permission into main in acme/stack: the token lacks " +
        "pull_requests=write (403 Resource not accessible by personal access token); grant it pull_requests=write on acme/stack and try again",
    );
    expect(server.pullRequests("acme/stack").some((pull) => pull.head.ref === "slipway/no-pull-permission")).toBe(false);
  });

  it("names the GitHub App installation's missing permission", async () => {
    const github = provider({ auth: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID } });
    await expect(
      github.createBranchWithCommit("acme/stack", {
        baseSha: base,
        branch: "slipway/app-cannot-write",
        message: "Change",
        author: { name: "Slipway", email: "slipway@example.com" },
        files: [{ path: "Chart.yaml", content: "x\n" }],
      }),
    ).rejects.toThrow(
      "GitHub refused creating branch slipway/app-cannot-write in acme/stack: the GitHub App installation lacks contents=write " +
        "(403 Resource not accessible by integration); grant the App contents=write on acme/stack and try again",
    );
    // Reading is within its permissions.
    expect((await github.branchHead("acme/stack", "main")).sha).toBe(await stack.rev("main"));
  });

  it("lets one permission of a set do: labels need issues=write or pull_requests=write", async () => {
    const answer = await raw("/repos/acme/stack/issues/1/labels", { token: READ_PULLS, method: "POST", body: { labels: ["x"] } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("x-accepted-github-permissions")).toBe("issues=write; pull_requests=write");
  });
});

describe("rate limits as GitHub sends them (item 12)", () => {
  it("sends secondary limits as 403 or 429, with the rate-limit headers and a retry-after only when asked", async () => {
    server.injectOnce({ path: /\/branches\//, kind: "secondary-rate-limit", status: 429, retryAfterSeconds: null });
    const without = await raw("/repos/acme/stack/branches/main");
    expect(without.status).toBe(429);
    expect(without.headers.get("retry-after")).toBeNull();
    expect(without.body?.message).toMatch(/secondary rate limit/);
    for (const header of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset"]) {
      expect(without.headers.get(header), header).toMatch(/^\d+$/);
    }
    expect(Number(without.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
    expect(without.headers.get("x-ratelimit-resource")).toBe("core");

    server.injectOnce({ path: /\/branches\//, kind: "secondary-rate-limit", retryAfterSeconds: 7 });
    const withRetry = await raw("/repos/acme/stack/branches/main");
    expect(withRetry.status).toBe(403);
    expect(withRetry.headers.get("retry-after")).toBe("7");
  });

  it("does not wait the minute GitHub implies without retry-after, and reports when to try again", async () => {
    server.injectOnce({ path: /\/branches\//, kind: "secondary-rate-limit", status: 429, retryAfterSeconds: null });
    const before = Date.now();
    const error = await provider().branchHead("acme/stack", "main").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as Error).message).toBe("GitHub secondary rate limit hit while reading branch main of acme/stack; try again in a minute");
    const retryAt = rateLimitRetryAt(error)!.getTime();
    expect(retryAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(retryAt).toBeLessThan(Date.now() + 61_000);
    expect(server.requests.map((request) => request.status)).toEqual([429]);
  });

  it("waits out a short secondary limit sent as 429", async () => {
    server.injectOnce({ path: /\/branches\//, kind: "secondary-rate-limit", status: 429, retryAfterSeconds: 1 });
    expect((await provider().branchHead("acme/stack", "main")).sha).toBe(await stack.rev("main"));
    expect(server.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it("reports primary exhaustion sent as 429 with its reset time as the time to retry", async () => {
    server.exhaustRateLimit("release-bot", 1800, { status: 429 });
    try {
      const error = await provider().branchHead("acme/stack", "main").catch((caught: unknown) => caught);
      expect(server.requests.map((request) => request.status)).toEqual([429]);
      const reset = server.rateLimit("release-bot").reset;
      expect((error as Error).message).toBe(`GitHub API rate limit exhausted while reading branch main of acme/stack; it resets at ${new Date(reset * 1000).toISOString()}`);
      expect(rateLimitRetryAt(error)?.getTime()).toBe(reset * 1000);
    } finally {
      server.exhaustRateLimit("release-bot", 0);
    }
  });
});

describe("mergeability is computed after the fact (item 13)", () => {
  async function openPull(): Promise<number> {
    const branch = await changeBranch("mergeable");
    const opened = await provider().openPullRequest({ repo: "acme/stack", head: branch, base: "main", title: "Change", body: "" });
    server.resetRequests();
    return opened.number;
  }

  it("answers mergeable: null on the first read after opening and after a push, then the real answer", async () => {
    const number = await openPull();
    const first = await raw(`/repos/acme/stack/pulls/${number}`);
    expect(first.body).toMatchObject({ mergeable: null, mergeable_state: "unknown" });
    const second = await raw(`/repos/acme/stack/pulls/${number}`);
    expect(second.body).toMatchObject({ mergeable: true, mergeable_state: "clean" });
    const pull = server.pullRequests("acme/stack").find((candidate) => candidate.number === number)!;
    await stack.commit({ branch: pull.head.ref, files: { "more.txt": "more\n" }, message: "Push" });
    expect((await raw(`/repos/acme/stack/pulls/${number}`)).body).toMatchObject({ mergeable: null });
  });

  it("polls a few times for mergeability when asked, and reports null as not known instead of a conflict", async () => {
    const number = await openPull();
    const github = provider();
    expect((await github.getPullRequest("acme/stack", number, { awaitMergeable: true })).mergeable).toBe(true);
    expect(server.count("GET /repos/{owner}/{repo}/pulls/{pull_number}")).toBe(2);

    const slow = await openPull();
    server.mergeableAfterReads = 50;
    try {
      const pending = await github.getPullRequest("acme/stack", slow, { awaitMergeable: true });
      expect(pending).toMatchObject({ state: "open", mergeable: null });
      // Bounded: four reads in all, then "not known yet".
      expect(server.count("GET /repos/{owner}/{repo}/pulls/{pull_number}")).toBe(4);
    } finally {
      server.mergeableAfterReads = 1;
    }
    // Without awaitMergeable, one read: the sync never waits for it.
    server.resetRequests();
    const third = await openPull();
    expect((await github.getPullRequest("acme/stack", third)).mergeable).toBeNull();
    expect(server.count("GET /repos/{owner}/{repo}/pulls/{pull_number}")).toBe(1);
  });

  it("reports a conflicting pull request as not mergeable", async () => {
    const branch = `conflict-${++branchCount}`;
    await stack.commit({ branch, parents: [base], files: { "values.yaml": "a: 2\n" }, message: "Theirs" });
    await stack.commit({ branch: "main", files: { "values.yaml": "a: 3\n" }, message: "Ours" });
    base = await stack.rev("main");
    const opened = await provider().openPullRequest({ repo: "acme/stack", head: branch, base: "main", title: "Conflict", body: "" });
    expect((await provider().getPullRequest("acme/stack", opened.number, { awaitMergeable: true })).mergeable).toBe(false);
  });
});

describe("exact refs and empty repositories (item 14)", () => {
  it("answers git/ref exactly: heads/env is 404 when only env/prod exists", async () => {
    await stack.branch("env/prod", "main");
    expect((await raw("/repos/acme/stack/git/ref/heads/env")).status).toBe(404);
    expect((await raw("/repos/acme/stack/git/ref/heads/env/prod")).body).toMatchObject({ ref: "refs/heads/env/prod" });
    expect((await raw("/repos/acme/stack/git/ref/heads%2Fenv%2Fprod")).status).toBe(200);
  });

  it("says which branch is in the way instead of adopting a prefix match", async () => {
    await expect(
      provider().createBranchWithCommit("acme/stack", {
        baseSha: base,
        branch: "env",
        message: "Blocked",
        author: { name: "Slipway", email: "slipway@example.com" },
        files: [{ path: "Chart.yaml", content: "x\n" }],
      }),
    ).rejects.toThrow(/^GitHub refused to create branch env in acme\/stack \(422 Reference update failed\): no branch has that exact name/);
    expect(server.count("GET /repos/{owner}/{repo}/git/ref/{ref}", { status: 404 })).toBe(1);
  });

  it("answers 409 Git Repository is empty to every git write in an empty repository", async () => {
    const writes: [string, unknown][] = [
      ["/repos/acme/empty/git/blobs", { content: "x", encoding: "utf-8" }],
      ["/repos/acme/empty/git/trees", { tree: [{ path: "a", mode: "100644", type: "blob", content: "a" }] }],
      ["/repos/acme/empty/git/commits", { message: "m", tree: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", parents: [] }],
      ["/repos/acme/empty/git/refs", { ref: "refs/heads/main", sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904" }],
    ];
    for (const [path, body] of writes) {
      const answer = await raw(path, { method: "POST", body });
      expect(answer.status, path).toBe(409);
      expect(answer.body?.message).toBe("Git Repository is empty.");
    }
    await expect(
      provider().createBranchWithCommit("acme/empty", {
        baseSha: "f".repeat(40),
        branch: "first",
        message: "m",
        author: { name: "Slipway", email: "slipway@example.com" },
        files: [{ path: "Chart.yaml", content: "x\n" }],
      }),
    ).rejects.toThrow("repository acme/empty is empty: push a first commit to its default branch, then try again");
    expect(server.count("POST /repos/{owner}/{repo}/git/blobs", { status: 409 })).toBe(2);
  });
});

describe("the small print (item 15)", () => {
  it("matches labels case-insensitively and keeps the existing label's name", async () => {
    stack.labels.set("Slipway", { id: 1, color: "0e8a16", description: "Raised by Slipway" });
    const branch = await changeBranch("labels");
    const opened = await provider().openPullRequest({ repo: "acme/stack", head: branch, base: "main", title: "Labels", body: "", labels: ["slipway", "UPGRADE"] });
    expect(opened.warnings).toEqual([]);
    const labelled = await raw(`/repos/acme/stack/issues/${opened.number}/labels`, { method: "POST", body: { labels: ["SLIPWAY", "upgrade"] } });
    expect((labelled.body as unknown as { name: string }[]).map((label) => label.name)).toEqual(["Slipway", "UPGRADE"]);
    expect([...stack.labels.keys()].filter((name) => name.toLowerCase() === "slipway")).toEqual(["Slipway"]);
    expect(server.pullRequests("acme/stack").find((pull) => pull.number === opened.number)?.labels).toEqual(["Slipway", "UPGRADE"]);
  });

  it("reports compare files as added, removed, renamed or modified, with blob shas and the previous name", async () => {
    const head = await stack.commit({
      branch: `compare-${++branchCount}`,
      parents: [base],
      files: { "new.txt": "new\n", "Chart.yaml": "name: stack\nversion: 9\n", "old-name.txt": null, "new-name.txt": "moved\n", "values.yaml": null },
      message: "Every kind of change",
    });
    const answer = await raw(`/repos/acme/stack/compare/${base}...${head}`);
    const files = (answer.body as { files: Record<string, unknown>[] }).files;
    const byName = Object.fromEntries(files.map((file) => [file.filename as string, file]));
    expect(byName["new.txt"]).toMatchObject({ status: "added", sha: (await stack.git("rev-parse", `${head}:new.txt`)).trim() });
    expect(byName["Chart.yaml"]).toMatchObject({ status: "modified", sha: (await stack.git("rev-parse", `${head}:Chart.yaml`)).trim() });
    expect(byName["values.yaml"]).toMatchObject({ status: "removed", sha: (await stack.git("rev-parse", `${base}:values.yaml`)).trim(), additions: 0, deletions: 1 });
    expect(byName["new-name.txt"]).toMatchObject({ status: "renamed", previous_filename: "old-name.txt" });
    expect(byName["old-name.txt"]).toBeUndefined();
    expect(files.every((file) => typeof file.sha === "string" && /^[0-9a-f]{40}$/.test(file.sha as string))).toBe(true);
  });

  it("sends Link URLs in GitHub's /repositories/{id} form, serves them as the same repository, and Octokit follows them", async () => {
    await stack.commitSeries({ branch: "long", count: 7, message: (index) => `Series ${index}` });
    const first = await raw("/repos/acme/stack/commits?sha=long&per_page=3");
    expect(first.headers.get("link")).toBe(
      `<${server.url}/repositories/${stack.id}/commits?sha=long&per_page=3&page=2>; rel="next", <${server.url}/repositories/${stack.id}/commits?sha=long&per_page=3&page=3>; rel="last"`,
    );
    expect((await raw(`/repositories/${stack.id}`)).body).toMatchObject({ full_name: "acme/stack", id: stack.id });
    expect((await raw(`/repositories/${secret.id}`, { token: OTHER_REPO })).status).toBe(404);

    server.resetRequests();
    const octokit = new Octokit({ baseUrl: server.url, auth: FULL, userAgent: "strictness-test" });
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, { owner: "acme", repo: "stack", sha: "long", per_page: 3 });
    expect(commits.map((commit) => commit.sha)).toEqual((await stack.git("rev-list", "long")).trim().split("\n"));
    expect(server.requests.map((request) => request.url.split("?")[0])).toEqual([
      "/repos/acme/stack/commits",
      `/repositories/${stack.id}/commits`,
      `/repositories/${stack.id}/commits`,
    ]);
    expect(server.requests.every((request) => request.status === 200 && request.route === "GET /repos/{owner}/{repo}/commits")).toBe(true);
  });

  it("compares ETags weakly: W/\"x\" and \"x\" match each other", async () => {
    const first = await raw("/repos/acme/stack/branches/main");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const strong = etag.replace(/^W\//, "");
    expect((await raw("/repos/acme/stack/branches/main", { headers: { "if-none-match": strong } })).status).toBe(304);
    expect((await raw("/repos/acme/stack/branches/main", { headers: { "if-none-match": `"nope", ${etag}` } })).status).toBe(304);
    expect((await raw("/repos/acme/stack/branches/main", { headers: { "if-none-match": `W/"nope"` } })).status).toBe(200);
  });

  it("serves public repositories without a token at the unauthenticated limit, and nothing else", async () => {
    const anonymous = await raw("/repos/acme/stack/branches/main", { token: null });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("x-ratelimit-limit")).toBe("60");
    expect(Number(anonymous.headers.get("x-ratelimit-remaining"))).toBeLessThan(60);
    expect((await raw("/repos/acme/secret/branches/main", { token: null })).status).toBe(404);
    const write = await raw("/repos/acme/stack/git/blobs", { token: null, method: "POST", body: { content: "x" } });
    expect(write).toMatchObject({ status: 401, body: { message: "Requires authentication" } });
  });
});
