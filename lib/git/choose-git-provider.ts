import "server-only";
import pLimit from "p-limit";
import type { GitHubConfig } from "@/lib/config/schema";
import { ConfigError, GitError } from "@/lib/errors";
import type { GitProvider } from "./git-provider";
import { type GitHubProviderOptions, type GitHubPullRequests, createGitHubProvider } from "./github/github-provider";
import type { LocalGitProvider } from "./local/local-git-provider";

/** `owner/name`, nothing else: no leading `./` or `/`, no scheme, no `user@host:`. */
const GITHUB_REPO = /^[\w.-]+\/[\w.-]+$/;

/** Whether slipway.yaml's `repo` names a GitHub repository (given a `github:` section); anything else is plain git. */
export function isGitHubRepoName(repo: string): boolean {
  return GITHUB_REPO.test(repo) && !repo.startsWith(".");
}

/** Where pull requests for a repository are opened, if its host has them (plain git has not: Slipway merges itself). */
export interface PullRequestHosting {
  pullRequestsFor(repo: string): GitHubPullRequests | undefined;
}

/**
 * Every repository the workspace names, each on its own host: GitHub for `owner/name` when slipway.yaml has a
 * `github:` section, plain git for the rest. It is a LocalGitProvider too, so Slipway's own merges of local change
 * requests keep working; a GitHub repository is merged on GitHub.
 */
export interface GitProviderRouter extends LocalGitProvider, PullRequestHosting {
  /** The adapter that serves `repo`. */
  providerFor(repo: string): GitProvider;
  isGitHub(repo: string): boolean;
}

export interface ChooseGitProviderOptions {
  local: LocalGitProvider;
  github?: GitHubConfig;
  /** Reads the variables the github section names (lib/config/environment.ts). */
  secret: (name: string) => string | undefined;
  /** Client settings beyond the config (tests shrink retry waits and turn off write spacing). */
  gitHubClient?: Partial<Omit<GitHubProviderOptions, "baseUrl" | "auth">>;
}

export function chooseGitProvider(options: ChooseGitProviderOptions): GitProviderRouter {
  const { local, github } = options;
  // Created on first use: the variables are only needed once a GitHub repository is read, and one client (with its
  // ETag cache) serves every repository, so warm refreshes are answered by 304s.
  let gitHub: (GitProvider & GitHubPullRequests) | undefined;

  const isGitHub = (repo: string) => Boolean(github) && isGitHubRepoName(repo);

  function gitHubProvider(): GitProvider & GitHubPullRequests {
    if (!gitHub) {
      gitHub = withAbsentFileMemo(
        createGitHubProvider({
          ...options.gitHubClient,
          baseUrl: github!.apiUrl,
          auth: resolveGitHubAuth(github!, options.secret),
        }),
      );
    }
    return gitHub;
  }

  const providerFor = (repo: string): GitProvider => (isGitHub(repo) ? gitHubProvider() : local);

  return {
    kind: "router",
    providerFor,
    isGitHub,
    pullRequestsFor: (repo) => (isGitHub(repo) ? gitHubProvider() : undefined),
    // async, so a missing GitHub variable is a rejected promise like any other read failure, not a synchronous throw.
    // GitHub's stacks in a few GraphQL queries; plain git reads each branch as cheaply one by one. A GitHub provider
    // that cannot be created (a missing variable) is left to branchHead, which names the problem per environment.
    prefetchBranches: async (branches) => {
      const onGitHub = branches.filter((b) => isGitHub(b.repo));
      if (onGitHub.length === 0) return;
      try {
        await gitHubProvider().prefetchBranches?.(onGitHub);
      } catch {
        // branchHead reports it
      }
    },
    branchHead: async (repo, branch) => providerFor(repo).branchHead(repo, branch),
    readFiles: async (repo, sha, paths) => providerFor(repo).readFiles(repo, sha, paths),
    readFilesAtCommits: async (repo, shas, paths) => {
      const provider = providerFor(repo);
      if (provider.readFilesAtCommits) return provider.readFilesAtCommits(repo, shas, paths);
      // Commit by commit, a few at a time: each read is several requests on GitHub.
      const limit = pLimit(4);
      const read = await Promise.all(shas.map((sha) => limit(() => provider.readFiles(repo, sha, paths))));
      return new Map(shas.map((sha, i) => [sha, read[i]!]));
    },
    listHistory: async (repo, ref, historyOptions) => providerFor(repo).listHistory(repo, ref, historyOptions),
    listTags: async (repo) => providerFor(repo).listTags(repo),
    listCommitsBetween: async (repo, base, head, betweenOptions) => providerFor(repo).listCommitsBetween(repo, base, head, betweenOptions),
    createBranchWithCommit: async (repo, commit) => providerFor(repo).createBranchWithCommit(repo, commit),
    mergeBase: async (repo, a, b) => providerFor(repo).mergeBase(repo, a, b),
    createTag: async (repo, name, sha) => providerFor(repo).createTag(repo, name, sha),
    advanceBranch: async (repo, branch, sha) => providerFor(repo).advanceBranch(repo, branch, sha),
    changedFiles: async (repo, base, head) => {
      if (isGitHub(repo)) throw new GitError(`${repo} is on GitHub: its pull requests are reviewed and merged on GitHub`);
      return local.changedFiles(repo, base, head);
    },
    mergeBranch: async (repo, input) => {
      if (isGitHub(repo)) throw new GitError(`${repo} is on GitHub: its pull requests are merged on GitHub, not by Slipway`);
      return local.mergeBranch(repo, input);
    },
  };
}

