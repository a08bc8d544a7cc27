import "server-only";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { GitError } from "@/lib/errors";
import type { BranchHead, GitCommit, GitProvider } from "../git-provider";
import { catFileBatch, runGit } from "./run-git";

/**
 * Plain git repositories: a path on this machine (relative to slipway.yaml), or any URL the machine's git can
 * reach (ssh, https, file). Remote repositories are kept as bare mirrors under `cacheDir` and fetched at most once
 * per `fetchTtlMs`, so three environments on branches of one repository cost one fetch per refresh.
 */
export interface LocalGitOptions {
  baseDir: string;
  cacheDir: string;
  fetchTtlMs?: number;
}

const FIELD = "\x1f";
const RECORD = "\x1e";

export function isRemoteRepo(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

export function createLocalGitProvider(options: LocalGitOptions): GitProvider {
  const fetchTtlMs = options.fetchTtlMs ?? 10_000;
  const fetches = new Map<string, { at: number; done: Promise<string> }>();

  function mirrorDir(url: string): string {
    return path.join(options.cacheDir, `${createHash("sha1").update(url).digest("hex").slice(0, 16)}.git`);
  }

  async function syncMirror(url: string): Promise<string> {
    const dir = mirrorDir(url);
    if (!existsSync(dir)) {
      mkdirSync(options.cacheDir, { recursive: true });
      await runGit(["clone", "--mirror", "--quiet", "--", url, dir], { timeoutMs: 300_000 });
    } else {
      await runGit(["fetch", "--prune", "--quiet", "origin"], { cwd: dir, timeoutMs: 300_000 });
    }
    return dir;
  }

  /** The folder git commands run in for `repo`. */
  function gitDir(repo: string): Promise<string> {
    if (!isRemoteRepo(repo)) {
      const dir = path.resolve(options.baseDir, repo);
      if (!existsSync(dir)) return Promise.reject(new GitError(`repository ${repo} not found at ${dir}`));
      return Promise.resolve(dir);
    }
    const recent = fetches.get(repo);
    if (recent && Date.now() - recent.at < fetchTtlMs) return recent.done;
    const done = syncMirror(repo);
    fetches.set(repo, { at: Date.now(), done });
    done.catch(() => fetches.delete(repo));
    return done;
  }

  return {
    kind: "local",

    async branchHead(repo, branch) {
      const dir = await gitDir(repo);
      for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
        const out = await runGit(["log", "-1", `--format=%H${FIELD}%cI`, "--end-of-options", ref, "--"], {
          cwd: dir,
        }).catch(() => undefined);
        if (out?.trim()) {
          const [sha, date] = out.trim().split(FIELD);
          return { sha: sha!, date: new Date(date!) } satisfies BranchHead;
        }
      }
      throw new GitError(`branch ${branch} not found in ${repo}`);
    },

    async readFiles(repo, commitSha, paths) {
      const dir = await gitDir(repo);
      const names = paths.map((p) => `${commitSha}:${p}`);
      const blobs = await catFileBatch(dir, names);
      return new Map(paths.map((p, i) => [p, blobs.get(names[i]!)?.toString("utf8")]));
    },

    async listHistory(repo, ref, { limit = 100, firstParent = false, path: filePath } = {}) {
      const dir = await gitDir(repo);
      const args = ["log", `--format=%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%cI${FIELD}%B${RECORD}`, "--topo-order", "-n", String(limit)];
      if (firstParent) args.push("--first-parent");
      args.push("--end-of-options", ref, "--");
      if (filePath) args.push(filePath);
      const out = await runGit(args, { cwd: dir });
      return out
        .split(RECORD)
        .map((record) => record.replace(/^\n/, ""))
        .filter((record) => record.length > 0)
        .map(parseCommitRecord);
    },

    async listTags(repo) {
      const dir = await gitDir(repo);
      const out = await runGit(["for-each-ref", `--format=%(refname:short)${FIELD}%(objectname)${FIELD}%(*objectname)`, "refs/tags"], {
        cwd: dir,
      });
      const tags = new Map<string, string>();
      for (const line of out.split("\n")) {
        if (!line) continue;
        const [name, object, peeled] = line.split(FIELD);
        tags.set(name!, peeled || object!);
      }
      return tags;
    },
  };
}

function parseCommitRecord(record: string): GitCommit {
  const [sha, parents, authorName, authorEmail, date, ...body] = record.split(FIELD);
  const message = body.join(FIELD).trimEnd();
  return {
    sha: sha!,
    parents: parents ? parents.split(" ") : [],
    authorName: authorName!,
    authorEmail: authorEmail!,
    date: new Date(date!),
    message,
    subject: message.split("\n")[0] ?? "",
  };
}
