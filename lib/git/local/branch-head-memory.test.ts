import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitProcessesCounter } from "@/lib/metrics/git-process-metrics";
import { StackRepo } from "@/test/history/stack-repo";
import { createLocalGitProvider } from "./local-git-provider";

let root: string;
let stack: StackRepo;
const git = (...args: string[]) => stack.git(...args).trim();
const commit = (message: string) => stack.commitFiles({ "values.yaml": `# ${message}\n` }, message);

async function gitProcesses(): Promise<number> {
  const { values } = await gitProcessesCounter().get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

/** The head, and how many git processes reading it started. */
async function headOf(provider: ReturnType<typeof createLocalGitProvider>, branch: string) {
  const before = await gitProcesses();
  const head = await provider.branchHead("stack", branch);
  return { sha: head.sha, date: head.date, processes: (await gitProcesses()) - before };
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "slipway-heads-"));
  stack = new StackRepo(path.join(root, "stack"));
  commit("first");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("branch heads without a git process when the refs did not change", () => {
  it("answers an unchanged branch from memory, and sees a commit, a reset and a packed ref move it", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    const first = await headOf(provider, "main");
    expect(first.sha).toBe(git("rev-parse", "main"));
    expect(first.processes).toBeGreaterThan(0);

    const again = await headOf(provider, "main");
    expect(again).toEqual({ sha: first.sha, date: first.date, processes: 0 });

    const second = commit("second");
    expect(await headOf(provider, "main")).toMatchObject({ sha: second, processes: 1 });
    expect((await headOf(provider, "main")).processes).toBe(0);

    // Back to the first commit: a loose ref rewritten, same size as before.
    git("update-ref", "refs/heads/main", first.sha);
    expect(await headOf(provider, "main")).toMatchObject({ sha: first.sha, processes: 1 });

    // Packed: the loose file goes, packed-refs holds the ref; then moved within packed-refs alone.
    git("pack-refs", "--all");
    expect((await headOf(provider, "main")).sha).toBe(first.sha);
    expect((await headOf(provider, "main")).processes).toBe(0);
    git("update-ref", "--no-deref", "refs/heads/main", second);
    git("pack-refs", "--all");
    expect(await headOf(provider, "main")).toMatchObject({ sha: second, processes: 1 });
  });

  it("always asks git for a symbolic ref, whose target moves without its own file changing", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    git("symbolic-ref", "refs/heads/alias", "refs/heads/main");
    await headOf(provider, "alias");
    expect((await headOf(provider, "alias")).processes).toBeGreaterThan(0);
    const moved = commit("moved");
    expect((await headOf(provider, "alias")).sha).toBe(moved);
  });

  it("never reads a ref file larger than a ref whole, and leaves such a branch to git", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    writeFileSync(path.join(stack.dir, ".git", "refs", "heads", "huge"), `${git("rev-parse", "main")}\n${"x".repeat(1_000_000)}`);
    // git itself reads the id at the start and ignores the rest: what git says goes, every time.
    for (let i = 0; i < 2; i++) {
      const head = await headOf(provider, "huge");
      expect(head.sha).toBe(git("rev-parse", "main"));
      expect(head.processes).toBeGreaterThan(0);
    }
  });

  it("reads a branch of a worktree's repository from the main repository's refs", async () => {
    const provider = createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") });
    git("branch", "release");
    git("worktree", "add", "-q", path.join(root, "linked"), "release");
    const linked = async () => (await provider.branchHead("linked", "main")).sha;
    expect(await linked()).toBe(git("rev-parse", "main"));
    const moved = commit("moved");
    expect(await linked()).toBe(moved);
  });
});