/** The github section's credentials from the environment; a missing variable is named, with the fix. */
export function resolveGitHubAuth(github: GitHubConfig, secret: (name: string) => string | undefined): GitHubProviderOptions["auth"] {
  const read = (name: string, key: string): string => {
    const value = secret(name)?.trim();
    if (!value) {
      throw new ConfigError(
        `GitHub repositories need the environment variable ${name} (github.auth.${key} in slipway.yaml): set it, or remove the github section`,
      );
    }
    return value;
  };
  if ("tokenEnv" in github.auth) return { token: read(github.auth.tokenEnv, "tokenEnv") };
  const appId = read(github.auth.appIdEnv, "appIdEnv");
  // PEM keys in environment variables often arrive with literal \n (Kubernetes secrets, .env files).
  const privateKey = read(github.auth.privateKeyEnv, "privateKeyEnv").replace(/\\n/g, "\n");
  const installationText = read(github.auth.installationIdEnv, "installationIdEnv");
  const installationId = Number(installationText);
  if (!Number.isSafeInteger(installationId) || installationId <= 0) {
    throw new ConfigError(
      `${github.auth.installationIdEnv} (github.auth.installationIdEnv in slipway.yaml) must be the installation's number, not "${installationText}"`,
    );
  }
  return { appId, privateKey, installationId };
}

/** Absent paths remembered per commit: at most this many. */
const MAX_ABSENT = 10_000;

/**
 * A file missing at a commit stays missing (commits are immutable), but GitHub's 404 carries no ETag and costs rate
 * limit every time. A stack without requirements.yaml would pay for it on every refresh; remembering the absence
 * keeps warm refreshes at 304s only.
 */
function withAbsentFileMemo<P extends GitProvider>(provider: P): P {
  const absent = new Set<string>();
  const key = (repo: string, sha: string, path: string) => `${repo}\u0000${sha}\u0000${path}`;
  const readFiles: GitProvider["readFiles"] = async (repo, sha, paths) => {
    // Only full commit shas name immutable content; a branch name or short sha could move.
    const immutable = /^[0-9a-f]{40}$/.test(sha);
    const wanted = immutable ? paths.filter((path) => !absent.has(key(repo, sha, path))) : paths;
    const read = wanted.length > 0 ? await provider.readFiles(repo, sha, wanted) : new Map<string, string | undefined>();
    if (immutable) {
      for (const path of wanted) {
        if (read.get(path) !== undefined) continue;
        if (absent.size >= MAX_ABSENT) absent.delete(absent.values().next().value!);
        absent.add(key(repo, sha, path));
      }
    }
    return new Map(paths.map((path) => [path, read.get(path)]));
  };
  return { ...provider, readFiles };
}
