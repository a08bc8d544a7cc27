import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitError } from "@/lib/errors";
import { createLocalGitProvider, isRemoteRepo } from "./local-git-provider";

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
};
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env }).toString();

let root: string;
let repo: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "slipway-git-"));
  repo = path.join(root, "stack");
  execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", repo], { env });
  writeFileSync(path.join(repo, "Chart.yaml"), "name: stack\nversion: 1.0.0\n");
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "Initial stack");
  git(repo, "tag", "-a", "v1.0.0", "-m", "release 1.0.0");
  git(repo, "checkout", "-q", "-b", "feature");
  writeFileSync(path.join(repo, "values.yaml"), "orders: {}\n");
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "PAY-1: add values");
  git(repo, "checkout", "-q", "main");
  git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature (#1)", "feature");
  git(repo, "checkout", "-q", "-b", "release/production", "v1.0.0");
  git(repo, "checkout", "-q", "main");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("local git provider", () => {
  it("reads the head of each branch, including branch names with slashes", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const main = await provider.branchHead("stack", "main");
    const production = await provider.branchHead("./stack", "release/production");
    expect(main.sha).toBe(git(repo, "rev-parse", "main").trim());
    expect(production.sha).toBe(git(repo, "rev-parse", "v1.0.0^{commit}").trim());
    expect(main.date).toBeInstanceOf(Date);
  });

  it("reads several files at one commit, missing ones as undefined", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const production = await provider.branchHead("stack", "release/production");
    const files = await provider.readFiles("stack", production.sha, ["Chart.yaml", "values.yaml", "nested/Chart.lock"]);
    expect(files.get("Chart.yaml")).toBe("name: stack\nversion: 1.0.0\n");
    expect(files.get("values.yaml")).toBeUndefined();
    expect(files.get("nested/Chart.lock")).toBeUndefined();
  });

  it("reads the same files at many commits in one go", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const shas = git(repo, "rev-list", "--first-parent", "main").trim().split("\n");
    const read = await provider.readFilesAtCommits("stack", shas, ["Chart.yaml", "values.yaml"]);
    expect([...read.keys()]).toEqual(shas);
    const oldest = read.get(shas.at(-1)!)!;
    expect(oldest.get("Chart.yaml")).toBe("name: stack\nversion: 1.0.0\n");
    expect(oldest.get("values.yaml")).toBeUndefined();
    expect(read.get(shas[0]!)!.get("values.yaml")).toBe("orders: {}\n");
  });

  it("lists the merge history of a branch with --first-parent", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const all = await provider.listHistory("stack", "main");
    const merges = await provider.listHistory("stack", "main", { firstParent: true });
    expect(all.map((c) => c.subject)).toEqual(["Merge feature (#1)", "PAY-1: add values", "Initial stack"]);
    expect(merges.map((c) => c.subject)).toEqual(["Merge feature (#1)", "Initial stack"]);
    expect(merges[0]!.parents).toHaveLength(2);
    expect(merges[0]!.authorEmail).toBe("test@example.com");
  });

  it("lists tags with the commit they point at, peeling annotated tags", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const tags = await provider.listTags("stack");
    expect(tags.get("v1.0.0")).toBe(git(repo, "rev-parse", "v1.0.0^{commit}").trim());
  });

  it("mirrors a remote URL and sees new commits after its fetch TTL", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache"), fetchTtlMs: 0 });
    const url = `file://${repo}`;
    const before = await provider.branchHead(url, "main");
    writeFileSync(path.join(repo, "README.md"), "stack\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "docs");
    const after = await provider.branchHead(url, "main");
    expect(after.sha).not.toBe(before.sha);
    expect(after.sha).toBe(git(repo, "rev-parse", "main").trim());
  });

  it("fails with a GitError naming the missing branch or repository", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    await expect(provider.branchHead("stack", "release/nope")).rejects.toThrow(/branch release\/nope not found/);
    await expect(provider.branchHead("missing-repo", "main")).rejects.toBeInstanceOf(GitError);
    await expect(provider.branchHead("stack", "--output=/tmp/x")).rejects.toBeInstanceOf(GitError);
  });

  it("tells remote URLs from paths", () => {
    expect(isRemoteRepo("git@github.com:acme/stack.git")).toBe(true);
    expect(isRemoteRepo("https://git.example.com/stack.git")).toBe(true);
    expect(isRemoteRepo("./repos/stack")).toBe(false);
    expect(isRemoteRepo("/srv/git/stack")).toBe(false);
  });
});

