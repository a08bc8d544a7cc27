import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "@/lib/errors";
import { createGitHubProvider, type GitHubProviderOptions } from "@/lib/git/github/github-provider";
import { startGitHubTestServer, type GitHubTestServer } from "./github-test-server";
import type { TestRepository } from "./github-test-repository";

const TOKEN = "ghp_releasebot";
const OTHER_TOKEN = "ghp_otheruser";
const APP_ID = 424242;
const INSTALLATION_ID = 77;
const { publicKey, privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  // PKCS#1, the format GitHub hands out for App keys.
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const ROUTES = {
  branch: "GET /repos/{owner}/{repo}/branches/{branch}",
  contents: "GET /repos/{owner}/{repo}/contents/{path}",
  commits: "GET /repos/{owner}/{repo}/commits",
  tags: "GET /repos/{owner}/{repo}/tags",
  compare: "GET /repos/{owner}/{repo}/compare/{basehead}",
  blobs: "POST /repos/{owner}/{repo}/git/blobs",
  gitCommit: "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
  trees: "POST /repos/{owner}/{repo}/git/trees",
  createCommit: "POST /repos/{owner}/{repo}/git/commits",
  refs: "POST /repos/{owner}/{repo}/git/refs",
  createPull: "POST /repos/{owner}/{repo}/pulls",
  labels: "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
  reviewers: "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  appToken: "POST /app/installations/{installation_id}/access_tokens",
};

let server: GitHubTestServer;
let stack: TestRepository;
let orders: TestRepository;
type Commit = "c1" | "f1" | "c2" | "m1" | "f2" | "m2" | "c3" | "orders10" | "orders240";
/** Filled by beforeAll. */
const shas = {} as Record<Commit, string>;

/** Fast retries and no write spacing: the behaviour is the plugins', the waits are shrunk. */
function provider(overrides: Partial<GitHubProviderOptions> = {}) {
  return createGitHubProvider({
    baseUrl: server.url,
    auth: { token: TOKEN },
    throttle: { retryAfterBaseValueMs: 5, spaceWrites: false },
    retry: { retryAfterBaseValueMs: 5 },
    ...overrides,
  });
}

const day = (n: number) => `2024-03-${String(n).padStart(2, "0")}T10:00:00Z`;

beforeAll(async () => {
  server = await startGitHubTestServer({
    tokens: { [TOKEN]: "release-bot", [OTHER_TOKEN]: "other-user" },
    app: { id: APP_ID, publicKey, installationIds: [INSTALLATION_ID] },
  });

  // A stack repository with merged feature branches, so first-parent history differs from the full history.
  stack = await server.createRepository("acme/stack", { collaborators: ["alice", "bob", "release-bot"], teams: ["gatekeepers"] });
  shas.c1 = await stack.commit({
    branch: "main",
    files: { "Chart.yaml": "name: stack\nversion: 1.0.0\n", "values.yaml": "orders: {}\n", "charts/README.md": "vendored\n" },
    message: "Initial stack",
    date: day(1),
  });
  await stack.tag("v1.0.0", shas.c1, "release 1.0.0");
  await stack.branch("release/production", shas.c1);
  shas.f1 = await stack.commit({ branch: "feature/pay-1", parents: [shas.c1], files: { "Chart.yaml": "name: stack\nversion: 1.1.0\n" }, message: "PAY-1: bump orders", date: day(2) });
  shas.c2 = await stack.commit({ branch: "main", files: { "values.yaml": "orders: { replicas: 2 }\n" }, message: "Tweak values", date: day(3) });
  shas.m1 = await stack.merge({ into: "main", from: "feature/pay-1", message: "Merge pull request #1 from acme/feature/pay-1", date: day(4) });
  shas.f2 = await stack.commit({ branch: "feature/pay-2", parents: [shas.m1], files: { "docs/notes.md": "notes\n" }, message: "PAY-2: docs", date: day(5) });
  shas.m2 = await stack.merge({ into: "main", from: "feature/pay-2", message: "Merge pull request #2 from acme/feature/pay-2", date: day(6) });
  shas.c3 = await stack.commit({ branch: "main", files: { "Chart.yaml": "name: stack\nversion: 1.2.0\n" }, message: "Bump payments", date: day(7) });
  // Pull requests merge into staging, so main stays where the read tests expect it.
  await stack.branch("staging", shas.c3);
  await stack.commit({ branch: "big", parents: [shas.c1], files: { "big.txt": "x".repeat(1_200_000) }, message: "Big file", date: day(8) });

  // A service repository with a long history and many tags, for pagination.
  orders = await server.createRepository("acme/orders");
  await orders.commitSeries({ branch: "main", count: 250, message: (i) => `ORD-${i + 1}: change ${i + 1}` });
  const history = (await orders.git("rev-list", "--reverse", "main")).trim().split("\n");
  await orders.tagMany(history.slice(0, 130).map((sha, i) => ({ name: `v0.${i}.0`, sha })));
  shas.orders10 = history[9]!;
  shas.orders240 = history[239]!;
  await orders.tag("orders-1.0.0", history[9]!);
  await orders.tag("orders-2.0.0", history[239]!);
});

afterAll(() => server?.close());

beforeEach(() => {
  server.clearFaults();
  server.resetRequests();
});

describe("reads", () => {
  it("reads a branch head, including branch names with slashes", async () => {
    const github = provider();
    const main = await github.branchHead("acme/stack", "main");
    expect(main).toEqual({ sha: shas.c3, date: new Date(day(7)) });
    expect((await github.branchHead("acme/stack", "release/production")).sha).toBe(shas.c1);
  });

  it("names a missing branch and a missing repository", async () => {
    const github = provider();
    await expect(github.branchHead("acme/stack", "nope")).rejects.toThrow(new GitError("branch nope not found in acme/stack"));
    await expect(github.branchHead("acme/missing", "main")).rejects.toThrow(/repository acme\/missing not found on GitHub/);
    await expect(github.branchHead("not a repo", "main")).rejects.toThrow(/use owner\/name/);
  });

  it("reads several files at one commit; missing files and folders are undefined", async () => {
    const github = provider();
    const files = await github.readFiles("acme/stack", shas.c1, ["Chart.yaml", "./values.yaml", "charts", "nested/Chart.lock"]);
    expect([...files.entries()]).toEqual([
      ["Chart.yaml", "name: stack\nversion: 1.0.0\n"],
      ["./values.yaml", "orders: {}\n"],
      ["charts", undefined],
      ["nested/Chart.lock", undefined],
    ]);
    await expect(github.readFiles("acme/stack", "f".repeat(40), ["Chart.yaml"])).rejects.toThrow(/commit f+ not found in acme\/stack/);
  });

  it("reads a file over 1 MB through the blob API", async () => {
    const github = provider();
    const head = await github.branchHead("acme/stack", "big");
    const files = await github.readFiles("acme/stack", head.sha, ["big.txt"]);
    expect(files.get("big.txt")).toHaveLength(1_200_000);
    expect(server.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(1);
  });

  it("re-reads unchanged data with conditional requests that cost no rate limit", async () => {
    const github = provider();
    const first = await github.readFiles("acme/stack", shas.c3, ["Chart.yaml", "values.yaml"]);
    const head = await github.branchHead("acme/stack", "main");
    const before = server.rateLimit("release-bot").remaining;

    const second = await github.readFiles("acme/stack", shas.c3, ["Chart.yaml", "values.yaml"]);
    const headAgain = await github.branchHead("acme/stack", "main");

    expect(second).toEqual(first);
    expect(headAgain).toEqual(head);
    expect(server.count(ROUTES.contents, { status: 304 })).toBe(2);
    expect(server.count(ROUTES.branch, { status: 304 })).toBe(1);
    expect(server.rateLimit("release-bot").remaining).toBe(before);
    const conditional = server.requests.filter((request) => request.status === 304);
    expect(conditional.every((request) => typeof request.headers["if-none-match"] === "string")).toBe(true);
  });
});

describe("history", () => {
  it("lists history newest first, limited and filtered by path", async () => {
    const github = provider();
    const all = await github.listHistory("acme/stack", "main");
    expect(all.map((commit) => commit.sha)).toEqual((await stack.git("log", "--format=%H", "main")).trim().split("\n"));
    expect(all[0]).toMatchObject({ subject: "Bump payments", authorName: "Dev One", authorEmail: "dev.one@example.com", parents: [shas.m2] });
    expect(all.find((commit) => commit.sha === shas.m1)?.parents).toEqual([shas.c2, shas.f1]);

    const chart = await github.listHistory("acme/stack", "main", { path: "Chart.yaml", limit: 2 });
    expect(chart.map((commit) => commit.subject)).toEqual(["Bump payments", "PAY-1: bump orders"]);
    await expect(github.listHistory("acme/stack", "nope")).rejects.toThrow("nope not found in acme/stack");
  });

  it("rebuilds first-parent history like git log --first-parent, with and without a path", async () => {
    const github = provider();
    const expected = async (...args: string[]) => (await stack.git("log", "--first-parent", "--format=%H", "main", ...args)).trim().split("\n");

    const merges = await github.listHistory("acme/stack", "main", { firstParent: true });
    expect(merges.map((commit) => commit.sha)).toEqual(await expected());
    expect(merges.map((commit) => commit.sha)).toEqual([shas.c3, shas.m2, shas.m1, shas.c2, shas.c1]);

    const chart = await github.listHistory("acme/stack", "main", { firstParent: true, path: "Chart.yaml" });
    expect(chart.map((commit) => commit.sha)).toEqual(await expected("--", "Chart.yaml"));
    expect(chart.map((commit) => commit.sha)).toEqual([shas.c3, shas.m1, shas.c1]);

    const docs = await github.listHistory("acme/stack", "main", { firstParent: true, path: "docs" });
    expect(docs.map((commit) => commit.sha)).toEqual([shas.m2]);
  });

  it("pages through 250 commits, 100 at a time", async () => {
    const github = provider();
    const history = await github.listHistory("acme/orders", "main", { limit: 250 });
    expect(history).toHaveLength(250);
    expect(history.map((commit) => commit.sha)).toEqual((await orders.git("rev-list", "main")).trim().split("\n"));
    expect(history[0]!.subject).toBe("ORD-250: change 250");
    expect(server.count(ROUTES.commits)).toBe(3);
    const pages = server.requests.filter((request) => request.route === ROUTES.commits).map((request) => request.query.get("page"));
    expect(pages).toEqual([null, "2", "3"]);
  });

  it("asks for no more than the limit", async () => {
    const github = provider();
    const history = await github.listHistory("acme/orders", "main", { limit: 5 });
    expect(history.map((commit) => commit.subject)).toEqual([250, 249, 248, 247, 246].map((n) => `ORD-${n}: change ${n}`));
    expect(server.requests.map((request) => request.query.get("per_page"))).toEqual(["5"]);
  });

  it("lists tags across pages, peeling annotated tags", async () => {
    const github = provider();
    const tags = await github.listTags("acme/orders");
    expect(tags.size).toBe(132);
    expect(tags.get("orders-1.0.0")).toBe(shas.orders10);
    expect(tags.get("v0.9.0")).toBe(shas.orders10);
    expect(server.count(ROUTES.tags)).toBe(2);
    expect((await github.listTags("acme/stack")).get("v1.0.0")).toBe(shas.c1);
  });

  it("lists the commits between two tags newest first, across compare pages", async () => {
    const github = provider();
    const between = await github.listCommitsBetween("acme/orders", "orders-1.0.0", "orders-2.0.0");
    expect(between.map((commit) => commit.sha)).toEqual(
      (await orders.git("rev-list", `${shas.orders10}..${shas.orders240}`)).trim().split("\n"),
    );
    expect(between).toHaveLength(230);
    expect(between[0]!.subject).toBe("ORD-240: change 240");
    expect(server.count(ROUTES.compare)).toBe(3);
  });

  it("fetches only the newest compare pages a limit needs", async () => {
    const github = provider();
    const newest = await github.listCommitsBetween("acme/orders", "orders-1.0.0", "orders-2.0.0", { limit: 20 });
    expect(newest.map((commit) => commit.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `ORD-${240 - i}: change ${240 - i}`));
    // Page 1 (for the total), then the last page, which already holds 30 commits.
    expect(server.requests.map((request) => request.query.get("page"))).toEqual(["1", "3"]);
  });

  it("returns nothing between identical refs and names refs that do not exist", async () => {
    const github = provider();
    expect(await github.listCommitsBetween("acme/stack", "main", "main")).toEqual([]);
    await expect(github.listCommitsBetween("acme/stack", "v9.9.9", "main")).rejects.toThrow(/cannot compare v9\.9\.9\.\.\.main in acme\/stack/);
  });
});

describe("createBranchWithCommit", () => {
  it("creates the branch at exactly one new commit holding every file", async () => {
    const github = provider();
    const { sha } = await github.createBranchWithCommit("acme/stack", {
      baseSha: shas.c3,
      branch: "slipway/upgrade-orders",
      message: "Upgrade orders to 1.3.0\n\nRequested in Slipway.",
      author: { name: "Release Manager", email: "rm@example.com" },
      files: [
        { path: "Chart.yaml", content: "name: stack\nversion: 1.3.0\n" },
        { path: "env/prod/Chart.lock", content: "dependencies: []\r\n" },
      ],
    });

    expect(await stack.rev("refs/heads/slipway/upgrade-orders")).toBe(sha);
    expect((await stack.git("rev-list", "--count", `${shas.c3}..${sha}`)).trim()).toBe("1");
    expect((await stack.git("rev-list", "--parents", "-n", "1", sha)).trim()).toBe(`${sha} ${shas.c3}`);
    expect((await stack.git("diff", "--name-only", shas.c3, sha)).trim().split("\n")).toEqual(["Chart.yaml", "env/prod/Chart.lock"]);
    expect(await stack.git("show", `${sha}:Chart.yaml`)).toBe("name: stack\nversion: 1.3.0\n");
    expect(await stack.git("show", `${sha}:env/prod/Chart.lock`)).toBe("dependencies: []\r\n");
    expect(await stack.git("show", `${sha}:values.yaml`)).toBe("orders: { replicas: 2 }\n");
    expect((await stack.git("log", "-1", "--format=%an <%ae>%n%B", sha)).trim()).toBe(
      "Release Manager <rm@example.com>\nUpgrade orders to 1.3.0\n\nRequested in Slipway.",
    );
    expect(await stack.rev("main")).toBe(shas.c3);

    // Two blobs, the base commit, one tree, one commit, one ref.
    expect([ROUTES.blobs, ROUTES.gitCommit, ROUTES.trees, ROUTES.createCommit, ROUTES.refs].map((route) => server.count(route))).toEqual([2, 1, 1, 1, 1]);
    expect(server.requests).toHaveLength(6);
  });

  it("creates a lightweight tag (a snapshot) and never moves an existing one", async () => {
    const github = provider();
    await github.createTag("acme/stack", "dev-2030.01.02.1", shas.c3);
    expect(await stack.rev("refs/tags/dev-2030.01.02.1")).toBe(shas.c3);
    await expect(github.createTag("acme/stack", "dev-2030.01.02.1", shas.c1)).rejects.toThrow(
      new GitError("tag dev-2030.01.02.1 already exists in acme/stack"),
    );
    expect(await stack.rev("refs/tags/dev-2030.01.02.1")).toBe(shas.c3);
    await expect(github.createTag("acme/stack", "bad..name", shas.c3)).rejects.toThrow(/is not a valid tag name/);
  });

  it("moves a branch forward only: creates it, fast-forwards it, refuses to rewrite it", async () => {
    const github = provider();
    expect(await github.advanceBranch("acme/stack", "release/dev", shas.c1)).toBe("created");
    expect(await github.advanceBranch("acme/stack", "release/dev", shas.c3)).toBe("fast-forwarded");
    expect(await github.advanceBranch("acme/stack", "release/dev", shas.c3)).toBe("unchanged");
    await expect(github.advanceBranch("acme/stack", "release/dev", shas.c1)).rejects.toThrow(/not a fast-forward, so it is left as it is/);
    expect(await stack.rev("refs/heads/release/dev")).toBe(shas.c3);
  });

  it("finds the merge base of two commits through compare", async () => {
    const github = provider();
    expect(await github.mergeBase("acme/stack", shas.c1, shas.c3)).toBe(shas.c1);
    expect(await github.mergeBase("acme/stack", shas.f1, shas.c2)).toBe(shas.c1);
  });

  it("merges a tag's commit into a new branch with GitHub's merge API, as git merge would", async () => {
    const github = provider();
    await stack.tag("dev-2026.12.02.1", shas.c3);
    const { sha } = await github.createBranchWithCommit("acme/stack", {
      baseSha: shas.c1,
      branch: "slipway/promote-dev-2026.12.02.1",
      message: "Promote snapshot dev-2026.12.02.1 to production",
      author: { name: "A", email: "a@example.com" },
      files: [],
      mergeOf: shas.c3,
    });
    expect(await stack.rev("refs/heads/slipway/promote-dev-2026.12.02.1")).toBe(sha);
    // c1 is an ancestor of c3, but a merge commit is made all the same (GitHub's merge API never fast-forwards).
    expect((await stack.git("log", "-1", "--format=%P", sha)).trim().split(" ")).toEqual([shas.c1, shas.c3]);
    expect(await stack.git("show", `${sha}:Chart.yaml`)).toBe("name: stack\nversion: 1.2.0\n");
    expect((await stack.git("log", "-1", "--format=%s", sha)).trim()).toBe("Promote snapshot dev-2026.12.02.1 to production");
  });

  it("refuses a merge that conflicts and removes the branch it started", async () => {
    const github = provider();
    const author = { name: "A", email: "a@example.com" };
    const ours = await github.createBranchWithCommit("acme/stack", {
      baseSha: shas.c1,
      branch: "slipway/conflict-ours",
      message: "ours",
      author,
      files: [{ path: "Chart.yaml", content: "name: stack\nversion: 9.0.0\n" }],
    });
    await expect(
      github.createBranchWithCommit("acme/stack", { baseSha: ours.sha, branch: "slipway/conflicted", message: "m", author, files: [], mergeOf: shas.c3 }),
    ).rejects.toThrow(/does not merge cleanly .*Merge conflict/);
    await expect(stack.rev("refs/heads/slipway/conflicted")).rejects.toThrow();
    await expect(
      github.createBranchWithCommit("acme/stack", { baseSha: shas.c3, branch: "slipway/nothing", message: "m", author, files: [], mergeOf: shas.c1 }),
    ).rejects.toThrow(/already contains .*nothing to merge/);
    await expect(stack.rev("refs/heads/slipway/nothing")).rejects.toThrow();
  });

  it("refuses a branch that already exists and leaves it alone", async () => {
    const github = provider();
    const before = await stack.rev("refs/heads/feature/pay-1");
    await expect(
      github.createBranchWithCommit("acme/stack", {
        baseSha: shas.c3,
        branch: "feature/pay-1",
        message: "x",
        author: { name: "A", email: "a@example.com" },
        files: [{ path: "Chart.yaml", content: "x\n" }],
      }),
    ).rejects.toThrow(new GitError("branch feature/pay-1 already exists in acme/stack"));
    expect(await stack.rev("refs/heads/feature/pay-1")).toBe(before);
  });

  it("treats a retried ref creation that finds its own commit as success", async () => {
    // The ref is created but the answer is lost; the retry plugin sends the create again and GitHub says it exists.
    server.injectOnce({ method: "POST", path: /\/git\/refs$/, kind: "drop-response" });
    const { sha } = await provider().createBranchWithCommit("acme/stack", {
      baseSha: shas.c3,
      branch: "slipway/retried",
      message: "Retried",
      author: { name: "A", email: "a@example.com" },
      files: [{ path: "Chart.yaml", content: "retried\n" }],
    });
    expect(await stack.rev("refs/heads/slipway/retried")).toBe(sha);
    expect(server.requests.filter((request) => request.route === ROUTES.refs).map((request) => request.status)).toEqual([0, 422]);
    expect(server.count("GET /repos/{owner}/{repo}/git/ref/{ref}")).toBe(1);
  });

  it("names a base commit that does not exist", async () => {
    const github = provider();
    await expect(
      github.createBranchWithCommit("acme/stack", {
        baseSha: "e".repeat(40),
        branch: "slipway/orphan",
        message: "x",
        author: { name: "A", email: "a@example.com" },
        files: [{ path: "Chart.yaml", content: "x\n" }],
      }),
    ).rejects.toThrow(/base commit e+ not found in acme\/stack/);
  });
});

describe("pull requests", () => {
  async function branchWithChange(branch: string) {
    await provider().createBranchWithCommit("acme/stack", {
      baseSha: await stack.rev("staging"),
      branch,
      message: `Change on ${branch}`,
      author: { name: "Release Manager", email: "rm@example.com" },
      files: [{ path: `changes/${branch.replace(/\//g, "-")}.txt`, content: `${branch}\n` }],
    });
    server.resetRequests();
  }

  it("opens a pull request with labels and user and team reviewers, then follows it to its merge", async () => {
    await branchWithChange("slipway/release-1");
    const github = provider();
    const opened = await github.openPullRequest({
      repo: "acme/stack",
      head: "slipway/release-1",
      base: "staging",
      title: "Upgrade orders to 1.3.0",
      body: "| service | from | to |",
      labels: ["slipway", "release"],
      reviewers: { users: ["alice", "bob"], teams: ["gatekeepers"] },
    });
    expect(opened).toEqual({ number: expect.any(Number), url: `${server.url}/acme/stack/pull/${opened.number}`, state: "open", warnings: [] });
    expect([ROUTES.createPull, ROUTES.labels, ROUTES.reviewers].map((route) => server.count(route))).toEqual([1, 1, 1]);
    expect(server.requests).toHaveLength(3);

    const stored = server.pullRequests("acme/stack").find((pull) => pull.number === opened.number)!;
    expect(stored).toMatchObject({
      title: "Upgrade orders to 1.3.0",
      body: "| service | from | to |",
      user: "release-bot",
      labels: ["slipway", "release"],
      requestedReviewers: ["alice", "bob"],
      requestedTeams: ["gatekeepers"],
      base: { ref: "staging" },
      head: { ref: "slipway/release-1" },
    });

    expect(await github.findOpenPullRequest("acme/stack", "slipway/release-1")).toEqual({ number: opened.number, url: opened.url, state: "open" });
    expect(await github.findOpenPullRequest("acme/stack", "slipway/none")).toBeUndefined();
    expect(await github.getPullRequest("acme/stack", opened.number)).toMatchObject({ state: "open", baseBranch: "staging", headBranch: "slipway/release-1" });

    const mergeSha = await server.mergePullRequest("acme/stack", opened.number);
    const merged = await github.getPullRequest("acme/stack", opened.number);
    expect(merged).toMatchObject({ state: "merged", mergeCommitSha: mergeSha });
    expect(merged.mergedAt).toBeInstanceOf(Date);
    expect(await stack.rev("staging")).toBe(mergeSha);
    expect((await stack.git("rev-list", "--parents", "-n", "1", mergeSha)).trim().split(" ")).toHaveLength(3);
    expect(await github.findOpenPullRequest("acme/stack", "slipway/release-1")).toBeUndefined();
    await expect(github.getPullRequest("acme/stack", 999)).rejects.toThrow("pull request #999 not found in acme/stack");
  });

  it("keeps the pull request when GitHub refuses a reviewer, requesting the others one by one", async () => {
    await branchWithChange("slipway/release-2");
    const github = provider();
    const opened = await github.openPullRequest({
      repo: "acme/stack",
      head: "slipway/release-2",
      base: "staging",
      title: "Upgrade payments",
      body: "body",
      reviewers: { users: ["release-bot", "alice", "mallory"], teams: ["gatekeepers"] },
    });
    expect(opened.state).toBe("open");
    expect(opened.warnings).toEqual([
      "could not request a review from @release-bot: 422 Review cannot be requested from pull request author.",
      expect.stringMatching(/^could not request a review from @mallory: 422 Reviews may only be requested from collaborators/),
    ]);
    const stored = server.pullRequests("acme/stack").find((pull) => pull.number === opened.number)!;
    expect(stored.requestedReviewers).toEqual(["alice"]);
    expect(stored.requestedTeams).toEqual(["gatekeepers"]);
    // The batch, then one request per reviewer.
    expect(server.count(ROUTES.reviewers)).toBe(5);
  });

  it("picks up its own pull request when a retried create finds it already open", async () => {
    await branchWithChange("slipway/release-3");
    server.injectOnce({ method: "POST", path: /\/pulls$/, kind: "drop-response" });
    const opened = await provider().openPullRequest({ repo: "acme/stack", head: "slipway/release-3", base: "staging", title: "Again", body: "", labels: ["slipway"] });
    expect(server.pullRequests("acme/stack").filter((pull) => pull.head.ref === "slipway/release-3")).toHaveLength(1);
    expect(opened.warnings).toEqual([`a pull request from slipway/release-3 was already open (#${opened.number}); labels and reviewers were applied to it`]);
    expect(server.pullRequests("acme/stack").find((pull) => pull.number === opened.number)?.labels).toEqual(["slipway"]);
  });

  it("says so when there is nothing to merge", async () => {
    await expect(
      provider().openPullRequest({ repo: "acme/stack", head: "release/production", base: "staging", title: "Nothing", body: "" }),
    ).rejects.toThrow(/nothing to merge: release\/production has no commits that staging lacks/);
  });
});

describe("reliability", () => {
  it("waits out a secondary rate limit and succeeds", async () => {
    server.injectOnce({ path: /\/branches\//, kind: "secondary-rate-limit", retryAfterSeconds: 1 });
    expect((await provider().branchHead("acme/stack", "main")).sha).toBe(await stack.rev("main"));
    expect(server.requests.map((request) => request.status)).toEqual([403, 200]);
  });

  it("retries a primary rate limit that resets right away", async () => {
    server.injectOnce({ path: /\/branches\//, kind: "primary-rate-limit", resetInSeconds: 0 });
    expect((await provider().branchHead("acme/stack", "main")).sha).toBe(await stack.rev("main"));
    expect(server.requests.map((request) => request.status)).toEqual([403, 200]);
  });

  it("reports an exhausted primary rate limit with its reset time instead of waiting an hour", async () => {
    server.exhaustRateLimit("other-user", 3600);
    const github = provider({ auth: { token: OTHER_TOKEN } });
    const error = await github.branchHead("acme/stack", "main").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(/^GitHub API rate limit exhausted while reading branch main of acme\/stack; it resets at \d{4}-\d\d-\d\dT/);
    expect(server.requests).toHaveLength(1);
    server.exhaustRateLimit("other-user", 0);
  });

  it("gives up on a secondary rate limit that asks for a long wait", async () => {
    server.injectOnce({ path: /\/branches\//, kind: "secondary-rate-limit", retryAfterSeconds: 120 });
    await expect(provider().branchHead("acme/stack", "main")).rejects.toThrow(/secondary rate limit hit .*try again in 120 s/);
  });

  it("retries a transient 502 and a request that never answers", async () => {
    server.injectOnce({ path: /\/contents\//, status: 502 });
    const github = provider({ requestTimeoutMs: 1000 });
    expect((await github.readFiles("acme/stack", shas.c1, ["Chart.yaml"])).get("Chart.yaml")).toBe("name: stack\nversion: 1.0.0\n");
    expect(server.requests.map((request) => request.status)).toEqual([502, 200]);

    server.resetRequests();
    server.injectOnce({ path: /\/branches\//, kind: "timeout" });
    expect((await github.branchHead("acme/stack", "main")).sha).toBe(await stack.rev("main"));
    expect(server.requests.map((request) => request.status)).toEqual([0, 200]);
  });

  it("reports GitHub as unavailable when 5xx persist", async () => {
    server.inject({ path: /\/tags$/, status: 503 });
    await expect(provider({ retry: { retries: 2, retryAfterBaseValueMs: 1 } }).listTags("acme/stack")).rejects.toThrow(
      "GitHub is unavailable (503) while listing the tags of acme/stack; try again later",
    );
    expect(server.count(ROUTES.tags)).toBe(3);
  });

  it("tells the user to check GITHUB_TOKEN on bad credentials", async () => {
    await expect(provider({ auth: { token: "ghp_wrong" } }).branchHead("acme/stack", "main")).rejects.toThrow(
      /GitHub rejected the token \(401 Bad credentials\) while reading branch main of acme\/stack: check GITHUB_TOKEN/,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("GitHub App and GitHub Enterprise", () => {
  it("authenticates as an App installation with one token for many requests", async () => {
    const github = provider({ auth: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID } });
    expect((await github.branchHead("acme/stack", "main")).sha).toBe(await stack.rev("main"));
    expect((await github.listTags("acme/stack")).get("v1.0.0")).toBe(shas.c1);
    expect(server.count(ROUTES.appToken)).toBe(1);
    const tokenRequest = server.requests.find((request) => request.route === ROUTES.appToken)!;
    expect(tokenRequest.headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(server.requests.filter((request) => request.route !== ROUTES.appToken).every((request) => request.login === "slipway-test[bot]")).toBe(true);
  });

  it("opens pull requests as the App's bot", async () => {
    await provider().createBranchWithCommit("acme/stack", {
      baseSha: await stack.rev("main"),
      branch: "slipway/app-release",
      message: "App change",
      author: { name: "Slipway", email: "slipway@example.com" },
      files: [{ path: "app.txt", content: "app\n" }],
    });
    const github = provider({ auth: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID } });
    const opened = await github.openPullRequest({ repo: "acme/stack", head: "slipway/app-release", base: "main", title: "From the App", body: "" });
    expect(server.pullRequests("acme/stack").find((pull) => pull.number === opened.number)?.user).toBe("slipway-test[bot]");
  });

  it("reports an App whose key GitHub does not accept", async () => {
    const { privateKey: otherKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const github = provider({ auth: { appId: APP_ID, privateKey: otherKey, installationId: INSTALLATION_ID } });
    await expect(github.branchHead("acme/stack", "main")).rejects.toThrow(/GitHub rejected the GitHub App credentials \(401 .*check the App id, private key and installation id/);
  });

  it("works against a GitHub Enterprise base URL, pagination links included", async () => {
    const github = provider({ baseUrl: server.enterpriseUrl });
    expect((await github.listTags("acme/orders")).size).toBe(132);
    // The second page comes from GitHub's Link URL, which names the repository by id, under the Enterprise prefix.
    expect(server.requests.map((request) => request.url.split("?")[0])).toEqual(["/api/v3/repos/acme/orders/tags", `/api/v3/repositories/${orders.id}/tags`]);
    expect(server.requests.every((request) => request.status === 200)).toBe(true);
    expect(server.count(ROUTES.tags)).toBe(2);
  });
});
