import "server-only";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeOversizedYamlFile, MAX_YAML_FILE_BYTES } from "@/lib/charts/parse-yaml-file";
import { GitError } from "@/lib/errors";
import type { BranchHead, GitCommit, GitProvider, NewBranchCommit } from "../git-provider";
import { createBranchHeadMemory } from "./branch-head-memory";
import { catFileBatch, gitFailure, runGit } from "./run-git";

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

/** Commits read per `git cat-file` pair by readFilesAtCommits. */
const COMMITS_PER_CAT_FILE = 25;

const FIELD = "\x1f";
const RECORD = "\x1e";

export function isRemoteRepo(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

export interface MergeInput {
  /** Branch merged into (the environment branch). */
  into: string;
  /** Branch with the change (named in messages). */
  from: string;
  /** The exact commit merged: the one that was reviewed, never whatever the branch points at by now. */
  fromSha: string;
  message: string;
  author: { name: string; email: string };
}

/** Plain git has no pull requests: Slipway merges approved change requests itself. */
export interface LocalGitProvider extends GitProvider {
  mergeBranch(repo: string, input: MergeInput): Promise<{ sha: string }>;
  /** Many commits per `git cat-file` pair. */
  readFilesAtCommits: NonNullable<GitProvider["readFilesAtCommits"]>;
  /** Paths that differ between two commits (`git diff --name-only base head`). */
  changedFiles(repo: string, base: string, head: string): Promise<string[]>;
}

export function createLocalGitProvider(options: LocalGitOptions): LocalGitProvider {
  const fetchTtlMs = options.fetchTtlMs ?? 10_000;
  const fetches = new Map<string, { at: number; done: Promise<string> }>();
  // A refresh asks for every environment's head; those whose refs did not change cost no git process.
  const heads = createBranchHeadMemory();

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
      const refs = [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`];
      const known = await heads.recall(dir, refs);
      if (known.head) return known.head;
      for (const ref of refs) {
        const out = await runGit(["log", "-1", `--format=%H${FIELD}%cI`, "--end-of-options", ref, "--"], {
          cwd: dir,
        }).catch(() => undefined);
        if (out?.trim()) {
          const [sha, date] = out.trim().split(FIELD);
          const head = { sha: sha!, date: new Date(date!) } satisfies BranchHead;
          known.remember(head);
          return head;
        }
      }
      throw new GitError(`branch ${branch} not found in ${repo}`);
    },

    async readFiles(repo, commitSha, paths) {
      const dir = await gitDir(repo);
      const names = paths.map((p) => `${commitSha}:${p}`);
      const blobs = await catFileBatch(dir, names, MAX_YAML_FILE_BYTES);
      return new Map(
        paths.map((p, i): [string, string | undefined] => {
          const blob = blobs.get(names[i]!);
          // Refused unread; the environment shows which file and the limit, other environments read on.
          if (blob?.kind === "too-large") throw new GitError(describeOversizedYamlFile(p, blob.size));
          return [p, blob?.kind === "blob" ? blob.content.toString("utf8") : undefined];
        }),
      );
    },

    async readFilesAtCommits(repo, commitShas, paths) {
      const dir = await gitDir(repo);
      const result = new Map<string, Map<string, string | undefined>>();
      // A few commits per `git cat-file` pair: far fewer processes than one pair per commit, while what one pair may
      // hold in memory stays bounded (each blob is at most MAX_YAML_FILE_BYTES).
      for (let start = 0; start < commitShas.length; start += COMMITS_PER_CAT_FILE) {
        const chunk = commitShas.slice(start, start + COMMITS_PER_CAT_FILE);
        const names = chunk.flatMap((sha) => paths.map((p) => `${sha}:${p}`));
        const blobs = await catFileBatch(dir, names, MAX_YAML_FILE_BYTES);
        for (const sha of chunk) {
          result.set(
            sha,
            new Map(
              paths.map((p): [string, string | undefined] => {
                const blob = blobs.get(`${sha}:${p}`);
                if (blob?.kind === "too-large") throw new GitError(describeOversizedYamlFile(p, blob.size));
                return [p, blob?.kind === "blob" ? blob.content.toString("utf8") : undefined];
              }),
            ),
          );
        }
      }
      return result;
    },

    async listHistory(repo, ref, { limit = 100, firstParent = false, path: filePath } = {}) {
      const dir = await gitDir(repo);
      const args = ["log", `--format=${LOG_FORMAT}`, "--topo-order", "-n", String(limit)];
      if (firstParent) args.push("--first-parent");
      args.push("--end-of-options", ref, "--");
      if (filePath) args.push(filePath);
      return parseLog(await runGit(args, { cwd: dir }));
    },

    async listCommitsBetween(repo, base, head, { limit = 1000 } = {}) {
      const dir = await gitDir(repo);
      const out = await runGit(
        ["log", `--format=${LOG_FORMAT}`, "--topo-order", "-n", String(limit), "--end-of-options", `${base}..${head}`, "--"],
        { cwd: dir },
      );
      return parseLog(out);
    },

    async createBranchWithCommit(repo, commit) {
      const dir = await gitDir(repo);
      await runGit(["check-ref-format", "--branch", commit.branch], { cwd: dir }).catch(() => {
        throw new GitError(`"${commit.branch}" is not a valid branch name`);
      });
      const sha = await writeCommit(dir, commit);
      // Creating the ref with an all-zero old value fails if the branch exists: no silent overwrite, even in a race.
      await runGit(["update-ref", `refs/heads/${commit.branch}`, sha, "0".repeat(40)], { cwd: dir }).catch(() => {
        throw new GitError(`branch ${commit.branch} already exists in ${repo}`);
      });
      if (isRemoteRepo(repo)) {
        // Pushed to the URL, not "origin": a mirror's origin refuses refspecs.
        await runGit(["push", "--quiet", "--end-of-options", repo, `refs/heads/${commit.branch}:refs/heads/${commit.branch}`], {
          cwd: dir,
          timeoutMs: 300_000,
        });
      }
      return { sha };
    },

    async createTag(repo, name, sha) {
      const dir = await gitDir(repo);
      await runGit(["check-ref-format", `refs/tags/${name}`], { cwd: dir }).catch(() => {
        throw new GitError(`"${name}" is not a valid tag name`);
      });
      // An all-zero old value: creating never moves an existing tag, even in a race.
      await runGit(["update-ref", `refs/tags/${name}`, sha, "0".repeat(40)], { cwd: dir }).catch(() => {
        throw new GitError(`tag ${name} already exists in ${repo}`);
      });
      if (isRemoteRepo(repo)) {
        await runGit(["push", "--quiet", "--end-of-options", repo, `refs/tags/${name}:refs/tags/${name}`], { cwd: dir, timeoutMs: 300_000 });
      }
    },

    async advanceBranch(repo, branch, sha) {
      const dir = await gitDir(repo);
      await runGit(["check-ref-format", "--branch", branch], { cwd: dir }).catch(() => {
        throw new GitError(`"${branch}" is not a valid branch name`);
      });
      const current = (await runGit(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], { cwd: dir }).catch(() => "")).trim();
      if (current === sha) return "unchanged";
      if (current) {
        await runGit(["merge-base", "--is-ancestor", current, sha], { cwd: dir }).catch(() => {
          throw new GitError(`${branch} in ${repo} has commits ${sha.slice(0, 10)} does not: not a fast-forward, so it is left as it is (merge it by hand)`);
        });
      }
      // A plain push: git itself refuses anything but a fast-forward, even if the branch moved meanwhile.
      const target = isRemoteRepo(repo) ? repo : `file://${dir}`;
      await runGit(["push", "--quiet", "--end-of-options", target, `${sha}:refs/heads/${branch}`], { cwd: dir, timeoutMs: 300_000 }).catch(
        (error: GitError) => {
          throw new GitError(`${branch} in ${repo} could not be moved to ${sha.slice(0, 10)}: ${error.message}`);
        },
      );
      if (isRemoteRepo(repo)) fetches.delete(repo);
      return current ? "fast-forwarded" : "created";
    },

    async mergeBranch(repo, input) {
      const dir = await gitDir(repo);
      const into = await this.branchHead(repo, input.into);
      if (!/^[0-9a-f]{40}$/.test(input.fromSha)) throw new GitError(`"${input.fromSha}" is not a commit id`);
      const from = { sha: input.fromSha };
      // merge-tree --write-tree merges without a work tree; a conflict exits non-zero and lists the paths.
      const tree = await runGit(["merge-tree", "--write-tree", "--name-only", "--no-messages", into.sha, from.sha], { cwd: dir }).catch(
        (error: GitError) => {
          throw new GitError(`${input.from} no longer merges cleanly into ${input.into}: ${error.message}`);
        },
      );
      const env = {
        GIT_AUTHOR_NAME: input.author.name,
        GIT_AUTHOR_EMAIL: input.author.email,
        GIT_COMMITTER_NAME: input.author.name,
        GIT_COMMITTER_EMAIL: input.author.email,
      };
      const sha = (
        await runGit(["commit-tree", tree.trim().split("\n")[0]!, "-p", into.sha, "-p", from.sha, "-F", "-"], { cwd: dir, env, input: input.message })
      ).trim();
      // Pushed like any client would, so a checked-out stack repository updates its work tree (updateInstead) and a
      // branch that moved meanwhile is refused rather than overwritten.
      const target = isRemoteRepo(repo) ? repo : `file://${dir}`;
      await runGit(["push", "--quiet", `--force-with-lease=refs/heads/${input.into}:${into.sha}`, "--end-of-options", target, `${sha}:refs/heads/${input.into}`], {
        cwd: dir,
        timeoutMs: 300_000,
      }).catch((error: GitError) => {
        throw new GitError(`${input.into} could not be updated: ${error.message}`);
      });
      if (isRemoteRepo(repo)) fetches.delete(repo);
      return { sha };
    },

    async mergeBase(repo, a, b) {
      const dir = await gitDir(repo);
      // Exit 1 with no output: no common ancestor. Anything else (an unknown commit) is an error worth seeing.
      const out = await runGit(["merge-base", "--end-of-options", a, b], { cwd: dir }).catch((error: GitError) => {
        if (gitFailure(error).exitCode === 1) return "";
        throw error;
      });
      return out.trim() || undefined;
    },

    async changedFiles(repo, base, head) {
      const dir = await gitDir(repo);
      const out = await runGit(["diff", "--name-only", "-z", "--no-renames", "--end-of-options", base, head, "--"], { cwd: dir });
      return out.split("\0").filter(Boolean);
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

/**
 * One commit on top of `baseSha` from plumbing: a throwaway index seeded with the base tree, so neither a work tree
 * nor the repository's own index is touched (the repository may be checked out by someone else).
 */
async function writeCommit(dir: string, commit: NewBranchCommit): Promise<string> {
  const scratch = mkdtempSync(path.join(tmpdir(), "slipway-index-"));
  const env = {
    GIT_INDEX_FILE: path.join(scratch, "index"),
    GIT_AUTHOR_NAME: commit.author.name,
    GIT_AUTHOR_EMAIL: commit.author.email,
    GIT_COMMITTER_NAME: commit.author.name,
    GIT_COMMITTER_EMAIL: commit.author.email,
  };
  try {
    const parents = ["-p", commit.baseSha];
    if (commit.mergeOf) {
      if (commit.files.length > 0) throw new GitError("a merge commit carries what it merges: give no files with mergeOf");
      await runGit(["read-tree", await mergeTree(dir, commit.baseSha, commit.mergeOf)], { cwd: dir, env });
      parents.push("-p", commit.mergeOf);
    } else {
      await runGit(["read-tree", commit.baseSha], { cwd: dir, env });
    }
    for (const file of commit.files) {
      const blob = (await runGit(["hash-object", "-w", "--stdin"], { cwd: dir, env, input: file.content })).trim();
      const existing = await runGit(["ls-files", "-s", "--", file.path], { cwd: dir, env });
      const mode = existing.split(" ")[0] || "100644";
      await runGit(["update-index", "--add", "--cacheinfo", `${mode},${blob},${file.path}`], { cwd: dir, env });
    }
    const tree = (await runGit(["write-tree"], { cwd: dir, env })).trim();
    return (await runGit(["commit-tree", tree, ...parents, "-F", "-"], { cwd: dir, env, input: commit.message })).trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Git's own three-way merge of two commits, without a work tree: the merged tree's id, or a GitError naming the
 * conflicting paths (merge-tree exits 1 and lists them after the tree id).
 */
async function mergeTree(dir: string, ours: string, theirs: string): Promise<string> {
  for (const sha of [ours, theirs]) {
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new GitError(`"${sha.slice(0, 80)}" is not a commit id`);
  }
  try {
    return (await runGit(["merge-tree", "--write-tree", "--name-only", "--no-messages", ours, theirs], { cwd: dir })).trim().split("\n")[0]!;
  } catch (error) {
    const { exitCode, stdout } = gitFailure(error);
    if (exitCode !== 1) throw error;
    const paths = stdout.trim().split("\n").slice(1).filter(Boolean);
    throw new GitError(
      `${theirs.slice(0, 10)} does not merge cleanly into ${ours.slice(0, 10)}${paths.length ? `: conflicts in ${paths.slice(0, 10).join(", ")}` : ""}`,
    );
  }
}

const LOG_FORMAT = `%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%cI${FIELD}%B${RECORD}`;

function parseLog(out: string): GitCommit[] {
  return out
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.length > 0)
    .map(parseCommitRecord);
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