describe("local git provider writes", () => {
  it("lists the commits between two refs, newest first", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const commits = await provider.listCommitsBetween("stack", "v1.0.0", "main");
    expect(commits[0]!.subject).toBe(git(repo, "log", "-1", "--format=%s", "main").trim());
    expect(commits.map((c) => c.subject)).toContain("PAY-1: add values");
    expect(commits.map((c) => c.subject)).not.toContain("Initial stack");
  });

  it("creates a branch with one commit holding every changed file, without touching the work tree", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const head = await provider.branchHead("stack", "main");
    const { sha } = await provider.createBranchWithCommit("stack", {
      baseSha: head.sha,
      branch: "slipway/upgrade-orders",
      message: "Upgrade orders to 1.4.2\n\nCo-authored-by: Dana <dana@example.com>",
      author: { name: "Slipway", email: "slipway@example.com" },
      files: [
        { path: "Chart.yaml", content: "name: stack\nversion: 1.0.1\n" },
        { path: "charts/new/Chart.lock", content: "dependencies: []\n" },
      ],
    });
    expect(git(repo, "rev-parse", "slipway/upgrade-orders").trim()).toBe(sha);
    expect(git(repo, "rev-parse", `${sha}^`).trim()).toBe(head.sha);
    expect(git(repo, "show", `${sha}:Chart.yaml`)).toBe("name: stack\nversion: 1.0.1\n");
    expect(git(repo, "show", "--name-only", "--format=", sha).trim().split("\n").sort()).toEqual(["Chart.yaml", "charts/new/Chart.lock"]);
    expect(git(repo, "log", "-1", "--format=%an <%ae>%n%B", sha)).toContain("Slipway <slipway@example.com>\nUpgrade orders to 1.4.2");
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("refuses to overwrite an existing branch or to create an invalid one", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const head = await provider.branchHead("stack", "main");
    const commit = { baseSha: head.sha, message: "x", author: { name: "S", email: "s@example.com" }, files: [] };
    await expect(provider.createBranchWithCommit("stack", { ...commit, branch: "release/production" })).rejects.toThrow(/already exists/);
    await expect(provider.createBranchWithCommit("stack", { ...commit, branch: "bad..name" })).rejects.toThrow(/not a valid branch name/);
  });

  it("pushes a new branch to a remote repository", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache"), fetchTtlMs: 0 });
    const url = `file://${repo}`;
    const head = await provider.branchHead(url, "main");
    await provider.createBranchWithCommit(url, {
      baseSha: head.sha,
      branch: "slipway/remote-change",
      message: "remote change",
      author: { name: "S", email: "s@example.com" },
      files: [{ path: "values.yaml", content: "orders: { replicas: 2 }\n" }],
    });
    expect(git(repo, "show", "slipway/remote-change:values.yaml")).toBe("orders: { replicas: 2 }\n");
  });
});

