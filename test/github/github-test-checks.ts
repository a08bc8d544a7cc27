import { gitText, resolveCommit } from "./github-test-git";
import { isoSeconds, nodeId, type createJsonShapes, type TestPullRequest, type UrlRoots } from "./github-test-json";
import type { TestRepository } from "./github-test-repository";

/**
 * CI and the merge button on the GitHub test server: commit statuses (`POST /statuses/{sha}` as GitHub takes them,
 * and the combined status), check runs (set by tests: on real GitHub only a GitHub App may create them, so
 * `server.checks.addCheckRun` stands in for the CI app) listed per commit with Link pagination, branch protection's
 * required approving reviews and required checks, and `PUT /pulls/{n}/merge` with GitHub's refusals: 409 when the head
 * is not the `sha` given, 405 when the pull request cannot be merged (closed, draft, conflicting, protection unmet).
 */

/** The routes, as GitHub's OpenAPI description names them, with the fine-grained permission each needs. */
export const CHECK_ROUTES = {
  combinedStatus: { method: "GET", template: "/repos/{owner}/{repo}/commits/{ref}/status", accepted: "statuses=read" },
  listCheckRuns: { method: "GET", template: "/repos/{owner}/{repo}/commits/{ref}/check-runs", accepted: "checks=read" },
  createStatus: { method: "POST", template: "/repos/{owner}/{repo}/statuses/{sha}", accepted: "statuses=write" },
  mergePull: { method: "PUT", template: "/repos/{owner}/{repo}/pulls/{pull_number}/merge", accepted: "contents=write" },
} as const;

export type CheckRouteName = keyof typeof CHECK_ROUTES;

type StatusState = "error" | "failure" | "pending" | "success";
type CheckRunStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
type CheckRunConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface TestCheckRunInput {
  name: string;
  status: CheckRunStatus;
  /** Required once completed. */
  conclusion?: CheckRunConclusion;
}

export interface TestBranchProtection {
  /** Approving reviews a pull request into the branch needs before it may be merged. */
  requiredApprovingReviews?: number;
  /** Status contexts or check run names that must have passed on the head. */
  requiredChecks?: string[];
}

/** What tests do with CI and protection, beside the HTTP routes. */
export interface TestChecks {
  /** A commit status, as `POST /repos/{owner}/{repo}/statuses/{sha}` creates it (the latest per context counts). */
  setStatus(fullName: string, sha: string, status: { context: string; state: StatusState; description?: string }, creator?: string): void;
  /** A check run on `sha`, as a CI app creates it; a later run of the same name supersedes the earlier one. */
  addCheckRun(fullName: string, sha: string, run: TestCheckRunInput): number;
  protectBranch(fullName: string, branch: string, protection: TestBranchProtection): void;
  /** An approving review of a pull request by `login`. */
  approve(fullName: string, number: number, login: string): void;
  /** Merges answered by `PUT …/merge` with 200, per repository: number and the sha the caller sent. */
  merges(fullName: string): { number: number; sha: string | undefined; mergedBy: string }[];
}

interface StatusRecord {
  id: number;
  context: string;
  state: StatusState;
  description: string | null;
  creator: string;
  createdAt: Date;
}

interface CheckRunRecord {
  id: number;
  name: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion | null;
  startedAt: Date;
  completedAt: Date | null;
}

/** The parts of the server's request context these routes read (the server's own context has more). */
interface CheckRequest extends UrlRoots {
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  caller?: { login: string };
  body: unknown;
}

interface CheckReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the server lends: its repositories and pull requests, paging, error answers and JSON shapes. */
export interface CheckServerParts {
  repoFor(ctx: CheckRequest): TestRepository;
  repository(fullName: string): TestRepository;
  findPull(repo: TestRepository, number: string): TestPullRequest;
  pullRequests(repo: TestRepository): TestPullRequest[];
  pagination(ctx: CheckRequest, defaultPerPage?: number): { perPage: number; page: number; offset: number };
  linkHeader(ctx: CheckRequest, page: number, lastPage: number): Record<string, string>;
  requireObjectBody(ctx: CheckRequest): Record<string, unknown>;
  /** Throws nothing itself: returns the server's error answer, for the handler to throw. */
  apiError(status: number, message: string, documentationUrl?: string): Error;
  validationFailed(errors: Record<string, unknown>[], documentationUrl?: string): Error;
  shapes: Pick<ReturnType<typeof createJsonShapes>, "simpleUser" | "repositoryJson">;
}

const DOCS = "https://docs.github.com/rest";
const STATUS_STATES: readonly string[] = ["error", "failure", "pending", "success"];
const MERGE_METHODS: readonly string[] = ["merge", "squash", "rebase"];

