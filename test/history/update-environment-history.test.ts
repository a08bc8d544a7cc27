import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnvironmentConfig, environmentConfigSchema } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";
import type { GitProvider } from "@/lib/git/git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readHistoryPage } from "@/lib/history/read-history-page";
import { updateEnvironmentHistory } from "@/lib/history/update-environment-history";
import { type TestDatabase, databaseFactories } from "../support/test-database";
import { StackRepo } from "./stack-repo";

const orders = (version: string) => ({ name: "orders", version });
const payments = (version: string, locked?: string) => ({ name: "payments", version, ...(locked && { locked }) });

describe.each(databaseFactories())("release history on $name", ({ create }) => {
  let root: string;
  let repo: StackRepo;
  let database: TestDatabase;
  let git: GitProvider;
  const shas: Record<string, string> = {};
  const environment = (name: string): EnvironmentConfig => environmentConfigSchema.parse({ name, repo: "stack", branch: "main", path: "stack" });
  const page = (env: EnvironmentConfig, pageNumber = 1, pageSize = 50) =>
    readHistoryPage(env, { page: pageNumber, pageSize }, { db: database.db, github: undefined });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "slipway-history-"));
    repo = new StackRepo(path.join(root, "stack"));
    git = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    database = await create();

    repo.commitFiles({ "README.md": "# stacks\n" }, "Initial commit");
    shas.created = repo.commitChart([orders("1.0.0"), payments("^2.0.0", "2.0.1")], "Add the shop environment");
    repo.commitFiles({ "stack/values.yaml": "orders: {}\n" }, "Tune values only");
    shas.merged = repo.mergeBranch("upgrade-orders", "Merge pull request #12 from acme/upgrade-orders", () => {
      repo.commitChart([orders("1.1.0"), payments("^2.0.0", "2.0.1")], "orders 1.1.0 (side branch)");
      repo.commitChart([orders("1.2.0"), payments("^2.0.0", "2.0.1")], "orders 1.2.0 (side branch)");
    });
    repo.commitFiles({ "docs/notes.md": "x\n" }, "Docs outside the stack");
    shas.squashed = repo.commitChart([orders("1.2.0"), payments("^2.0.0", "2.1.0")], "Lock payments 2.1.0 (#13)");
    shas.broken = repo.commitFiles({ "stack/Chart.yaml": "apiVersion: v2\nname: [unclosed\n" }, "Break the chart");
    shas.fixed = repo.commitChart([orders("1.2.0"), payments("^2.0.0", "2.1.0")], "Fix the chart");
  });
  afterAll(async () => {
    await database?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("reads the first-parent history on first read: merges and squashes, not the merged branch's commits", async () => {
    const env = environment("shop");
    const result = await updateEnvironmentHistory({ db: database.db, git }, env, repo.head());
    // Commits touching stack/: created, values-only, the merge, squash, broken, fixed.
    expect(result).toEqual({ commitsRead: 6, entriesAdded: 5, restarted: "first read", complete: true });
    const history = await page(env);
    expect(history.total).toBe(5);
    expect(history.reading).toMatchObject({ state: "complete", commitsRead: 6, headSha: repo.head() });
    expect(history.entries.map((e) => [e.sha, e.kind])).toEqual([
      [shas.fixed, "readable"],
      [shas.broken, "unreadable"],
      [shas.squashed, "changed"],
      [shas.merged, "changed"],
      [shas.created, "changed"],
    ]);
    expect(history.entries[3]).toMatchObject({
      merge: true,
      pullRequest: { number: 12 },
      authorName: "Dana Delivery",
      changes: [{ service: "orders", kind: "changed", from: "1.0.0", to: "1.2.0" }],
    });
    expect(history.entries[2]).toMatchObject({ merge: false, pullRequest: { number: 13 }, changes: [{ service: "payments", from: "2.0.1", to: "2.1.0" }] });
    expect(history.entries[4]!.changes.map((c) => c.kind)).toEqual(["added", "added"]);
    expect(history.entries[1]!.error).toMatch(/Chart\.yaml/);
  });

  it("reads a long history over several bounded updates, ending where one full read ends", async () => {
    const env = environment("shop-bounded");
    // Commit by commit, as an adapter without bulk reads (GitHub) does: the same entries as the bulk read above.
    const { readFilesAtCommits, ...perCommit } = git;
    expect(readFilesAtCommits).toBeDefined();
    const deps = { db: database.db, git: perCommit };
    const first = await updateEnvironmentHistory(deps, env, repo.head(), { maxCommits: 2, batchSize: 2 });
    expect(first).toMatchObject({ commitsRead: 2, complete: false });
    expect((await page(env)).reading).toMatchObject({ state: "reading", commitsRead: 2 });
    const second = await updateEnvironmentHistory(deps, env, repo.head(), { maxCommits: 2, batchSize: 2 });
    expect(second).toMatchObject({ commitsRead: 2, complete: false });
    const third = await updateEnvironmentHistory(deps, env, repo.head(), { maxCommits: 3, batchSize: 2 });
    expect(third).toMatchObject({ commitsRead: 2, complete: true });
    const bounded = await page(env);
    const full = await page(environment("shop"));
    expect(bounded.entries).toEqual(full.entries);
    expect(bounded.reading).toMatchObject({ state: "complete", commitsRead: 6 });
  });

  it("reads nothing further back once the refresh's time budget is spent", async () => {
    const env = environment("shop-late");
    const late = await updateEnvironmentHistory({ db: database.db, git }, env, repo.head(), { deadline: Date.now() - 1 });
    expect(late).toEqual({ commitsRead: 0, entriesAdded: 0, restarted: "first read", complete: false });
    expect(await page(env)).toMatchObject({ total: 0, reading: { state: "reading", commitsRead: 0 } });
    expect(await updateEnvironmentHistory({ db: database.db, git }, env, repo.head())).toMatchObject({ commitsRead: 6, complete: true });
  });

  it("reads only the new commits when the branch moves on", async () => {
    const env = environment("shop");
    expect(await updateEnvironmentHistory({ db: database.db, git }, env, repo.head())).toEqual({ commitsRead: 0, entriesAdded: 0, complete: true });

    shas.upgrade = repo.commitChart([orders("1.3.0"), payments("^2.0.0", "2.1.0")], "Upgrade orders to 1.3.0 (#14)");
    repo.commitFiles({ "README.md": "# stacks, again\n" }, "Docs");
    repo.commitFiles({ "stack/values.yaml": "orders: { replicas: 2 }\n" }, "Scale orders");
    shas.search = repo.mergeBranch("add-search", "Merge change request #3: Add search", () => {
      repo.commitChart([orders("1.3.0"), payments("^2.0.0", "2.1.0"), { name: "search", version: "0.4.0" }], "Add search");
    });

    const result = await updateEnvironmentHistory({ db: database.db, git }, env, repo.head());
    // Three commits touched stack/ since the last read (the upgrade, values, the merge); nothing older was read again.
    expect(result).toEqual({ commitsRead: 3, entriesAdded: 2, complete: true });
    const history = await page(env);
    expect(history.total).toBe(7);
    expect(history.reading).toMatchObject({ commitsRead: 9, headSha: repo.head() });
    expect(history.entries.slice(0, 3).map((e) => e.sha)).toEqual([shas.search, shas.upgrade, shas.fixed]);
    expect(history.entries[0]).toMatchObject({ changeRequest: 3, changes: [{ service: "search", kind: "added", to: "0.4.0" }] });
  });

  it("starts over when the branch's history was rewritten", async () => {
    const env = environment("shop");
    const before = repo.head();
    repo.git("reset", "-q", "--hard", shas.fixed!);
    shas.rewritten = repo.commitChart([orders("1.2.1"), payments("^2.0.0", "2.1.0")], "Hotfix orders 1.2.1 (#15)");
    const result = await updateEnvironmentHistory({ db: database.db, git }, env, repo.head());
    expect(result).toMatchObject({ restarted: "history rewritten", complete: true, entriesAdded: 6, commitsRead: 7 });
    const history = await page(env);
    expect(history.entries.map((e) => e.sha)).not.toContain(shas.upgrade);
    expect(history.entries.map((e) => e.sha)).not.toContain(shas.search);
    expect(history.entries[0]).toMatchObject({ sha: shas.rewritten, changes: [{ service: "orders", from: "1.2.0", to: "1.2.1" }] });
    expect(before).not.toBe(repo.head());
  });

  it("starts over when slipway.yaml points the environment elsewhere", async () => {
    const moved = { ...environment("shop"), branch: "main", path: "./stack" };
    const result = await updateEnvironmentHistory({ db: database.db, git }, moved, repo.head());
    expect(result.restarted).toBe("source changed");
  });

  it("pages newest first, links release requests, and refuses pages out of bounds", async () => {
    const env = environment("shop-bounded");
    const { db } = database;
    const request = (fields: { id: number; provider: string; mergeSha?: string; number?: number; url?: string }) =>
      db.releaseRequest.create({
        data: {
          ...fields,
          kind: "upgrade",
          environment: env.name,
          state: "merged",
          title: `request ${fields.id}`,
          body: "",
          requester: "ben",
          requesterSource: "local",
          idempotencyKey: `history-${fields.id}`,
          repo: "stack",
          baseBranch: "main",
          baseSha: shas.created!,
          branch: `slipway/${fields.id}`,
          files: [],
        },
      });
    await request({ id: 501, provider: "local", mergeSha: shas.squashed });
    await request({ id: 502, provider: "github", number: 12, url: "https://github.example.com/acme/stack/pull/12" });

    const second = await page(env, 2, 2);
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(second.entries.map((e) => e.sha)).toEqual([shas.squashed, shas.merged]);
    expect(second.entries[0]).toMatchObject({ releaseRequest: { id: 501, href: "/releases/501" }, pullRequest: { number: 13 } });
    expect(second.entries[0]!.pullRequest!.url).toBeUndefined();
    expect(second.entries[1]).toMatchObject({
      releaseRequest: { id: 502 },
      pullRequest: { number: 12, url: "https://github.example.com/acme/stack/pull/12" },
    });

    // Past the end shows the last page; an unknown environment has no history yet.
    expect((await page(env, 99, 2)).entries.map((e) => e.sha)).toEqual([shas.created]);
    expect(await page(environment("nowhere"))).toMatchObject({ total: 0, entries: [], reading: { state: "not-started" } });
    await expect(page(env, 0)).rejects.toThrow(ValidationError);
    await expect(page(env, 10_001)).rejects.toThrow(/page must be a whole number from 1 to 10000/);
    await expect(page(env, 1, 500)).rejects.toThrow(/pageSize/);
  });
});