describe("local git provider merges", () => {
  it("merges a change branch into a checked-out branch with a merge commit, updating its work tree", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    git(repo, "config", "receive.denyCurrentBranch", "updateInstead");
    const head = await provider.branchHead("stack", "main");
    const { sha: reviewed } = await provider.createBranchWithCommit("stack", {
      baseSha: head.sha,
      branch: "slipway/merge-me",
      message: "Upgrade stack to 1.1.0",
      author: { name: "Slipway", email: "slipway@example.com" },
      files: [{ path: "Chart.yaml", content: "name: stack\nversion: 1.1.0\n" }],
    });
    const { sha } = await provider.mergeBranch("stack", {
      into: "main",
      from: "slipway/merge-me",
      fromSha: reviewed,
      message: "Merge change request #1",
      author: { name: "Gita", email: "gita@example.com" },
    });
    expect(git(repo, "rev-parse", "main").trim()).toBe(sha);
    expect(git(repo, "log", "-1", "--format=%P", sha).trim().split(" ")).toHaveLength(2);
    expect(git(repo, "show", "main:Chart.yaml")).toBe("name: stack\nversion: 1.1.0\n");
    expect(readFileSync(path.join(repo, "Chart.yaml"), "utf8")).toBe("name: stack\nversion: 1.1.0\n");
  });

  it("refuses a merge that conflicts, leaving the branch as it was", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const head = await provider.branchHead("stack", "main");
    const change = { message: "x", author: { name: "S", email: "s@example.com" } };
    const a = await provider.createBranchWithCommit("stack", { ...change, baseSha: head.sha, branch: "slipway/a", files: [{ path: "Chart.yaml", content: "a\n" }] });
    const b = await provider.createBranchWithCommit("stack", { ...change, baseSha: head.sha, branch: "slipway/b", files: [{ path: "Chart.yaml", content: "b\n" }] });
    await provider.mergeBranch("stack", { into: "main", from: "slipway/a", fromSha: a.sha, message: "merge a", author: change.author });
    const before = git(repo, "rev-parse", "main").trim();
    await expect(provider.mergeBranch("stack", { into: "main", from: "slipway/b", fromSha: b.sha, message: "merge b", author: change.author })).rejects.toThrow(/no longer merges cleanly/);
    expect(git(repo, "rev-parse", "main").trim()).toBe(before);
  });
});

describe("local git provider: merging a tag into a new branch", () => {
  it("finds the merge base of two branches, and none for unrelated histories", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const main = await provider.branchHead("stack", "main");
    const production = await provider.branchHead("stack", "release/production");
    expect(await provider.mergeBase("stack", main.sha, production.sha)).toBe(production.sha);
    const orphan = git(repo, "commit-tree", git(repo, "hash-object", "-t", "tree", "/dev/null").trim(), "-m", "orphan").trim();
    expect(await provider.mergeBase("stack", main.sha, orphan)).toBeUndefined();
  });

  it("creates a branch whose one commit merges the tag into the base, as git merge would", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const production = await provider.branchHead("stack", "release/production");
    const change = { message: "x", author: { name: "S", email: "s@example.com" } };
    const snapshot = await provider.createBranchWithCommit("stack", {
      ...change,
      baseSha: (await provider.branchHead("stack", "main")).sha,
      branch: "slipway/snapshot-source",
      files: [{ path: "values.yaml", content: "orders: { replicas: 3 }\n" }],
    });
    await provider.createTag("stack", "dev-2026.12.02.1", snapshot.sha);
    const { sha } = await provider.createBranchWithCommit("stack", {
      ...change,
      message: "Promote snapshot dev-2026.12.02.1",
      baseSha: production.sha,
      branch: "slipway/promote-snapshot",
      files: [],
      mergeOf: snapshot.sha,
    });
    expect(git(repo, "log", "-1", "--format=%P", sha).trim().split(" ")).toEqual([production.sha, snapshot.sha]);
    expect(git(repo, "show", `${sha}:values.yaml`)).toBe("orders: { replicas: 3 }\n");
    expect(git(repo, "rev-parse", "release/production").trim()).toBe(production.sha);
  });

  it("refuses a merge that conflicts and creates no branch", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const production = await provider.branchHead("stack", "release/production");
    const change = { message: "x", author: { name: "S", email: "s@example.com" } };
    const ours = await provider.createBranchWithCommit("stack", {
      ...change,
      baseSha: production.sha,
      branch: "slipway/ours",
      files: [{ path: "Chart.yaml", content: "name: stack\nversion: 9.0.0\n" }],
    });
    const theirs = await provider.createBranchWithCommit("stack", {
      ...change,
      baseSha: production.sha,
      branch: "slipway/theirs",
      files: [{ path: "Chart.yaml", content: "name: stack\nversion: 8.0.0\n" }],
    });
    await expect(
      provider.createBranchWithCommit("stack", { ...change, baseSha: ours.sha, branch: "slipway/conflicted", files: [], mergeOf: theirs.sha }),
    ).rejects.toThrow(/does not merge cleanly .*conflicts in Chart\.yaml/);
    expect(() => git(repo, "rev-parse", "--verify", "--quiet", "refs/heads/slipway/conflicted")).toThrow();
  });
});
