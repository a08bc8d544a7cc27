import "server-only";
import { GitError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { GitHubClient } from "./github-client";
import { type ChecksSummary, combineChecks } from "./combine-checks";
import { describeAcceptedPermissions, gitHubMessage, hasStatus, isGitHubRequestError, type ErrorContext } from "./github-errors";

export type { ChecksSummary } from "./combine-checks";

/** Pull requests on GitHub: what the release flow needs beyond the GitProvider port. */
export interface GitHubPullRequests {
  /**
   * Opens a pull request, then labels it and requests reviews. Once the pull request exists, nothing after it throws:
   * a label or reviewer GitHub refuses (a reviewer who is the author, or not a collaborator) becomes a warning.
   */
  openPullRequest(request: OpenPullRequestRequest): Promise<OpenedPullRequest>;
  /** The open pull request from branch `head`, if any (the newest, should there be one per base). */
  findOpenPullRequest(repo: string, head: string): Promise<PullRequestSummary | undefined>;
  /**
   * A pull request's state and branches. `mergeable` is what GitHub has computed so far; with `awaitMergeable` an open
   * pull request whose mergeability GitHub is still computing is read again a few times, briefly, before settling for
   * null ("not known yet").
   */
  getPullRequest(repo: string, number: number, options?: { awaitMergeable?: boolean }): Promise<PullRequestDetails>;
  /** The CI of commit `sha`: its commit statuses and check runs, combined (see combine-checks.ts). */
  readChecks(repo: string, sha: string): Promise<ChecksSummary>;
  /**
   * Merges an open pull request with a merge commit, only if its head is still `expectedHeadSha` (GitHub refuses
   * otherwise). GitHub's refusals — the head moved, or branch protection, a conflict or a draft stands in the way —
   * are answers, not errors; anything else (permissions, rate limit, GitHub down) throws a GitError.
   */
  mergePullRequest(repo: string, number: number, expectedHeadSha: string, options?: { commitMessage?: string }): Promise<PullRequestMergeResult>;
}

export type PullRequestMergeResult =
  | { merged: true; /** The merge commit on the base branch. */ sha: string }
  | { merged: false; reason: "head-moved" | "not-mergeable"; message: string };

/** How long getPullRequest waits for GitHub's background test merge: `attempts` reads, doubling delays from `delayMs`. */
export interface MergeablePolling {
  /** Reads in all, the first included (default 4). */
  attempts?: number;
  /** Wait before the second read; each later wait doubles (default 500 ms: 0.5 + 1 + 2 s at most). */
  delayMs?: number;
}

export interface PullRequestReviewers {
  /** GitHub logins. */
  users: string[];
  /** Team slugs of the repository's organization. */
  teams: string[];
}

export interface OpenPullRequestRequest {
  repo: string;
  /** Branch with the change, in the same repository. */
  head: string;
  base: string;
  title: string;
  body: string;
  labels?: string[];
  reviewers?: PullRequestReviewers;
  draft?: boolean;
}

export type PullRequestState = "open" | "closed" | "merged";

export interface PullRequestSummary {
  number: number;
  /** The pull request's page (html_url), for people. */
  url: string;
  state: PullRequestState;
}

export interface OpenedPullRequest extends PullRequestSummary {
  /** What could not be done after opening (labels, reviewers), in words for the person who raised it. */
  warnings: string[];
}

export interface PullRequestDetails extends PullRequestSummary {
  title: string;
  headBranch: string;
  baseBranch: string;
  headSha: string;
  mergedAt?: Date;
  /** Set once merged: the merge (or squash) commit on the base branch. */
  mergeCommitSha?: string;
  /**
   * Whether the head merges cleanly into the base. null while GitHub is still computing it (right after the pull
   * request is opened or either branch moves) and for closed pull requests: "not known", never "conflicts".
   */
  mergeable: boolean | null;
}

interface PullRequestPayload {
  number: number;
  html_url: string;
  state: string;
  merged_at: string | null;
  merged?: boolean;
  merge_commit_sha?: string | null;
  mergeable?: boolean | null;
  title: string;
  head: { ref: string; sha: string };
  base: { ref: string };
}

const log = logger.child({ component: "github" });

/** Page size for the checks listings (GitHub's maximum). */
const PAGE = 100;

function toState(pull: PullRequestPayload): PullRequestState {
  if (pull.merged || pull.merged_at) return "merged";
  return pull.state === "open" ? "open" : "closed";
}

function toSummary(pull: PullRequestPayload): PullRequestSummary {
  return { number: pull.number, url: pull.html_url, state: toState(pull) };
}

export function createPullRequests(
  octokit: GitHubClient,
  parseRepo: (repo: string) => { owner: string; repo: string },
  fail: (error: unknown, context: Omit<ErrorContext, "auth" | "baseUrl">) => GitError,
  polling: MergeablePolling = {},
): GitHubPullRequests {
  const attempts = Math.max(1, polling.attempts ?? 4);
  const delayMs = polling.delayMs ?? 500;

  async function findOpenPullRequest(repo: string, head: string): Promise<PullRequestSummary | undefined> {
    const { owner, repo: name } = parseRepo(repo);
    try {
      const { data } = await octokit.rest.pulls.list({ owner, repo: name, head: `${owner}:${head}`, state: "open", per_page: 10 });
      return data[0] ? toSummary(data[0]) : undefined;
    } catch (error) {
      throw fail(error, { action: `looking for an open pull request from ${head} in ${repo}`, repo });
    }
  }

  /** Labels and reviewers: each failure is a warning, the pull request stands. */
  async function decorate(owner: string, name: string, number: number, request: OpenPullRequestRequest, warnings: string[]) {
    const labels = request.labels ?? [];
    if (labels.length > 0) {
      try {
        await octokit.rest.issues.addLabels({ owner, repo: name, issue_number: number, labels });
      } catch (error) {
        warnings.push(`could not add labels ${labels.join(", ")}: ${describe(error)}`);
      }
    }
    const users = request.reviewers?.users ?? [];
    const teams = request.reviewers?.teams ?? [];
    if (users.length + teams.length === 0) return;
    try {
      await octokit.rest.pulls.requestReviewers({ owner, repo: name, pull_number: number, reviewers: users, team_reviewers: teams });
      return;
    } catch (error) {
      // GitHub refuses the whole request for one bad reviewer (the author, a non-collaborator): ask one at a time so
      // the others still get the request, and name the ones that failed.
      if (!hasStatus(error, 422) || users.length + teams.length === 1) {
        warnings.push(`could not request reviews from ${[...users.map((u) => `@${u}`), ...teams.map((t) => `team ${t}`)].join(", ")}: ${describe(error)}`);
        return;
      }
    }
    for (const user of users) {
      await octokit.rest.pulls
        .requestReviewers({ owner, repo: name, pull_number: number, reviewers: [user] })
        .catch((error: unknown) => warnings.push(`could not request a review from @${user}: ${describe(error)}`));
    }
    for (const team of teams) {
      await octokit.rest.pulls
        .requestReviewers({ owner, repo: name, pull_number: number, team_reviewers: [team] })
        .catch((error: unknown) => warnings.push(`could not request a review from team ${team}: ${describe(error)}`));
    }
  }

  return {
    findOpenPullRequest,

    async openPullRequest(request) {
      const { owner, repo: name } = parseRepo(request.repo);
      const action = `opening a pull request from ${request.head} into ${request.base} in ${request.repo}`;
      const warnings: string[] = [];
      let opened: PullRequestSummary;
      try {
        const { data } = await octokit.rest.pulls.create({
          owner,
          repo: name,
          head: request.head,
          base: request.base,
          title: request.title,
          body: request.body,
          draft: request.draft ?? false,
        });
        opened = toSummary(data);
      } catch (error) {
        const message = isGitHubRequestError(error) ? gitHubMessage(error) : "";
        if (hasStatus(error, 422) && /already exists/i.test(message)) {
          // Ours, most likely: a retried create whose first answer was lost. Carry on with that one.
          const existing = await findOpenPullRequest(request.repo, request.head);
          if (!existing) throw fail(error, { action, repo: request.repo });
          warnings.push(`a pull request from ${request.head} was already open (#${existing.number}); labels and reviewers were applied to it`);
          opened = existing;
        } else if (hasStatus(error, 422) && /no commits between/i.test(message)) {
          throw new GitError(`nothing to merge: ${request.head} has no commits that ${request.base} lacks in ${request.repo}`, { cause: error });
        } else if (hasStatus(error, 422) && /\b(head|base) invalid\b/i.test(message)) {
          throw new GitError(`cannot open the pull request in ${request.repo}: branch ${request.head} or ${request.base} does not exist`, { cause: error });
        } else {
          throw fail(error, { action, repo: request.repo });
        }
      }
      await decorate(owner, name, opened.number, request, warnings);
      if (warnings.length > 0) log.warn({ repo: request.repo, pullRequest: opened.number, warnings }, "pull request opened with warnings");
      return { ...opened, warnings };
    },

    async getPullRequest(repo, number, options = {}) {
      const { owner, repo: name } = parseRepo(repo);
      try {
        let { data } = await octokit.rest.pulls.get({ owner, repo: name, pull_number: number });
        // GitHub answers mergeable: null until its background test merge is done; a few short waits usually cover it.
        for (let attempt = 1; options.awaitMergeable && attempt < attempts && data.state === "open" && data.mergeable === null; attempt++) {
          await sleep(delayMs * 2 ** (attempt - 1));
          ({ data } = await octokit.rest.pulls.get({ owner, repo: name, pull_number: number }));
        }
        const merged = toState(data) === "merged";
        return {
          ...toSummary(data),
          title: data.title,
          headBranch: data.head.ref,
          baseBranch: data.base.ref,
          headSha: data.head.sha,
          ...(data.merged_at ? { mergedAt: new Date(data.merged_at) } : {}),
          ...(merged && data.merge_commit_sha ? { mergeCommitSha: data.merge_commit_sha } : {}),
          mergeable: data.state === "open" ? (data.mergeable ?? null) : null,
        };
      } catch (error) {
        if (hasStatus(error, 404)) throw new GitError(`pull request #${number} not found in ${repo}`, { cause: error });
        throw fail(error, { action: `reading pull request #${number} of ${repo}`, repo });
      }
    },

    async readChecks(repo, sha) {
      const { owner, repo: name } = parseRepo(repo);
      const short = sha.slice(0, 10);
      try {
        // The combined status lists the latest status per context, a page at a time (total_count counts contexts).
        const statuses: { context: string; state: string }[] = [];
        for (let page = 1; ; page++) {
          const { data } = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo: name, ref: sha, per_page: PAGE, page });
          statuses.push(...data.statuses);
          if (data.statuses.length < PAGE || statuses.length >= data.total_count) break;
        }
        // Check runs: the latest per name (GitHub's default filter), every page.
        const checkRuns = await octokit.paginate(octokit.rest.checks.listForRef, { owner, repo: name, ref: sha, filter: "latest", per_page: PAGE });
        return combineChecks(statuses, checkRuns);
      } catch (error) {
        if (hasStatus(error, 404) || hasStatus(error, 422)) {
          throw new GitError(`commit ${short} not found in ${repo}, so its checks cannot be read`, { cause: error });
        }
        throw fail(error, { action: `reading the checks of ${short} in ${repo}`, repo });
      }
    },

    async mergePullRequest(repo, number, expectedHeadSha, options = {}) {
      const { owner, repo: name } = parseRepo(repo);
      const action = `merging pull request #${number} of ${repo}`;
      try {
        const { data } = await octokit.rest.pulls.merge({
          owner,
          repo: name,
          pull_number: number,
          sha: expectedHeadSha,
          merge_method: "merge",
          ...(options.commitMessage ? { commit_message: options.commitMessage } : {}),
          // Not retried here: a refusal (405) is an answer, and a merge whose answer was lost is seen merged by the
          // next read of the pull request; the caller tries again on its next pass.
          request: { retries: 0 },
        });
        if (!data.merged) return { merged: false, reason: "not-mergeable", message: `GitHub did not merge #${number}: ${data.message}` };
        return { merged: true, sha: data.sha };
      } catch (error) {
        if (hasStatus(error, 409)) return { merged: false, reason: "head-moved", message: fail(error, { action, repo }).message };
        if (hasStatus(error, 405)) return { merged: false, reason: "not-mergeable", message: fail(error, { action, repo }).message };
        if (hasStatus(error, 404)) throw new GitError(`pull request #${number} not found in ${repo}`, { cause: error });
        throw fail(error, { action, repo });
      }
    },
  };
}

/** "403 Resource not accessible by integration (needs issues=write or pull_requests=write)", for warnings. */
function describe(error: unknown): string {
  if (!isGitHubRequestError(error)) return String(error);
  const needed = error.status === 403 ? describeAcceptedPermissions(error.response?.headers["x-accepted-github-permissions"]) : undefined;
  return `${error.status} ${gitHubMessage(error)}${needed ? ` (needs ${needed})` : ""}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