export function createChecks(parts: CheckServerParts): { handlers: Record<CheckRouteName, (ctx: CheckRequest) => Promise<CheckReply>>; api: TestChecks } {
  /** Per repository (lower-case full name), per commit sha. */
  const statuses = new Map<string, Map<string, StatusRecord[]>>();
  const checkRuns = new Map<string, Map<string, CheckRunRecord[]>>();
  const protections = new Map<string, Map<string, TestBranchProtection>>();
  const approvals = new Map<number, Set<string>>();
  const merged = new Map<string, { number: number; sha: string | undefined; mergedBy: string }[]>();
  let nextStatusId = 40_000;
  let nextCheckRunId = 60_000;

  const forCommit = <T>(store: Map<string, Map<string, T[]>>, fullName: string, sha: string): T[] => {
    const byRepo = store.get(fullName.toLowerCase()) ?? new Map<string, T[]>();
    store.set(fullName.toLowerCase(), byRepo);
    const list = byRepo.get(sha) ?? [];
    byRepo.set(sha, list);
    return list;
  };

  /** The latest status per context, newest first, as the combined status lists them. */
  function latestStatuses(fullName: string, sha: string): StatusRecord[] {
    const latest = new Map<string, StatusRecord>();
    for (const status of forCommit(statuses, fullName, sha)) latest.set(status.context, status);
    return [...latest.values()].sort((a, b) => b.id - a.id);
  }

  /** `filter=latest` (GitHub's default): the most recent run per name; `all`: every run. Newest first. */
  function runsFor(fullName: string, sha: string, filter: string): CheckRunRecord[] {
    const all = [...forCommit(checkRuns, fullName, sha)].sort((a, b) => b.id - a.id);
    if (filter === "all") return all;
    const seen = new Set<string>();
    return all.filter((run) => !seen.has(run.name) && seen.add(run.name));
  }

  async function commitFor(repo: TestRepository, ref: string): Promise<string | undefined> {
    return (await resolveCommit(repo.dir, ref)) ?? undefined;
  }

  function statusJson(ctx: UrlRoots, repo: TestRepository, sha: string, status: StatusRecord) {
    const creator = parts.shapes.simpleUser(ctx, status.creator);
    return {
      url: `${ctx.api}/repos/${repo.fullName}/statuses/${sha}`,
      avatar_url: creator.avatar_url,
      id: status.id,
      node_id: nodeId("StatusContext", status.id),
      state: status.state,
      description: status.description,
      target_url: null,
      context: status.context,
      created_at: isoSeconds(status.createdAt),
      updated_at: isoSeconds(status.createdAt),
      creator,
    };
  }

  /** Open pull requests whose head is at `sha`: GitHub lists them on each check run of that commit. */
  async function pullsAt(repo: TestRepository, sha: string): Promise<TestPullRequest[]> {
    const open = parts.pullRequests(repo).filter((pull) => pull.state === "open");
    const heads = await Promise.all(open.map((pull) => resolveCommit(repo.dir, `refs/heads/${pull.head.ref}`)));
    return open.filter((_, index) => heads[index] === sha);
  }

  function checkRunJson(ctx: UrlRoots, repo: TestRepository, sha: string, run: CheckRunRecord, openPulls: TestPullRequest[]) {
    const url = `${ctx.api}/repos/${repo.fullName}/check-runs/${run.id}`;
    return {
      id: run.id,
      head_sha: sha,
      node_id: nodeId("CheckRun", run.id),
      external_id: "",
      url,
      html_url: `${ctx.web}/${repo.fullName}/runs/${run.id}`,
      details_url: `${ctx.web}/${repo.fullName}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: isoSeconds(run.startedAt),
      completed_at: run.completedAt ? isoSeconds(run.completedAt) : null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${url}/annotations` },
      name: run.name,
      check_suite: { id: run.id + 1_000_000 },
      app: appJson(ctx),
      pull_requests: openPulls.map((pull) => ({
        id: pull.id,
        number: pull.number,
        url: `${ctx.api}/repos/${repo.fullName}/pulls/${pull.number}`,
        head: { ref: pull.head.ref, sha, repo: { id: repo.id, url: `${ctx.api}/repos/${repo.fullName}`, name: repo.name } },
        base: { ref: pull.base.ref, sha: pull.base.sha, repo: { id: repo.id, url: `${ctx.api}/repos/${repo.fullName}`, name: repo.name } },
      })),
    };
  }

  /** The CI app the check runs come from: GitHub Actions, as most repositories have it. */
  function appJson(ctx: UrlRoots) {
    const created = isoSeconds("2018-07-30T09:30:17Z");
    return {
      id: 15368,
      slug: "github-actions",
      node_id: nodeId("Integration", 15368),
      owner: parts.shapes.simpleUser(ctx, "github", "Organization"),
      name: "GitHub Actions",
      description: "Automate your workflow from idea to production",
      external_url: "https://help.github.com/en/actions",
      html_url: `${ctx.web}/apps/github-actions`,
      created_at: created,
      updated_at: created,
      permissions: { checks: "write", contents: "write", metadata: "read", pull_requests: "write", statuses: "write" },
      events: ["check_run", "pull_request", "push"],
    };
  }

  /** A check (status context or check run name) that passed on `sha`. */
  function passed(fullName: string, sha: string, name: string): boolean {
    const status = latestStatuses(fullName, sha).find((candidate) => candidate.context === name);
    const run = runsFor(fullName, sha, "latest").find((candidate) => candidate.name === name);
    if (!status && !run) return false;
    const statusOk = !status || status.state === "success";
    const runOk = !run || (run.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? ""));
    return statusOk && runOk;
  }

  const handlers: Record<CheckRouteName, (ctx: CheckRequest) => Promise<CheckReply>> = {
    async combinedStatus(ctx) {
      const repo = parts.repoFor(ctx);
      const docs = `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`;
      const sha = await commitFor(repo, ctx.params.ref!);
      if (!sha) throw parts.apiError(404, `No commit found for SHA: ${ctx.params.ref}`, docs);
      const latest = latestStatuses(repo.fullName, sha);
      // GitHub: failure if any context errored or failed, pending if any is pending or there are none, else success.
      const state = latest.some((s) => s.state === "error" || s.state === "failure")
        ? "failure"
        : latest.length === 0 || latest.some((s) => s.state === "pending")
          ? "pending"
          : "success";
      const { perPage, page, offset } = parts.pagination(ctx, 100);
      const url = `${ctx.api}/repos/${repo.fullName}/commits/${sha}`;
      return {
        status: 200,
        body: {
          state,
          statuses: latest.slice(offset, offset + perPage).map((status) => {
            const { creator: _creator, ...simple } = statusJson(ctx, repo, sha, status);
            return { ...simple, required: false };
          }),
          sha,
          total_count: latest.length,
          repository: parts.shapes.repositoryJson(ctx, repo),
          commit_url: url,
          url: `${url}/status`,
        },
        headers: parts.linkHeader(ctx, page, Math.max(1, Math.ceil(latest.length / perPage))),
      };
    },

    async listCheckRuns(ctx) {
      const repo = parts.repoFor(ctx);
      const sha = await commitFor(repo, ctx.params.ref!);
      if (!sha) {
        throw parts.apiError(422, `No commit found for SHA: ${ctx.params.ref}`, `${DOCS}/checks/runs#list-check-runs-for-a-git-reference`);
      }
      const name = ctx.query.get("check_name");
      const wanted = ctx.query.get("status");
      const runs = runsFor(repo.fullName, sha, ctx.query.get("filter") ?? "latest")
        .filter((run) => !name || run.name === name)
        .filter((run) => !wanted || run.status === wanted);
      const { perPage, page, offset } = parts.pagination(ctx);
      const openPulls = await pullsAt(repo, sha);
      return {
        status: 200,
        body: { total_count: runs.length, check_runs: runs.slice(offset, offset + perPage).map((run) => checkRunJson(ctx, repo, sha, run, openPulls)) },
        headers: parts.linkHeader(ctx, page, Math.max(1, Math.ceil(runs.length / perPage))),
      };
    },

    async createStatus(ctx) {
      const repo = parts.repoFor(ctx);
      const docs = `${DOCS}/commits/statuses#create-a-commit-status`;
      const body = parts.requireObjectBody(ctx);
      if (typeof body.state !== "string" || !STATUS_STATES.includes(body.state)) {
        throw parts.validationFailed([{ resource: "Status", field: "state", code: "custom", message: "state is not included in the list" }], docs);
      }
      const sha = /^[0-9a-f]{40}$/.test(ctx.params.sha!) ? await commitFor(repo, ctx.params.sha!) : undefined;
      if (!sha) throw parts.validationFailed([{ resource: "Status", code: "custom", message: `No commit found for SHA: ${ctx.params.sha}` }], docs);
      const context = typeof body.context === "string" && body.context ? body.context : "default";
      const description = typeof body.description === "string" ? body.description : null;
      api.setStatus(repo.fullName, sha, { context, state: body.state as StatusState, ...(description ? { description } : {}) }, ctx.caller!.login);
      const status = forCommit(statuses, repo.fullName, sha).at(-1)!;
      const json = statusJson(ctx, repo, sha, status);
      return { status: 201, body: json, headers: { location: json.url } };
    },

    async mergePull(ctx) {
      const repo = parts.repoFor(ctx);
      const pull = parts.findPull(repo, ctx.params.pull_number!);
      const docs = `${DOCS}/pulls/pulls#merge-a-pull-request`;
      const body = ctx.body === undefined ? {} : parts.requireObjectBody(ctx);
      const method = body.merge_method ?? "merge";
      if (typeof method !== "string" || !MERGE_METHODS.includes(method)) {
        throw parts.validationFailed([{ resource: "PullRequest", field: "merge_method", code: "invalid" }], docs);
      }
      if (pull.state !== "open") throw parts.apiError(405, "Pull Request is not mergeable", docs);
      if (pull.draft) throw parts.apiError(405, "Pull Request is still a draft", docs);
      const head = (await resolveCommit(repo.dir, `refs/heads/${pull.head.ref}`)) ?? pull.head.sha;
      const base = (await resolveCommit(repo.dir, `refs/heads/${pull.base.ref}`)) ?? pull.base.sha;
      if (typeof body.sha === "string" && body.sha !== head) throw parts.apiError(409, "Head branch was modified. Review and try the merge again.", docs);
      const protection = protections.get(repo.fullName.toLowerCase())?.get(pull.base.ref);
      const needed = protection?.requiredApprovingReviews ?? 0;
      if ((approvals.get(pull.id)?.size ?? 0) < needed) {
        throw parts.apiError(405, `At least ${needed} approving review${needed === 1 ? " is" : "s are"} required by reviewers with write access.`, docs);
      }
      const missing = (protection?.requiredChecks ?? []).find((name) => !passed(repo.fullName, head, name));
      if (missing) throw parts.apiError(405, `Required status check "${missing}" is expected.`, docs);
      const clean = await gitText(repo.dir, ["merge-tree", "--write-tree", base, head]).then(
        () => true,
        () => false,
      );
      if (!clean) throw parts.apiError(405, "Pull Request is not mergeable", docs);
      const login = ctx.caller!.login;
      const title = typeof body.commit_title === "string" && body.commit_title ? body.commit_title : `Merge pull request #${pull.number} from ${repo.owner}/${pull.head.ref}`;
      const message = typeof body.commit_message === "string" && body.commit_message ? body.commit_message : pull.title;
      const sha = await repo.mergeCommits(pull.base.ref, base, head, `${title}\n\n${message}`, { name: login, email: `${login}@users.noreply.github.com` }, method !== "merge");
      const now = new Date();
      Object.assign(pull, {
        state: "closed",
        mergedAt: now,
        closedAt: now,
        updatedAt: now,
        mergeCommitSha: sha,
        mergedBy: login,
        head: { ref: pull.head.ref, sha: head },
        base: { ref: pull.base.ref, sha: base },
      });
      const list = merged.get(repo.fullName.toLowerCase()) ?? [];
      list.push({ number: pull.number, sha: typeof body.sha === "string" ? body.sha : undefined, mergedBy: login });
      merged.set(repo.fullName.toLowerCase(), list);
      return { status: 200, body: { sha, merged: true, message: "Pull Request successfully merged" } };
    },
  };

  const api: TestChecks = {
    setStatus(fullName, sha, status, creator = "ci-bot") {
      forCommit(statuses, fullName, sha).push({
        id: nextStatusId++,
        context: status.context,
        state: status.state,
        description: status.description ?? null,
        creator,
        createdAt: new Date(),
      });
    },

    addCheckRun(fullName, sha, run) {
      if (run.status === "completed" && !run.conclusion) throw new Error(`check run ${run.name}: a completed run needs a conclusion`);
      const now = new Date();
      const id = nextCheckRunId++;
      forCommit(checkRuns, fullName, sha).push({
        id,
        name: run.name,
        status: run.status,
        conclusion: run.status === "completed" ? run.conclusion! : null,
        startedAt: now,
        completedAt: run.status === "completed" ? now : null,
      });
      return id;
    },

    protectBranch(fullName, branch, protection) {
      const byRepo = protections.get(fullName.toLowerCase()) ?? new Map<string, TestBranchProtection>();
      byRepo.set(branch, protection);
      protections.set(fullName.toLowerCase(), byRepo);
    },

    approve(fullName, number, login) {
      const pull = parts.findPull(parts.repository(fullName), String(number));
      const reviewers = approvals.get(pull.id) ?? new Set<string>();
      reviewers.add(login);
      approvals.set(pull.id, reviewers);
    },

    merges(fullName) {
      return merged.get(fullName.toLowerCase()) ?? [];
    },
  };

  return { handlers, api };
}
