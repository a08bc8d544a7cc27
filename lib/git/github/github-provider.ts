import "server-only";
import pLimit from "p-limit";
import { describeOversizedYamlFile, MAX_YAML_FILE_BYTES } from "@/lib/charts/parse-yaml-file";
import { GitError } from "@/lib/errors";
import type { BranchHead, GitCommit, GitProvider, NewBranchCommit } from "../git-provider";
import { createBranchPrefetch, normalizeFilePath, type BranchPrefetchOptions } from "./branch-prefetch";
import { chainTouchingPath, chainUntil, firstParentsFromWindow, walkFirstParents } from "./first-parent-history";
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from "./github-client";
import { gitHubMessage, hasStatus, isGitHubRequestError, toGitError, type ErrorContext } from "./github-errors";
import { createPullRequests, type GitHubPullRequests, type MergeablePolling } from "./github-pull-requests";

export type { GitHubAuth, GitHubClientOptions, GitHubRetryOptions, GitHubThrottleOptions } from "./github-client";
export type {
  GitHubPullRequests,
  MergeablePolling,
  OpenedPullRequest,
  OpenPullRequestRequest,
  PullRequestDetails,
  PullRequestReviewers,
  PullRequestState,
  PullRequestSummary,
} from "./github-pull-requests";

export interface GitHubProviderOptions extends GitHubClientOptions, BranchPrefetchOptions {
  /** How getPullRequest waits for GitHub to compute mergeability when asked to; tests shrink the delays. */
  mergeablePolling?: MergeablePolling;
}

/** REST "commit" items, reduced to what the domain reads. */
interface CommitPayload {
  sha: string;
  commit: {
    message: string;
    author: { name?: string; email?: string; date?: string } | null;
    committer: { name?: string; email?: string; date?: string } | null;
  };
  parents: { sha: string }[];
}

function toGitCommit(item: CommitPayload): GitCommit {
  const message = item.commit.message.trimEnd();
  return {
    sha: item.sha,
    subject: message.split("\n")[0] ?? "",
    message,
    authorName: item.commit.author?.name ?? "",
    authorEmail: item.commit.author?.email ?? "",
    // The committer date, like the local adapter (%cI): when the commit landed, not when it was first written.
    date: new Date(item.commit.committer?.date ?? item.commit.author?.date ?? 0),
    parents: item.parents.map((parent) => parent.sha),
  };
}

