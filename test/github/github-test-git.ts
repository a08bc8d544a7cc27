import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Git plumbing for the GitHub test server: the server keeps real bare repositories on disk and answers from them, so
 * what the adapter reads and writes is checked by git itself, not by a fake's bookkeeping.
 */

const gitEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_PAGER: "cat",
  LC_ALL: "C",
  GIT_AUTHOR_NAME: "Test Server",
  GIT_AUTHOR_EMAIL: "server@example.com",
  GIT_COMMITTER_NAME: "Test Server",
  GIT_COMMITTER_EMAIL: "server@example.com",
};

export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitCommandError";
  }
}

export interface GitRunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
}

export function gitBuffer(dir: string, args: string[], options: GitRunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      { cwd: dir, env: options.env ? { ...gitEnv, ...options.env } : gitEnv, encoding: "buffer", maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === "number" ? error.code : null;
          reject(new GitCommandError(`git ${args.join(" ")}: ${stderr.toString().trim()}`, code, stderr.toString()));
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export async function gitText(dir: string, args: string[], options: GitRunOptions = {}): Promise<string> {
  return (await gitBuffer(dir, args, options)).toString("utf8");
}

/** The commit a ref names, or undefined. Refuses option-like refs so a request cannot smuggle git flags. */
export async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
  if (!ref || ref.startsWith("-")) return undefined;
  try {
    return (await gitText(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function objectType(dir: string, sha: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{4,40}$/.test(sha)) return undefined;
  try {
    return (await gitText(dir, ["cat-file", "-t", sha])).trim();
  } catch {
    return undefined;
  }
}

export interface CommitRecord {
  sha: string;
  tree: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committerDate: string;
  message: string;
}

const FIELD = "\x1f";
const RECORD = "\x1e";
const LOG_FORMAT = ["%H", "%T", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join(FIELD) + RECORD;

/** `git log` with extra arguments, parsed. */
export async function logCommits(dir: string, args: string[]): Promise<CommitRecord[]> {
  const out = await gitText(dir, ["log", `--format=${LOG_FORMAT}`, ...args]);
  return out
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [sha, tree, parents, authorName, authorEmail, authorDate, committerName, committerEmail, committerDate, ...message] =
        record.split(FIELD);
      return {
        sha: sha!,
        tree: tree!,
        parents: parents ? parents.split(" ") : [],
        authorName: authorName!,
        authorEmail: authorEmail!,
        authorDate: authorDate!,
        committerName: committerName!,
        committerEmail: committerEmail!,
        committerDate: committerDate!,
        message: message.join(FIELD),
      };
    });
}

export async function readCommit(dir: string, sha: string): Promise<CommitRecord | undefined> {
  if ((await objectType(dir, sha)) !== "commit") return undefined;
  return (await logCommits(dir, ["-1", "--no-walk", sha]))[0];
}

export interface IndexEntry {
  path: string;
  /** 100644, 100755, 120000, 160000; omitted (with sha null) removes the path. */
  mode?: string;
  sha: string | null;
}

/**
 * Writes a tree from `baseTree` plus changes through a throwaway index, which handles nested paths in one step
 * (`git mktree` only builds one directory level at a time). Sub-trees given by sha are grafted with --prefix.
 */
export async function writeTree(
  dir: string,
  baseTree: string | undefined,
  entries: IndexEntry[],
  subtrees: { path: string; sha: string }[] = [],
): Promise<string> {
  const scratch = mkdtempSync(path.join(tmpdir(), "github-test-index-"));
  const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
  try {
    await gitText(dir, baseTree ? ["read-tree", baseTree] : ["read-tree", "--empty"], { env });
    const removals = new Set<string>();
    for (const subtree of subtrees) {
      const under = await gitText(dir, ["ls-files", "-z", "--", `${subtree.path}/`], { env });
      for (const file of under.split("\0").filter(Boolean)) removals.add(file);
    }
    const lines = [
      ...[...removals].map((file) => `0 ${"0".repeat(40)}\t${file}`),
      ...entries.map((entry) =>
        entry.sha === null ? `0 ${"0".repeat(40)}\t${entry.path}` : `${entry.mode ?? "100644"} ${entry.sha}\t${entry.path}`,
      ),
    ];
    if (lines.length > 0) await gitText(dir, ["update-index", "--index-info"], { env, input: lines.join("\n") + "\n" });
    for (const subtree of subtrees) await gitText(dir, ["read-tree", `--prefix=${subtree.path}/`, subtree.sha], { env });
    return (await gitText(dir, ["write-tree"], { env })).trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface Identity {
  name: string;
  email: string;
  /** ISO date or git date string; now when omitted. */
  date?: string;
}

export async function commitTree(
  dir: string,
  tree: string,
  parents: string[],
  message: string,
  author: Identity,
  committer: Identity = author,
): Promise<string> {
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
  if (author.date) env.GIT_AUTHOR_DATE = author.date;
  if (committer.date) env.GIT_COMMITTER_DATE = committer.date;
  const args = ["commit-tree", tree, ...parents.flatMap((parent) => ["-p", parent]), "-F", "-"];
  return (await gitText(dir, args, { env, input: message })).trim();
}

/** Moves `ref` to `sha` only if it still points at `expected` (all zeros: only if it does not exist yet). */
export async function updateRef(dir: string, ref: string, sha: string, expected?: string): Promise<void> {
  await gitText(dir, ["update-ref", ref, sha, ...(expected !== undefined ? [expected] : [])]);
}

export const ZERO_SHA = "0".repeat(40);
