import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, GitError } from "@/lib/errors";
import type { GitProvider } from "@/lib/git/git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { buildChangelog, tagName } from "./build-changelog";

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "Dana Dev",
  GIT_AUTHOR_EMAIL: "dana@example.com",
  GIT_COMMITTER_NAME: "Dana Dev",
  GIT_COMMITTER_EMAIL: "dana@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
};

let root: string;
let repo: string;
let git: GitProvider;
/** Commit shas by subject. */
const sha: Record<string, string> = {};

function run(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, env }).toString().trim();
}

let clock = Date.parse("2026-01-05T10:00:00Z");
function commit(message: string): void {
  writeFileSync(path.join(repo, "CHANGES"), `${message}\n`, { flag: "a" });
  run("add", ".");
  // Distinct, increasing dates so the log order is the commit order.
  clock += 3_600_000;
  const date = new Date(clock).toISOString();
  execFileSync("git", ["commit", "-q", "-m", message], {
    cwd: repo,
    env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
  sha[message.split("\n")[0]!] = run("rev-parse", "HEAD");
}

function release(version: string): void {
  run("tag", "-a", `v${version}`, "-m", `release ${version}`);
  run("tag", `release-${version}`);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "slipway-changelog-"));
  repo = path.join(root, "payments");
  execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", repo], { env });
  commit("Initial commit");
  release("1.0.0");
  commit("PAY-1: add payment intents");
  commit("[PAY-2] fix rounding of totals");
  commit("feat(api): support refunds (PAY-3)");
  commit("chore: bump dependencies");
  release("1.1.0");
  commit("PAY-4 PAY-5 split the ledger");
  commit("Handle UTF-8 in receipts\n\nFixes PAY-3");
  commit("OPS-7: rotate the webhook secret");
  release("1.2.0");
  git = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("buildChangelog against a local git repository", () => {
  it("lists an upgrade's commits newest first, with their tickets grouped", async () => {
    const changelog = await buildChangelog({
      git,
      repo: "payments",
      tagPattern: "v{version}",
      from: "1.0.0",
      to: "1.2.0",
      jiraProject: "PAY",
      jiraBaseUrl: "https://acme.atlassian.net/",
      commitUrl: (commitSha) => `https://git.example.com/payments/commit/${commitSha}`,
    });

    expect(changelog).toMatchObject({
      from: "1.0.0",
      to: "1.2.0",
      fromTag: "v1.0.0",
      toTag: "v1.2.0",
      direction: "upgrade",
      effect: "added",
      truncated: false,
    });
    expect(changelog.missing).toBeUndefined();
    expect(changelog.commits.map((c) => c.subject)).toEqual([
      "OPS-7: rotate the webhook secret",
      "Handle UTF-8 in receipts",
      "PAY-4 PAY-5 split the ledger",
      "chore: bump dependencies",
      "feat(api): support refunds (PAY-3)",
      "[PAY-2] fix rounding of totals",
      "PAY-1: add payment intents",
    ]);
    const refunds = changelog.commits[4]!;
    expect(refunds).toEqual({
      sha: sha["feat(api): support refunds (PAY-3)"],
      subject: "feat(api): support refunds (PAY-3)",
      author: "Dana Dev",
      date: new Date("2026-01-05T14:00:00Z"),
      url: `https://git.example.com/payments/commit/${sha["feat(api): support refunds (PAY-3)"]}`,
      jiraKeys: ["PAY-3"],
    });
    // The body's "Fixes PAY-3" counts; OPS-7 is another project; UTF-8 is not a ticket.
    expect(changelog.commits[1]!.jiraKeys).toEqual(["PAY-3"]);
    expect(changelog.commits[0]!.jiraKeys).toEqual([]);

    expect(changelog.tickets).toEqual([
      { key: "PAY-3", url: "https://acme.atlassian.net/browse/PAY-3", commits: [sha["Handle UTF-8 in receipts"], sha["feat(api): support refunds (PAY-3)"]] },
      { key: "PAY-4", url: "https://acme.atlassian.net/browse/PAY-4", commits: [sha["PAY-4 PAY-5 split the ledger"]] },
      { key: "PAY-5", url: "https://acme.atlassian.net/browse/PAY-5", commits: [sha["PAY-4 PAY-5 split the ledger"]] },
      { key: "PAY-2", url: "https://acme.atlassian.net/browse/PAY-2", commits: [sha["[PAY-2] fix rounding of totals"]] },
      { key: "PAY-1", url: "https://acme.atlassian.net/browse/PAY-1", commits: [sha["PAY-1: add payment intents"]] },
    ]);
    expect(changelog.unticketed).toEqual([sha["OPS-7: rotate the webhook secret"], sha["chore: bump dependencies"]]);
  });

  it("lists a downgrade's commits as the ones that will be removed", async () => {
    const changelog = await buildChangelog({ git, repo: "payments", tagPattern: "v{version}", from: "1.2.0", to: "1.1.0" });
    expect(changelog).toMatchObject({ direction: "downgrade", effect: "removed", fromTag: "v1.2.0", toTag: "v1.1.0" });
    expect(changelog.commits.map((c) => c.subject)).toEqual([
      "OPS-7: rotate the webhook secret",
      "Handle UTF-8 in receipts",
      "PAY-4 PAY-5 split the ledger",
    ]);
    // Without a project, every key-shaped token counts: OPS-7 too. No URLs without a base URL or commit links.
    expect(changelog.tickets.map((t) => t.key)).toEqual(["OPS-7", "PAY-3", "PAY-4", "PAY-5"]);
    expect(changelog.tickets[0]).toEqual({ key: "OPS-7", commits: [sha["OPS-7: rotate the webhook secret"]] });
    expect(changelog.commits[0]).not.toHaveProperty("url");
    expect(changelog.unticketed).toEqual([]);
  });

  it("falls back to no commits when a tag is missing, and says which", async () => {
    const changelog = await buildChangelog({ git, repo: "payments", tagPattern: "v{version}", from: "1.2.0", to: "1.3.0" });
    expect(changelog).toMatchObject({
      direction: "upgrade",
      commits: [],
      tickets: [],
      unticketed: [],
      truncated: false,
      missing: [{ tag: "v1.3.0", reason: "tag v1.3.0 not found in payments" }],
      fallback: "tag v1.3.0 not found in payments; showing no commits",
    });

    const both = await buildChangelog({ git, repo: "payments", tagPattern: "app-{version}", from: "1.0.0", to: "1.1.0" });
    expect(both.missing?.map((m) => m.tag)).toEqual(["app-1.0.0", "app-1.1.0"]);
    expect(both.fallback).toBe("tag app-1.0.0 and tag app-1.1.0 not found in payments; showing no commits");
  });

  it("names tags by the service's pattern (lightweight release-{version} tags)", async () => {
    const changelog = await buildChangelog({
      git,
      repo: "payments",
      tagPattern: "release-{version}",
      from: "1.0.0",
      to: "1.1.0",
      jiraProject: "PAY",
    });
    expect(changelog).toMatchObject({ fromTag: "release-1.0.0", toTag: "release-1.1.0", direction: "upgrade" });
    expect(changelog.commits.map((c) => c.jiraKeys)).toEqual([[], ["PAY-3"], ["PAY-2"], ["PAY-1"]]);
    expect(changelog.unticketed).toEqual([sha["chore: bump dependencies"]]);
  });

  it("lists nothing for the same version, without asking git", async () => {
    const refusing = { ...git, listTags: () => Promise.reject(new Error("must not be called")) } satisfies GitProvider;
    const changelog = await buildChangelog({ git: refusing, repo: "payments", tagPattern: "v{version}", from: "1.1.0", to: "1.1.0" });
    expect(changelog).toMatchObject({ direction: "same", effect: "none", commits: [], tickets: [], truncated: false });
  });

  it("stops at the limit and says the list is truncated", async () => {
    const changelog = await buildChangelog({ git, repo: "payments", tagPattern: "v{version}", from: "1.0.0", to: "1.2.0", limit: 3 });
    expect(changelog.truncated).toBe(true);
    expect(changelog.commits).toHaveLength(3);
    const exact = await buildChangelog({ git, repo: "payments", tagPattern: "v{version}", from: "1.0.0", to: "1.1.0", limit: 4 });
    expect(exact.truncated).toBe(false);
    expect(exact.commits).toHaveLength(4);
  });

  it("lets a repository that cannot be read fail with the git provider's error", async () => {
    await expect(
      buildChangelog({ git, repo: "no-such-repo", tagPattern: "v{version}", from: "1.0.0", to: "1.1.0" }),
    ).rejects.toBeInstanceOf(GitError);
  });
});

describe("buildChangelog picks tickets by the service's Jira project", () => {
  beforeAll(() => {
    const platform = path.join(root, "platform");
    const inPlatform = (...args: string[]) => execFileSync("git", args, { cwd: platform, env });
    execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", platform], { env });
    inPlatform("commit", "-q", "--allow-empty", "-m", "Initial commit");
    inPlatform("tag", "v1.0.0");
    inPlatform("commit", "-q", "--allow-empty", "-m", "PLAT-1: build on JDK-17\n\nKafka in KIP-500 mode, see OPS-2");
    inPlatform("commit", "-q", "--allow-empty", "-m", "Parse SQL-92 joins");
    inPlatform("tag", "v1.1.0");
  });

  it.each<[string, string | undefined, Record<string, string[]>]>([
    ["no jiraProject: any project's keys, not standards", undefined, { "PLAT-1: build on JDK-17": ["PLAT-1", "OPS-2"], "Parse SQL-92 joins": [] }],
    ["jiraProject PLAT: only its keys", "PLAT", { "PLAT-1: build on JDK-17": ["PLAT-1"], "Parse SQL-92 joins": [] }],
  ])("%s", async (_case, jiraProject, keysBySubject) => {
    const changelog = await buildChangelog({ git, repo: "platform", tagPattern: "v{version}", from: "1.0.0", to: "1.1.0", jiraProject });
    expect(Object.fromEntries(changelog.commits.map((c) => [c.subject, c.jiraKeys]))).toEqual(keysBySubject);
  });
});

describe("tagName", () => {
  it("puts the version into the pattern", () => {
    expect(tagName("v{version}", "1.2.3")).toBe("v1.2.3");
    expect(tagName("payments/{version}", "2.0.0-rc.1")).toBe("payments/2.0.0-rc.1");
  });

  it("refuses a pattern without {version}", () => {
    expect(() => tagName("latest", "1.2.3")).toThrow(ConfigError);
  });
});
