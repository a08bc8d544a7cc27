import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentConfigSchema } from "@/lib/config/schema";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { readRecentHistory } from "@/lib/history/read-recent-history";
import { StackRepo } from "./stack-repo";

let root: string;
let repo: StackRepo;
const shas: Record<string, string> = {};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-history-oversized-"));
  repo = new StackRepo(path.join(root, "stack"));
  shas.first = repo.commitChart([{ name: "orders", version: "1.0.0" }], "Add orders");
  // 3 MB of comment: over the 2 MB Slipway reads of any chart file.
  shas.huge = repo.commitFiles({ "stack/Chart.yaml": `apiVersion: v2\nname: stack\nversion: 1.0.0\n# ${"x".repeat(3 * 1024 * 1024)}\n` }, "Paste a log into the chart");
  shas.fixed = repo.commitChart([{ name: "orders", version: "1.1.0" }], "Upgrade orders to 1.1.0");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("history with a chart file over the size limit at one commit", () => {
  it("lists that commit as unreadable, with why, and reads the rest", async () => {
    const git = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const env = environmentConfigSchema.parse({ name: "shop", repo: "stack", branch: "main", path: "stack" });
    const history = await readRecentHistory(git, env, 10);
    expect(history.entries.map((e) => [e.sha, e.kind])).toEqual([
      [shas.fixed, "readable"],
      [shas.huge, "unreadable"],
      [shas.first, "changed"],
    ]);
    expect(history.entries[1]!.error).toMatch(/Chart\.yaml is 3\.0 MB; Slipway reads chart files up to 2 MB/);
  });
});