/** `owner/name` (a trailing .git tolerated) → Octokit's owner and repo. */
function parseRepo(repo: string): { owner: string; repo: string } {
  const match = /^([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(repo.trim());
  if (!match) throw new GitError(`"${repo}" is not a GitHub repository: use owner/name`);
  return { owner: match[1]!, repo: match[2]! };
}

/** Largest page GitHub serves. */
const PAGE = 100;
/** How far listHistory scans for first-parent history before settling for what it found. */
const MAX_SCANNED_COMMITS = 5000;

/**
 * GitHub (github.com or GitHub Enterprise Server) through its REST API. Repositories are `owner/name`. Reads are
 * conditional (ETag) so unchanged data costs no rate limit; writes go through the Git Data API so a change is one
 * commit however many files it touches. Pull requests are the GitHubPullRequests half.
 */
export function createGitHubProvider(options: GitHubProviderOptions): GitProvider & GitHubPullRequests {
  const octokit: GitHubClient = createGitHubClient(options);
  const baseUrl = options.baseUrl ?? "https://api.github.com";
  const auth = "token" in options.auth ? "token" : "app";
  const fail = (error: unknown, context: Omit<ErrorContext, "auth" | "baseUrl">) => toGitError(error, { ...context, auth, baseUrl });

  /** GET a branch (conditional: the client answers a 304 from the response it remembers). */
  async function readBranchHead(owner: string, name: string, branch: string): Promise<BranchHead> {
    const { data } = await octokit.rest.repos.getBranch({ owner, repo: name, branch });
    return { sha: data.commit.sha, date: new Date(data.commit.commit.committer?.date ?? data.commit.commit.author?.date ?? 0) };
  }
  const prefetcher = createBranchPrefetch(octokit, readBranchHead, options);

  /** Pages of "list commits" from `ref`, `PAGE` at a time. */
  function commitPages(owner: string, name: string, ref: string, path?: string, perPage = PAGE) {
    return octokit.paginate.iterator(octokit.rest.repos.listCommits, {
      owner,
      repo: name,
      sha: ref,
      per_page: perPage,
      ...(path ? { path } : {}),
    });
  }

  async function firstParentHistory(repo: string, ref: string, limit: number, path?: string, until?: string): Promise<GitCommit[]> {
    const { owner, repo: name } = parseRepo(repo);
    // A refresh's prefetch read the newest commits from this head by GraphQL: often they answer without a request.
    const window = prefetcher.historyWindow(owner, name, ref, path);
    const fromWindow = window && firstParentsFromWindow(window, ref, limit, until);
    if (fromWindow) return fromWindow;
    const commits = new Map<string, GitCommit>();
    let head: string | undefined;
    const touching = new Set<string>();
    const pathPages = path ? commitPages(owner, name, ref, path)[Symbol.asyncIterator]() : undefined;
    let pathExhausted = !path;
    let oldestTouchingDate = Number.POSITIVE_INFINITY;

    for await (const page of commitPages(owner, name, ref)) {
      for (const item of page.data) {
        const commit = toGitCommit(item);
        head ??= commit.sha;
        commits.set(commit.sha, commit);
      }
      if (!head) return [];
      if (!path) {
        const { chain, needsMore } = walkFirstParents(commits, head, limit);
        if (!needsMore || commits.size >= MAX_SCANNED_COMMITS) return chain;
        const reached = chainUntil(chain, until);
        if (reached) return reached;
        continue;
      }
      // Keep the path listing at least as deep (by date) as the window before attributing.
      const oldestInWindow = Math.min(...page.data.map((item) => toGitCommit(item).date.getTime()));
      while (!pathExhausted && oldestTouchingDate >= oldestInWindow) {
        const next = await pathPages!.next();
        if (next.done || next.value.data.length === 0) {
          pathExhausted = true;
          break;
        }
        for (const item of next.value.data) {
          touching.add(item.sha);
          oldestTouchingDate = Math.min(oldestTouchingDate, toGitCommit(item).date.getTime());
        }
      }
      const { chain } = walkFirstParents(commits, head, Number.POSITIVE_INFINITY);
      const kept = chainTouchingPath(chain, commits, touching);
      if (kept.length > limit || commits.size >= MAX_SCANNED_COMMITS) return kept.slice(0, limit);
      const reached = chainUntil(kept.slice(0, limit), until);
      if (reached) return reached;
    }
    if (!head) return [];
    const { chain } = walkFirstParents(commits, head, Number.POSITIVE_INFINITY);
    return (path ? chainTouchingPath(chain, commits, touching) : chain).slice(0, limit);
  }

  return {
    kind: "github",

    async branchHead(repo, branch) {
      const { owner, repo: name } = parseRepo(repo);
      // A refresh's prefetch read this head moments ago: it answers once, later callers read fresh.
      const prefetched = prefetcher.takeHead(owner, name, branch);
      if (prefetched) return prefetched;
      try {
        const head = await readBranchHead(owner, name, branch);
        prefetcher.remember(owner, name, branch, head);
        return head;
      } catch (error) {
        prefetcher.forget(owner, name, branch);
        if (hasStatus(error, 404) && /branch not found/i.test(gitHubMessage(error))) {
          throw new GitError(`branch ${branch} not found in ${repo}`, { cause: error });
        }
        throw fail(error, { action: `reading branch ${branch} of ${repo}`, repo });
      }
    },

    prefetchBranches: (branches) => prefetcher.prefetch(branches),

    // Files a prefetch read at this commit come from memory; the rest, one contents request per file (conditional,
    // so a re-read of an unchanged commit is free).
    async readFiles(repo, commitSha, paths) {
      const { owner, repo: name } = parseRepo(repo);
      const limit = pLimit(6);
      const read = async (filePath: string): Promise<string | undefined> => {
        const path = normalizeFilePath(filePath);
        const cached = prefetcher.files.get(`${owner}/${name}`, commitSha, path);
        if (cached) return cached.content;
        try {
          const { data } = await octokit.rest.repos.getContent({ owner, repo: name, path, ref: commitSha });
          if (Array.isArray(data) || data.type !== "file") return undefined;
          // Refused before decoding or fetching the blob: GitHub serves files up to 100 MB.
          if (data.size > MAX_YAML_FILE_BYTES) throw new GitError(describeOversizedYamlFile(filePath, data.size));
          if ("encoding" in data && data.encoding === "base64") return Buffer.from(data.content, "base64").toString("utf8");
          // Over 1 MB the contents API leaves `content` empty; the blob API serves up to 100 MB.
          const blob = await octokit.rest.git.getBlob({ owner, repo: name, file_sha: data.sha });
          return Buffer.from(blob.data.content, "base64").toString("utf8");
        } catch (error) {
          if (error instanceof GitError) throw error;
          if (hasStatus(error, 404)) {
            if (/no commit found/i.test(gitHubMessage(error))) {
              throw new GitError(`commit ${commitSha} not found in ${repo}`, { cause: error });
            }
            // GitHub says "Not Found" for a missing file and for a missing repository alike; the caller read the
            // branch head first, which tells the two apart.
            return undefined;
          }
          throw fail(error, { action: `reading ${path} at ${commitSha.slice(0, 12)} in ${repo}`, repo });
        }
      };
      const contents = await Promise.all(paths.map((path) => limit(() => read(path))));
      return new Map(paths.map((path, index) => [path, contents[index]]));
    },

    async listHistory(repo, ref, { limit = 100, firstParent = false, path, until } = {}) {
      try {
        if (firstParent) return await firstParentHistory(repo, ref, limit, path, until);
        const { owner, repo: name } = parseRepo(repo);
        const history: GitCommit[] = [];
        for await (const page of commitPages(owner, name, ref, path, Math.min(PAGE, Math.max(1, limit)))) {
          history.push(...page.data.map(toGitCommit));
          if (history.length >= limit) break;
        }
        return history.slice(0, limit);
      } catch (error) {
        if (hasStatus(error, 404) && /no commit found/i.test(gitHubMessage(error))) {
          throw new GitError(`${ref} not found in ${repo}`, { cause: error });
        }
        throw fail(error, { action: `listing the history of ${ref} in ${repo}`, repo });
      }
    },

    async listTags(repo) {
      const { owner, repo: name } = parseRepo(repo);
      try {
        const tags = new Map<string, string>();
        for await (const page of octokit.paginate.iterator(octokit.rest.repos.listTags, { owner, repo: name, per_page: PAGE })) {
          for (const tag of page.data) tags.set(tag.name, tag.commit.sha);
        }
        return tags;
      } catch (error) {
        throw fail(error, { action: `listing the tags of ${repo}`, repo });
      }
    },

    /**
     * The compare API lists `base...head` oldest first, in pages. The first page tells the total, so we fetch the
     * newest pages (from the last backwards) until `limit` is covered, and return them newest first.
     */
    async listCommitsBetween(repo, base, head, { limit = 1000 } = {}) {
      const { owner, repo: name } = parseRepo(repo);
      const compare = (page: number) =>
        octokit.rest.repos.compareCommitsWithBasehead({ owner, repo: name, basehead: `${base}...${head}`, per_page: PAGE, page });
      try {
        const first = await compare(1);
        const lastPage = Math.max(1, Math.ceil(first.data.total_commits / PAGE));
        const pages = new Map<number, CommitPayload[]>([[1, first.data.commits]]);
        let collected = lastPage === 1 ? first.data.commits.length : 0;
        for (let page = lastPage; page > 1 && collected < limit; page--) {
          const { data } = await compare(page);
          pages.set(page, data.commits);
          collected += data.commits.length;
        }
        const oldestFirst = [...pages.entries()].sort(([a], [b]) => a - b).flatMap(([, commits]) => commits);
        // Page 1 is only contiguous with the rest when every page was fetched; otherwise it is dropped.
        const contiguous = pages.size === lastPage ? oldestFirst : oldestFirst.slice(first.data.commits.length);
        return contiguous.map(toGitCommit).reverse().slice(0, limit);
      } catch (error) {
        if (hasStatus(error, 404)) {
          const detail = isGitHubRequestError(error) ? gitHubMessage(error) : "";
          throw new GitError(
            /no common ancestor/i.test(detail)
              ? `${base} and ${head} share no history in ${repo}`
              : `cannot compare ${base}...${head} in ${repo}: the repository, ${base} or ${head} does not exist`,
            { cause: error },
          );
        }
        throw fail(error, { action: `comparing ${base}...${head} in ${repo}`, repo });
      }
    },

    /**
     * One commit through the Git Data API: a blob per file, one tree on top of the base commit's tree, one commit,
     * then the branch. Files keep mode 100644 (chart files are never executable). Requests: files + 4.
     */
    async createBranchWithCommit(repo, commit) {
      const { owner, repo: name } = parseRepo(repo);
      if (!commit.branch || /^-|\.\.|[\s~^:?*[\\]|\/$|\.lock$|@\{/.test(commit.branch)) {
        throw new GitError(`"${commit.branch}" is not a valid branch name`);
      }
      const action = `creating branch ${commit.branch} in ${repo}`;
      if (commit.mergeOf) return createMergeBranch(owner, name, { ...commit, mergeOf: commit.mergeOf });
      let sha: string;
      try {
        const blobs = await Promise.all(
          commit.files.map((file) =>
            octokit.rest.git.createBlob({ owner, repo: name, content: Buffer.from(file.content, "utf8").toString("base64"), encoding: "base64" }),
          ),
        );
        const base = await octokit.rest.git.getCommit({ owner, repo: name, commit_sha: commit.baseSha }).catch((error: unknown) => {
          if (hasStatus(error, 404)) throw new GitError(`base commit ${commit.baseSha} not found in ${repo}`, { cause: error });
          throw error;
        });
        const tree = await octokit.rest.git.createTree({
          owner,
          repo: name,
          base_tree: base.data.tree.sha,
          tree: commit.files.map((file, index) => ({
            path: file.path.replace(/^(\.\/)+|^\/+/, ""),
            mode: "100644" as const,
            type: "blob" as const,
            sha: blobs[index]!.data.sha,
          })),
        });
        const created = await octokit.rest.git.createCommit({
          owner,
          repo: name,
          message: commit.message,
          tree: tree.data.sha,
          parents: [commit.baseSha],
          author: { name: commit.author.name, email: commit.author.email },
        });
        sha = created.data.sha;
      } catch (error) {
        throw fail(error, { action, repo });
      }
      try {
        await octokit.rest.git.createRef({ owner, repo: name, ref: `refs/heads/${commit.branch}`, sha });
        return { sha };
      } catch (error) {
        if (hasStatus(error, 422)) {
          // A retried create whose first answer was lost finds its own branch: that is success, not a conflict.
          // git/ref is an exact lookup (git/matching-refs is the prefix one), so `env` never answers for `env/prod`.
          const existing = await octokit.rest.git.getRef({ owner, repo: name, ref: `heads/${commit.branch}` }).catch(() => undefined);
          if (existing && existing.data.ref === `refs/heads/${commit.branch}`) {
            if (existing.data.object.sha === sha) return { sha };
            throw new GitError(`branch ${commit.branch} already exists in ${repo}`, { cause: error });
          }
          // Not there under that exact name: GitHub refused it for another reason (a branch `env/prod` blocks `env`).
          throw new GitError(
            `GitHub refused to create branch ${commit.branch} in ${repo} (422 ${gitHubMessage(error)}): no branch has that exact ` +
              `name, so another one conflicts with it (e.g. ${commit.branch}/… or a parent folder of it); choose another name`,
            { cause: error },
          );
        }
        throw fail(error, { action, repo });
      }
    },

    async mergeBase(repo, a, b) {
      const { owner, repo: name } = parseRepo(repo);
      try {
        // Compare's merge base is git's; one commit per page keeps the answer small, whatever lies between.
        const compared = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo: name, basehead: `${a}...${b}`, per_page: 1 });
        return compared.data.merge_base_commit.sha;
      } catch (error) {
        // GitHub answers 404 "No common ancestor" for unrelated histories.
        if (hasStatus(error, 404) && /common ancestor/i.test(gitHubMessage(error))) return undefined;
        throw fail(error, { action: `finding the merge base of ${a.slice(0, 10)} and ${b.slice(0, 10)} in ${repo}`, repo });
      }
    },

    async createTag(repo, tag, sha) {
      const { owner, repo: name } = parseRepo(repo);
      if (!tag || /^-|\.\.|[\s~^:?*[\\]|\/$|\.lock$|@\{/.test(tag)) throw new GitError(`"${tag}" is not a valid tag name`);
      try {
        await octokit.rest.git.createRef({ owner, repo: name, ref: `refs/tags/${tag}`, sha });
      } catch (error) {
        if (hasStatus(error, 422)) {
          const message = gitHubMessage(error);
          throw new GitError(
            /already exists/i.test(message) ? `tag ${tag} already exists in ${repo}` : `GitHub refused tag ${tag} in ${repo} (422 ${message})`,
            { cause: error },
          );
        }
        throw fail(error, { action: `creating tag ${tag} in ${repo}`, repo });
      }
    },

    async advanceBranch(repo, branch, sha) {
      const { owner, repo: name } = parseRepo(repo);
      if (!branch || /^-|\.\.|[\s~^:?*[\\]|\/$|\.lock$|@\{/.test(branch)) throw new GitError(`"${branch}" is not a valid branch name`);
      const action = `moving ${branch} in ${repo} to ${sha.slice(0, 10)}`;
      try {
        const current = await octokit.rest.git.getRef({ owner, repo: name, ref: `heads/${branch}` }).catch((error: unknown) => {
          if (hasStatus(error, 404)) return undefined;
          throw error;
        });
        if (!current) {
          await octokit.rest.git.createRef({ owner, repo: name, ref: `refs/heads/${branch}`, sha });
          return "created";
        }
        if (current.data.object.sha === sha) return "unchanged";
        // force: false is GitHub's fast-forward-only update: 422 when the branch has commits `sha` lacks.
        await octokit.rest.git.updateRef({ owner, repo: name, ref: `heads/${branch}`, sha, force: false });
        return "fast-forwarded";
      } catch (error) {
        if (hasStatus(error, 422)) {
          throw new GitError(`${branch} in ${repo} has commits ${sha.slice(0, 10)} does not: not a fast-forward, so it is left as it is (merge it by hand)`, { cause: error });
        }
        throw fail(error, { action, repo });
      }
    },

    ...createPullRequests(octokit, parseRepo, fail, options.mergeablePolling),
  };

  /**
   * A branch at `baseSha` with `mergeOf` merged into it by GitHub's merge API (git's own merge, on GitHub's side). A
   * conflict, or nothing to merge, removes the branch again, so a refused merge leaves nothing behind.
   */
  async function createMergeBranch(owner: string, name: string, commit: NewBranchCommit & { mergeOf: string }): Promise<{ sha: string }> {
    const repo = `${owner}/${name}`;
    if (commit.files.length > 0) throw new GitError("a merge commit carries what it merges: give no files with mergeOf");
    const action = `merging ${commit.mergeOf.slice(0, 10)} into a new branch ${commit.branch} in ${repo}`;
    try {
      await octokit.rest.git.createRef({ owner, repo: name, ref: `refs/heads/${commit.branch}`, sha: commit.baseSha });
    } catch (error) {
      if (!hasStatus(error, 422)) throw fail(error, { action, repo });
      // A retry whose first answer was lost finds its own merge there: that is success.
      const existing = await octokit.rest.git.getRef({ owner, repo: name, ref: `heads/${commit.branch}` }).catch(() => undefined);
      if (existing?.data.ref === `refs/heads/${commit.branch}`) {
        const head = await octokit.rest.git.getCommit({ owner, repo: name, commit_sha: existing.data.object.sha });
        const parents = head.data.parents.map((p) => p.sha);
        if (parents.length === 2 && parents[0] === commit.baseSha && parents[1] === commit.mergeOf) return { sha: head.data.sha };
      }
      throw new GitError(`branch ${commit.branch} already exists in ${repo}`, { cause: error });
    }
    const abandon = () => octokit.rest.git.deleteRef({ owner, repo: name, ref: `heads/${commit.branch}` }).catch(() => undefined);
    try {
      const merged = await octokit.rest.repos.merge({ owner, repo: name, base: commit.branch, head: commit.mergeOf, commit_message: commit.message });
      // Octokit's types know only the 201; GitHub answers 204 when the base already holds the head.
      if ((merged.status as number) === 204) {
        await abandon();
        throw new GitError(`${commit.baseSha.slice(0, 10)} already contains ${commit.mergeOf.slice(0, 10)}: there is nothing to merge`);
      }
      return { sha: merged.data.sha };
    } catch (error) {
      if (error instanceof GitError) throw error;
      await abandon();
      if (hasStatus(error, 409)) {
        throw new GitError(`${commit.mergeOf.slice(0, 10)} does not merge cleanly into ${commit.baseSha.slice(0, 10)} in ${repo} (GitHub: ${gitHubMessage(error)})`, {
          cause: error,
        });
      }
      throw fail(error, { action, repo });
    }
  }
}
