import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { startHttpServer, type TestHttpServer } from "../support/start-http-server";
import { commitTree, gitBuffer, gitText, logCommits, objectType, readCommit, resolveCommit, writeTree, ZERO_SHA, type IndexEntry } from "./github-test-git";
import { createJsonShapes, isoSeconds, nodeId, type TestPullRequest } from "./github-test-json";
import { TestRepository, type TestRepositoryOptions } from "./github-test-repository";
import { accessHeaders, decideRepositoryAccess, type AcceptedPermissions, type TokenGrant } from "./github-test-access";
import { compareFiles } from "./github-test-compare";
import { CHECK_ROUTES, createChecks, type CheckRouteName, type TestChecks } from "./github-test-checks";
import { answerGraphql, type GraphqlRateBucket } from "./github-test-graphql";
import { FaultRules } from "../support/fault-rules";

export type { TestPullRequest } from "./github-test-json";
export type { TokenGrant } from "./github-test-access";

/**
 * A GitHub REST API for tests, on node:http, that the real Octokit talks to through `baseUrl`. Repositories are real
 * bare git repositories in a temporary folder; every answer comes from git commands, and every write (blobs, trees,
 * commits, refs) lands in git. Pull requests live in memory. Responses follow GitHub's wire format: the JSON shapes of
 * its OpenAPI description (checked by openapi-contract.test.ts), status codes, ETag/304, Link pagination, rate-limit
 * headers, `{ message, documentation_url }` error bodies. Requests are also served under `/api/v3` (GitHub Enterprise).
 *
 * GraphQL (POST /graphql, and /api/graphql as on GitHub Enterprise Server) runs queries against GitHub's published
 * schema (github-test-graphql.ts), with its own rate limit in points, as GitHub keeps it apart from REST's.
 *
 * Faults can be injected per route for reliability tests; every request is recorded with its route and status.
 *
 * As strict as GitHub where Slipway could get it wrong: per-token repository access and permissions (404 for what the
 * token cannot see, 403 with `x-accepted-github-permissions` for what it may not do), unauthenticated reads of public
 * repositories only, `mergeable` null until computed, exact `git/ref` lookups, 409 on an empty repository,
 * case-insensitive labels, weak ETag comparison, and Link URLs in the `/repositories/{id}` form GitHub sends.
 */

export interface GitHubTestServerOptions {
  /** Tokens the server accepts: token → login (a classic token with full access), or → a grant that limits it. */
  tokens?: Record<string, string | TokenGrant>;
  /** A GitHub App whose installation tokens the server issues after checking the JWT's RS256 signature. */
  app?: {
    id: number;
    slug?: string;
    publicKey: string | KeyObject;
    installationIds: number[];
    /** What installation tokens may do (default: every permission at write, every repository). */
    permissions?: TokenGrant["permissions"];
    repositories?: string[];
  };
  /** Requests per hour per identity (x-ratelimit-limit). */
  rateLimit?: number;
  /** Requests per hour per address without a token (GitHub: 60). */
  unauthenticatedRateLimit?: number;
  /** GraphQL points per hour per identity (GitHub: 5,000). */
  graphqlRateLimit?: number;
  /**
   * GETs of a pull request answered with `mergeable: null` after it is opened or either branch moves, while GitHub
   * computes the test merge (default 1).
   */
  mergeableAfterReads?: number;
}

export type GitHubFault =
  | { status: number; message?: string; headers?: Record<string, string> }
  /** A secondary limit: 403 (default) or 429; `retryAfterSeconds: null` sends no retry-after header (default 1 s). */
  | { kind: "secondary-rate-limit"; retryAfterSeconds?: number | null; status?: 403 | 429 }
  | { kind: "primary-rate-limit"; resetInSeconds?: number; status?: 403 | 429 }
  /** Never answers (the socket stays open until the client gives up or the server closes). */
  | { kind: "timeout" }
  /** Drops the connection without an answer. */
  | { kind: "disconnect" }
  /** Does the work (a write lands in git), then drops the connection: the answer is lost, not the request. */
  | { kind: "drop-response" }
  /** Answers normally after a delay. */
  | { kind: "latency"; ms: number };

export type FaultRule = GitHubFault & {
  method?: string;
  /** Matched against the request path without the query and without an `/api/v3` prefix. */
  path?: RegExp;
  /** How many matching requests the fault applies to (default: until cleared). */
  times?: number;
};

export interface ServedRequest {
  method: string;
  /** As received: prefix and query included. */
  url: string;
  /** Path without query and prefix. */
  path: string;
  query: URLSearchParams;
  /** "GET /repos/{owner}/{repo}/commits"; undefined for unknown routes. */
  route?: string;
  /** 0 when the request was never answered (timeout or disconnect fault). */
  status: number;
  login?: string;
  faulted: boolean;
  headers: IncomingMessage["headers"];
  /** From arrival to the answer (0 while unanswered). */
  durationMs: number;
}


interface RateBucket {
  limit: number;
  remaining: number;
  reset: number;
}

interface Caller {
  login: string;
  type: "User" | "Bot";
  grant: TokenGrant;
}

interface RequestContext {
  method: string;
  url: URL;
  /** API root as the client addressed it (with /api/v3 when used). */
  api: string;
  /** Web root for html_url fields. */
  web: string;
  params: Record<string, string>;
  query: URLSearchParams;
  caller?: Caller;
  body: unknown;
  headers: IncomingMessage["headers"];
  /** The path Link URLs use: `/repositories/{id}/…` for repository routes, as GitHub sends them. */
  linkPath: string;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (ctx: RequestContext) => Promise<Reply>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  /** App routes are authenticated by JWT, not by token. */
  appAuth: boolean;
  /** What a fine-grained token needs, as GitHub lists it in x-accepted-github-permissions. */
  accepted?: AcceptedPermissions;
  handler: Handler;
}

/** An HTTP error answer, thrown from handlers. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

const DOCS = "https://docs.github.com/rest";

function apiError(status: number, message: string, documentationUrl = DOCS, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(status, { message, documentation_url: documentationUrl, ...extra, status: String(status) });
}

function validationFailed(errors: Record<string, unknown>[], documentationUrl = DOCS): ApiError {
  return apiError(422, "Validation Failed", documentationUrl, { errors });
}

const notFound = (documentationUrl = DOCS) => apiError(404, "Not Found", documentationUrl);


export interface GitHubTestServer {
  /** Base URL for Octokit (github.com style). */
  url: string;
  /** The same server addressed like GitHub Enterprise Server: `<url>/api/v3`. */
  enterpriseUrl: string;
  createRepository(fullName: string, options?: TestRepositoryOptions): Promise<TestRepository>;
  repository(fullName: string): TestRepository;
  addToken(token: string, login: string | TokenGrant): void;
  /** Faults apply in the order injected; returns a function that removes the rule. */
  inject(rule: FaultRule): () => void;
  injectOnce(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Added before every answer. */
  latencyMs: number;
  /** Reads of a pull request answered with `mergeable: null` after it opens or a branch moves (option's value first). */
  mergeableAfterReads: number;
  /** Every request, in arrival order. */
  requests: ServedRequest[];
  /** Requests to `route` ("GET /repos/{owner}/{repo}/commits"), optionally only those answered with `status`. */
  count(route: string, filter?: { status?: number }): number;
  resetRequests(): void;
  /** `login`'s REST ("core", the default) or GraphQL ("graphql", in points) rate limit. */
  rateLimit(login: string, resource?: "core" | "graphql"): { limit: number; remaining: number; used: number; reset: number };
  /**
   * Empties `login`'s primary rate limit until `resetInSeconds` from now: every REST request is a 403 (or 429) until
   * then; with `resource: "graphql"`, every query is answered as GitHub does, 200 with a RATE_LIMITED error.
   */
  exhaustRateLimit(login: string, resetInSeconds: number, options?: { status?: 403 | 429; resource?: "core" | "graphql" }): void;
  pullRequests(fullName: string): TestPullRequest[];
  /** Merges an open pull request like GitHub's merge button: a merge (or squash) commit on the base branch. */
  mergePullRequest(fullName: string, number: number, options?: { mergedBy?: string; squash?: boolean }): Promise<string>;
  closePullRequest(fullName: string, number: number): void;
  /** Commit statuses, check runs, branch protection and merges through the API (github-test-checks.ts). */
  checks: TestChecks;
  close(): Promise<void>;
}

const routeTable: Omit<Route, "handler">[] = [];

function defineRoute(method: string, template: string, accepted?: AcceptedPermissions, appAuth = false): Omit<Route, "handler"> {
  const names: string[] = [];
  const source = template
    .split("/")
    .map((segment) =>
      segment.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        // Paths and refs may arrive with raw slashes; everything else is one segment (slashes then come as %2F).
        return name === "path" || name === "ref" ? "(.+)" : "([^/]+)";
      }),
    )
    .join("/");
  const route = { method, template, pattern: new RegExp(`^${source}$`), names, appAuth, accepted };
  routeTable.push(route);
  return route;
}

// The permissions are GitHub's ("Permissions required for fine-grained personal access tokens").
const R = {
  getRepo: defineRoute("GET", "/repos/{owner}/{repo}", "metadata=read"),
  getBranch: defineRoute("GET", "/repos/{owner}/{repo}/branches/{branch}", "contents=read"),
  getRef: defineRoute("GET", "/repos/{owner}/{repo}/git/ref/{ref}", "contents=read"),
  getContent: defineRoute("GET", "/repos/{owner}/{repo}/contents/{path}", "contents=read"),
  listCommits: defineRoute("GET", "/repos/{owner}/{repo}/commits", "contents=read"),
  listTags: defineRoute("GET", "/repos/{owner}/{repo}/tags", "contents=read"),
  compare: defineRoute("GET", "/repos/{owner}/{repo}/compare/{basehead}", "contents=read"),
  createBlob: defineRoute("POST", "/repos/{owner}/{repo}/git/blobs", "contents=write"),
  getBlob: defineRoute("GET", "/repos/{owner}/{repo}/git/blobs/{file_sha}", "contents=read"),
  getGitCommit: defineRoute("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}", "contents=read"),
  createTree: defineRoute("POST", "/repos/{owner}/{repo}/git/trees", "contents=write"),
  createGitCommit: defineRoute("POST", "/repos/{owner}/{repo}/git/commits", "contents=write"),
  createRef: defineRoute("POST", "/repos/{owner}/{repo}/git/refs", "contents=write"),
  updateRef: defineRoute("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", "contents=write"),
  deleteRef: defineRoute("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}", "contents=write"),
  mergeIntoBranch: defineRoute("POST", "/repos/{owner}/{repo}/merges", "contents=write"),
  createPull: defineRoute("POST", "/repos/{owner}/{repo}/pulls", "pull_requests=write"),
  listPulls: defineRoute("GET", "/repos/{owner}/{repo}/pulls", "pull_requests=read"),
  getPull: defineRoute("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "pull_requests=read"),
  addLabels: defineRoute("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", "issues=write; pull_requests=write"),
  requestReviewers: defineRoute("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", "pull_requests=write"),
  installationToken: defineRoute("POST", "/app/installations/{installation_id}/access_tokens", undefined, true),
};
/** CI and the merge button: github-test-checks.ts. */
const C = Object.fromEntries(
  Object.entries(CHECK_ROUTES).map(([name, route]) => [name, defineRoute(route.method, route.template, route.accepted)]),
) as Record<CheckRouteName, Omit<Route, "handler">>;

/** The routes the server implements, as GitHub's OpenAPI description names them. */
export const GITHUB_TEST_SERVER_ROUTES: ReadonlyArray<{ method: string; template: string }> = routeTable.map(({ method, template }) => ({
  method,
  template,
}));

const CONTENT_SIZE_LIMIT = 1024 * 1024;

export async function startGitHubTestServer(options: GitHubTestServerOptions = {}): Promise<GitHubTestServer> {
  const root = mkdtempSync(path.join(tmpdir(), "github-test-server-"));
  const repositories = new Map<string, TestRepository>();
  const userCaller = (given: string | TokenGrant): Caller => {
    const grant = typeof given === "string" ? { login: given } : given;
    return { login: grant.login, type: "User", grant };
  };
  const tokens = new Map<string, Caller>(Object.entries(options.tokens ?? {}).map(([token, given]) => [token, userCaller(given)]));
  const buckets = new Map<string, RateBucket>();
  /** The status an exhausted primary limit answers with, per login (GitHub sends 403 or 429). */
  const exhaustedStatus = new Map<string, 403 | 429>();
  const pulls = new Map<string, TestPullRequest[]>();
  const faults = new FaultRules<FaultRule>();
  const requests: ServedRequest[] = [];
  const appPublicKey = options.app
    ? typeof options.app.publicKey === "string"
      ? createPublicKey(options.app.publicKey)
      : options.app.publicKey
    : undefined;
  const appSlug = options.app?.slug ?? "slipway-test";
  let nextRepoId = 1000;
  let nextPullId = 5000;
  let nextLabelId = 9000;
  let requestCounter = 0;
  let http: TestHttpServer | undefined;

  const hourlyLimit = options.rateLimit ?? 5000;
  const graphqlLimit = options.graphqlRateLimit ?? 5000;
  const graphqlBuckets = new Map<string, GraphqlRateBucket>();

  function graphqlBucket(login: string): GraphqlRateBucket {
    const now = Math.floor(Date.now() / 1000);
    let current = graphqlBuckets.get(login);
    if (!current || current.reset <= now) {
      current = { limit: graphqlLimit, remaining: graphqlLimit, reset: now + 3600 };
      graphqlBuckets.set(login, current);
    }
    return current;
  }

  function graphqlRateHeaders(login: string): Record<string, string> {
    const current = graphqlBucket(login);
    return {
      "x-ratelimit-limit": String(current.limit),
      "x-ratelimit-remaining": String(current.remaining),
      "x-ratelimit-reset": String(current.reset),
      "x-ratelimit-used": String(current.limit - current.remaining),
      "x-ratelimit-resource": "graphql",
    };
  }

  /** POST /graphql: GitHub answers every query it could read with 200, its problems in `errors`. */
  async function serveGraphql(request: IncomingMessage, record: ServedRequest, send: (status: number, body: unknown, headers: Record<string, string>) => void): Promise<void> {
    try {
      if (!request.headers["user-agent"]) throw apiError(403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.");
      if (!request.headers.authorization) {
        throw apiError(401, "This endpoint requires you to be authenticated.", "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql");
      }
      const caller = callerFor(request.headers.authorization)!;
      record.login = caller.login;
      const raw = await readBody(request);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw apiError(400, "Problems parsing JSON", "https://docs.github.com/graphql");
      }
      const reply = await answerGraphql(body, {
        caller: { login: caller.login, kind: caller.grant.kind === "installation" ? "installation" : "token" },
        bucket: graphqlBucket(caller.login),
        userId,
        repository: (fullName) => repositories.get(fullName.toLowerCase()),
        access: (repo, permission) =>
          decideRepositoryAccess({ grant: caller.grant, repo, accepted: permission === "metadata" ? "metadata=read" : "contents=read", write: false }).allowed,
      });
      return send(200, reply.body, graphqlRateHeaders(caller.login));
    } catch (error) {
      if (error instanceof ApiError) return send(error.status, error.body, error.headers);
      throw error;
    }
  }
  const unauthenticatedLimit = options.unauthenticatedRateLimit ?? 60;
  /** Per pull request id: the branch heads the test merge was computed for, and reads left until it is known. */
  const mergeability = new Map<number, { head: string; base: string; pendingReads: number }>();

  /** Rate buckets are per login, or per address (`ip:…`) for unauthenticated callers. */
  function bucket(login: string): RateBucket {
    const now = Math.floor(Date.now() / 1000);
    let current = buckets.get(login);
    if (!current || current.reset <= now) {
      const limit = login.startsWith("ip:") ? unauthenticatedLimit : hourlyLimit;
      current = { limit, remaining: limit, reset: now + 3600 };
      buckets.set(login, current);
    }
    return current;
  }

  const shapes = createJsonShapes((repo) => (pulls.get(repo.fullName) ?? []).filter((pull) => pull.state === "open").length);
  const { userId, repositoryJson, commitJson, gitCommitJson, labelJson, pullJson } = shapes;

  function repoFor(ctx: RequestContext): TestRepository {
    const repo = repositories.get(`${ctx.params.owner}/${ctx.params.repo}`.toLowerCase());
    if (!repo) throw notFound(`${DOCS}/repos/repos#get-a-repository`);
    return repo;
  }

  async function nonEmptyRepoFor(ctx: RequestContext): Promise<TestRepository> {
    const repo = repoFor(ctx);
    if (await repo.isEmpty()) throw apiError(409, "Git Repository is empty.");
    return repo;
  }

  function pagination(ctx: RequestContext, defaultPerPage = 30) {
    const perPage = Math.min(100, Math.max(1, Number(ctx.query.get("per_page")) || defaultPerPage));
    const page = Math.max(1, Math.floor(Number(ctx.query.get("page")) || 1));
    return { perPage, page, offset: (page - 1) * perPage };
  }

  /**
   * GitHub's Link header: prev/next/last/first where they apply, each the request's query with another `page`, on the
   * repository's numeric path (`https://api.github.com/repositories/1296269/commits?page=2`), not the owner/name one.
   */
  function linkHeader(ctx: RequestContext, page: number, lastPage: number): Record<string, string> {
    const at = (n: number) => {
      const url = new URL(`${ctx.api}${ctx.linkPath}`);
      url.search = ctx.url.search;
      url.searchParams.set("page", String(n));
      return `<${url.href}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
    if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
    if (page > 1) links.push(`${at(1)}; rel="first"`);
    return links.length > 0 ? { link: links.join(", ") } : {};
  }

  function paged<T>(ctx: RequestContext, items: T[], defaultPerPage = 30): Reply {
    const { perPage, page, offset } = pagination(ctx, defaultPerPage);
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    return { status: 200, body: items.slice(offset, offset + perPage), headers: linkHeader(ctx, page, lastPage) };
  }

  function requireObjectBody(ctx: RequestContext): Record<string, unknown> {
    if (typeof ctx.body !== "object" || ctx.body === null || Array.isArray(ctx.body)) {
      throw apiError(400, "Problems parsing JSON");
    }
    return ctx.body as Record<string, unknown>;
  }

  function missingField(field: string, documentationUrl: string): ApiError {
    return apiError(422, `Invalid request.\n\n"${field}" wasn't supplied.`, documentationUrl);
  }

  /**
   * GitHub computes a pull request's test merge in the background after it is opened and after either branch moves:
   * until then `mergeable` is null and `mergeable_state` "unknown". Here the first `mergeableAfterReads` reads after
   * such a change see null; later reads see whether the branches merge cleanly.
   */
  async function mergeableFor(repo: TestRepository, pull: TestPullRequest): Promise<{ mergeable: boolean | null; state: string }> {
    if (pull.state !== "open") return { mergeable: null, state: "unknown" };
    const head = (await resolveCommit(repo.dir, `refs/heads/${pull.head.ref}`)) ?? pull.head.sha;
    const base = (await resolveCommit(repo.dir, `refs/heads/${pull.base.ref}`)) ?? pull.base.sha;
    let entry = mergeability.get(pull.id);
    if (!entry || entry.head !== head || entry.base !== base) {
      entry = { head, base, pendingReads: server.mergeableAfterReads };
      mergeability.set(pull.id, entry);
    }
    if (entry.pendingReads > 0) {
      entry.pendingReads--;
      return { mergeable: null, state: "unknown" };
    }
    const clean = await gitText(repo.dir, ["merge-tree", "--write-tree", base, head]).then(
      () => true,
      () => false,
    );
    return { mergeable: clean, state: clean ? "clean" : "dirty" };
  }

  function findPull(repo: TestRepository, number: string): TestPullRequest {
    const pull = (pulls.get(repo.fullName) ?? []).find((candidate) => candidate.number === Number(number));
    if (!pull) throw notFound(`${DOCS}/pulls/pulls#get-a-pull-request`);
    return pull;
  }

  const checks = createChecks({
    repoFor,
    repository: (fullName) => server.repository(fullName),
    findPull,
    pullRequests: (repo) => pulls.get(repo.fullName) ?? [],
    pagination,
    linkHeader,
    requireObjectBody,
    apiError,
    validationFailed,
    shapes,
  });

  const handlers = new Map<Omit<Route, "handler">, Handler>([
    ...(Object.entries(checks.handlers) as [CheckRouteName, Handler][]).map(([name, handler]) => [C[name], handler] as const),
    [R.getRepo, async (ctx) => ({ status: 200, body: repositoryJson(ctx, repoFor(ctx), true) })],

    [
      R.getBranch,
      async (ctx) => {
        const repo = repoFor(ctx);
        const branch = ctx.params.branch!;
        const sha = await resolveCommit(repo.dir, `refs/heads/${branch}`);
        if (!sha) throw apiError(404, "Branch not found", `${DOCS}/branches/branches#get-a-branch`);
        const commit = (await readCommit(repo.dir, sha))!;
        const url = `${ctx.api}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}`;
        return {
          status: 200,
          body: {
            name: branch,
            commit: commitJson(ctx, repo, commit),
            _links: { self: url, html: `${ctx.web}/${repo.fullName}/tree/${branch}` },
            protected: false,
            protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
            protection_url: `${url}/protection`,
          },
        };
      },
    ],

    [
      R.getRef,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const ref = `refs/${ctx.params.ref}`;
        // for-each-ref matches `refs/heads/env` against `refs/heads/env/prod` too; GitHub's git/ref is exact (the
        // prefix lookup is git/matching-refs), so only a line naming the ref itself counts.
        const listing = await gitText(repo.dir, ["for-each-ref", "--format=%(refname) %(objectname) %(objecttype)", ref]);
        const line = listing.split("\n").find((candidate) => candidate.split(" ")[0] === ref);
        if (!line) throw notFound(`${DOCS}/git/refs#get-a-reference`);
        const [, objectSha, type] = line.split(" ");
        return {
          status: 200,
          body: {
            ref,
            node_id: nodeId("Ref", ref),
            url: `${ctx.api}/repos/${repo.fullName}/git/${ref}`,
            object: { type, sha: objectSha, url: `${ctx.api}/repos/${repo.fullName}/git/${type}s/${objectSha}` },
          },
        };
      },
    ],

    [
      R.getContent,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const docs = `${DOCS}/repos/contents#get-repository-content`;
        const ref = ctx.query.get("ref") ?? repo.defaultBranch;
        const sha = await resolveCommit(repo.dir, ref);
        if (!sha) throw apiError(404, `No commit found for the ref ${ref}`, docs);
        const filePath = ctx.params.path!.replace(/^\/+|\/+$/g, "");
        const listing = (await gitText(repo.dir, ["ls-tree", "-l", sha, "--", filePath])).trim();
        if (!listing) throw notFound(docs);
        const [meta, name] = listing.split("\t") as [string, string];
        const [mode, type, objectSha, size] = meta.split(/\s+/) as [string, string, string, string];
        const base = `${ctx.api}/repos/${repo.fullName}`;
        const entry = (entryPath: string, entryType: string, entrySha: string, entrySize: number) => {
          const self = `${base}/contents/${entryPath}?ref=${encodeURIComponent(ref)}`;
          const git = `${base}/git/${entryType === "dir" ? "trees" : "blobs"}/${entrySha}`;
          const html = `${ctx.web}/${repo.fullName}/${entryType === "dir" ? "tree" : "blob"}/${ref}/${entryPath}`;
          return {
            type: entryType,
            size: entrySize,
            name: path.posix.basename(entryPath),
            path: entryPath,
            sha: entrySha,
            url: self,
            git_url: git,
            html_url: html,
            download_url: entryType === "file" ? `${ctx.web}/raw/${repo.fullName}/${ref}/${entryPath}` : null,
            _links: { self, git, html },
          };
        };
        if (type === "tree") {
          const children = (await gitText(repo.dir, ["ls-tree", "-l", `${sha}:${filePath}`]))
            .split("\n")
            .filter(Boolean)
            .map((line) => {
              const [childMeta, childName] = line.split("\t") as [string, string];
              const [, childType, childSha, childSize] = childMeta.split(/\s+/) as [string, string, string, string];
              const kind = childType === "tree" ? "dir" : childType === "commit" ? "submodule" : "file";
              return entry(`${filePath}/${childName}`, kind, childSha, Number(childSize) || 0);
            });
          return { status: 200, body: children };
        }
        if (type !== "blob") throw notFound(docs);
        const bytes = await gitBuffer(repo.dir, ["cat-file", "blob", objectSha]);
        if (mode === "120000") {
          return { status: 200, body: { ...entry(name, "symlink", objectSha, bytes.length), target: bytes.toString("utf8") } };
        }
        // Over 1 MB GitHub leaves `content` empty with encoding "none"; the blob API serves it instead.
        const large = Number(size) > CONTENT_SIZE_LIMIT;
        return {
          status: 200,
          body: {
            ...entry(name, "file", objectSha, Number(size)),
            encoding: large ? "none" : "base64",
            content: large ? "" : (bytes.toString("base64").match(/.{1,60}/g) ?? []).join("\n") + (bytes.length ? "\n" : ""),
          },
        };
      },
    ],

    [
      R.getBlob,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const sha = ctx.params.file_sha!;
        if ((await objectType(repo.dir, sha)) !== "blob") throw notFound(`${DOCS}/git/blobs#get-a-blob`);
        const bytes = await gitBuffer(repo.dir, ["cat-file", "blob", sha]);
        return {
          status: 200,
          body: {
            sha,
            node_id: nodeId("Blob", sha),
            size: bytes.length,
            url: `${ctx.api}/repos/${repo.fullName}/git/blobs/${sha}`,
            content: (bytes.toString("base64").match(/.{1,60}/g) ?? []).join("\n") + "\n",
            encoding: "base64",
          },
        };
      },
    ],

    [
      R.listCommits,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const ref = ctx.query.get("sha") ?? repo.defaultBranch;
        const head = await resolveCommit(repo.dir, ref);
        if (!head) throw apiError(404, `No commit found for SHA: ${ref}`, `${DOCS}/commits/commits#list-commits`);
        const filter = ctx.query.get("path") ? ["--", ctx.query.get("path")!] : [];
        const { perPage, page, offset } = pagination(ctx);
        const total = Number((await gitText(repo.dir, ["rev-list", "--count", head, ...filter])).trim());
        const commits = await logCommits(repo.dir, [`--skip=${offset}`, "-n", String(perPage), head, ...filter]);
        return {
          status: 200,
          body: commits.map((commit) => commitJson(ctx, repo, commit)),
          headers: linkHeader(ctx, page, Math.max(1, Math.ceil(total / perPage))),
        };
      },
    ],

    [
      R.listTags,
      async (ctx) => {
        const repo = repoFor(ctx);
        const out = await gitText(repo.dir, ["for-each-ref", "--sort=-v:refname", "--format=%(refname:strip=2)\x1f%(objectname)\x1f%(*objectname)", "refs/tags"]);
        const base = `${ctx.api}/repos/${repo.fullName}`;
        const tags = out
          .split("\n")
          .filter(Boolean)
          .map((line) => {
            const [name, object, peeled] = line.split("\x1f") as [string, string, string];
            const sha = peeled || object;
            return {
              name,
              commit: { sha, url: `${base}/commits/${sha}` },
              zipball_url: `${base}/zipball/refs/tags/${name}`,
              tarball_url: `${base}/tarball/refs/tags/${name}`,
              node_id: nodeId("Ref", `refs/tags/${name}`),
            };
          });
        return paged(ctx, tags);
      },
    ],

    [
      R.compare,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const docs = `${DOCS}/commits/commits#compare-two-commits`;
        const basehead = ctx.params.basehead!;
        const split = basehead.indexOf("...");
        if (split < 0) throw notFound(docs);
        const baseRef = basehead.slice(0, split);
        const headRef = basehead.slice(split + 3);
        const base = await resolveCommit(repo.dir, baseRef);
        const head = await resolveCommit(repo.dir, headRef);
        if (!base || !head) throw notFound(docs);
        const mergeBase = (await gitText(repo.dir, ["merge-base", base, head]).catch(() => "")).trim();
        if (!mergeBase) throw apiError(404, `No common ancestor between ${baseRef} and ${headRef}.`, docs);
        const ahead = await logCommits(repo.dir, ["--reverse", `${base}..${head}`]);
        const behindBy = Number((await gitText(repo.dir, ["rev-list", "--count", `${head}..${base}`])).trim());
        // Without paging parameters GitHub returns up to 250 commits; with them, pages of per_page (max 100).
        const paging = ctx.query.has("per_page") || ctx.query.has("page");
        const { perPage, page, offset } = paging ? pagination(ctx) : { perPage: 250, page: 1, offset: 0 };
        const files = page === 1 ? await compareFiles(ctx, repo, mergeBase, head) : [];
        const url = `${ctx.api}/repos/${repo.fullName}/compare/${basehead}`;
        return {
          status: 200,
          body: {
            url,
            html_url: `${ctx.web}/${repo.fullName}/compare/${basehead}`,
            permalink_url: `${ctx.web}/${repo.fullName}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
            diff_url: `${ctx.web}/${repo.fullName}/compare/${basehead}.diff`,
            patch_url: `${ctx.web}/${repo.fullName}/compare/${basehead}.patch`,
            base_commit: commitJson(ctx, repo, (await readCommit(repo.dir, base))!),
            merge_base_commit: commitJson(ctx, repo, (await readCommit(repo.dir, mergeBase))!),
            status: ahead.length === 0 && behindBy === 0 ? "identical" : behindBy === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged",
            ahead_by: ahead.length,
            behind_by: behindBy,
            total_commits: ahead.length,
            commits: ahead.slice(offset, offset + perPage).map((commit) => commitJson(ctx, repo, commit)),
            files,
          },
          headers: linkHeader(ctx, page, Math.max(1, Math.ceil(ahead.length / perPage))),
        };
      },
    ],

    [
      R.createBlob,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/git/blobs#create-a-blob`;
        if (typeof body.content !== "string") throw missingField("content", docs);
        const encoding = body.encoding ?? "utf-8";
        if (encoding !== "utf-8" && encoding !== "base64") {
          throw validationFailed([{ resource: "Blob", field: "encoding", code: "invalid" }], docs);
        }
        const bytes = Buffer.from(body.content, encoding === "base64" ? "base64" : "utf8");
        const sha = (await gitText(repo.dir, ["hash-object", "-w", "--stdin"], { input: bytes })).trim();
        const url = `${ctx.api}/repos/${repo.fullName}/git/blobs/${sha}`;
        return { status: 201, body: { url, sha }, headers: { location: url } };
      },
    ],

    [
      R.getGitCommit,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const commit = await readCommit(repo.dir, ctx.params.commit_sha!);
        if (!commit) throw notFound(`${DOCS}/git/commits#get-a-commit-object`);
        return { status: 200, body: gitCommitJson(ctx, repo, commit) };
      },
    ],

    [
      R.createTree,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/git/trees#create-a-tree`;
        if (!Array.isArray(body.tree)) throw missingField("tree", docs);
        const baseTree = typeof body.base_tree === "string" ? body.base_tree : undefined;
        if (baseTree && (await objectType(repo.dir, baseTree)) !== "tree") {
          throw apiError(422, `base_tree ${baseTree} is not a valid tree oid`, docs);
        }
        const entries: IndexEntry[] = [];
        const subtrees: { path: string; sha: string }[] = [];
        for (const raw of body.tree as Record<string, unknown>[]) {
          const entryPath = raw.path;
          const mode = raw.mode;
          const type = raw.type ?? "blob";
          if (typeof entryPath !== "string" || !entryPath) throw missingField("path", docs);
          if (entryPath.startsWith("/")) throw apiError(422, "tree.path cannot start with a slash", docs);
          if (typeof mode !== "string" || !["100644", "100755", "040000", "120000"].includes(mode)) {
            throw apiError(422, `tree.mode ${String(mode)} is not valid`, docs);
          }
          if (raw.sha === null) {
            entries.push({ path: entryPath, sha: null });
            continue;
          }
          let sha: string;
          if (typeof raw.content === "string") {
            sha = (await gitText(repo.dir, ["hash-object", "-w", "--stdin"], { input: raw.content })).trim();
          } else if (typeof raw.sha === "string") {
            sha = raw.sha;
            if ((await objectType(repo.dir, sha)) !== type) throw apiError(422, `tree.sha ${sha} is not a valid ${String(type)}`, docs);
          } else {
            throw apiError(422, "Must supply either tree.sha or tree.content", docs);
          }
          if (type === "tree") subtrees.push({ path: entryPath.replace(/\/+$/, ""), sha });
          else entries.push({ path: entryPath, mode, sha });
        }
        const sha = await writeTree(repo.dir, baseTree, entries, subtrees);
        const listing = await gitText(repo.dir, ["ls-tree", "-l", sha]);
        const base = `${ctx.api}/repos/${repo.fullName}`;
        const url = `${base}/git/trees/${sha}`;
        return {
          status: 201,
          headers: { location: url },
          body: {
            sha,
            url,
            truncated: false,
            tree: listing
              .split("\n")
              .filter(Boolean)
              .map((line) => {
                const [meta, name] = line.split("\t") as [string, string];
                const [entryMode, entryType, entrySha, size] = meta.split(/\s+/) as [string, string, string, string];
                return {
                  path: name,
                  mode: entryMode,
                  type: entryType,
                  sha: entrySha,
                  ...(entryType === "blob" ? { size: Number(size) } : {}),
                  url: `${base}/git/${entryType}s/${entrySha}`,
                };
              }),
          },
        };
      },
    ],

    [
      R.createGitCommit,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/git/commits#create-a-commit`;
        if (typeof body.message !== "string") throw missingField("message", docs);
        if (typeof body.tree !== "string") throw missingField("tree", docs);
        if ((await objectType(repo.dir, body.tree)) !== "tree") throw apiError(422, "Tree SHA does not exist", docs);
        const parents = Array.isArray(body.parents) ? (body.parents as unknown[]).map(String) : [];
        for (const parent of parents) {
          if ((await objectType(repo.dir, parent)) !== "commit") throw apiError(422, "Parent SHA does not exist or is not a commit object", docs);
        }
        const caller = ctx.caller!;
        const fallback = { name: caller.login, email: `${userId(caller.login)}+${caller.login}@users.noreply.github.com` };
        const person = (value: unknown) => {
          const given = (value ?? {}) as { name?: unknown; email?: unknown; date?: unknown };
          if (value !== undefined && (typeof given.name !== "string" || typeof given.email !== "string")) {
            throw apiError(422, `Invalid request.\n\n"name" and "email" are required for author and committer.`, docs);
          }
          return {
            name: typeof given.name === "string" ? given.name : fallback.name,
            email: typeof given.email === "string" ? given.email : fallback.email,
            ...(typeof given.date === "string" ? { date: given.date } : {}),
          };
        };
        const author = person(body.author);
        const committer = body.committer === undefined ? { ...author, date: undefined } : person(body.committer);
        const sha = await commitTree(repo.dir, body.tree, parents, body.message, author, committer);
        const json = gitCommitJson(ctx, repo, (await readCommit(repo.dir, sha))!);
        return { status: 201, body: json, headers: { location: json.url } };
      },
    ],

    [
      R.createRef,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/git/refs#create-a-reference`;
        if (typeof body.ref !== "string") throw missingField("ref", docs);
        if (typeof body.sha !== "string") throw missingField("sha", docs);
        const ref = body.ref;
        if (!ref.startsWith("refs/") || ref.split("/").length < 3) {
          throw apiError(422, "Reference name must start with 'refs/' and have at least two slashes.", docs);
        }
        const valid = await gitText(repo.dir, ["check-ref-format", ref]).then(
          () => true,
          () => false,
        );
        if (!valid) throw apiError(422, `${ref} is not a valid ref name.`, docs);
        const type = await objectType(repo.dir, body.sha);
        if (!type || body.sha.length !== 40) throw apiError(422, "Object does not exist", docs);
        try {
          // The all-zero old value makes creation atomic: two racing creates cannot both win.
          await gitText(repo.dir, ["update-ref", ref, body.sha, ZERO_SHA]);
        } catch {
          // GitHub tells the two apart: the exact ref is there, or git refused (`env` while `env/prod` exists).
          const exists = (await gitText(repo.dir, ["for-each-ref", "--format=%(refname)", ref])).split("\n").includes(ref);
          throw apiError(422, exists ? "Reference already exists" : "Reference update failed", docs);
        }
        const url = `${ctx.api}/repos/${repo.fullName}/git/${ref}`;
        return {
          status: 201,
          headers: { location: url },
          body: {
            ref,
            node_id: nodeId("Ref", ref),
            url,
            object: { type, sha: body.sha, url: `${ctx.api}/repos/${repo.fullName}/git/${type}s/${body.sha}` },
          },
        };
      },
    ],

    [
      R.updateRef,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/git/refs#update-a-reference`;
        if (typeof body.sha !== "string") throw missingField("sha", docs);
        const ref = `refs/${ctx.params.ref}`;
        const current = (await gitText(repo.dir, ["for-each-ref", "--format=%(refname) %(objectname)", ref])).split("\n").find((line) => line.startsWith(`${ref} `));
        if (!current) throw apiError(422, "Reference does not exist", docs);
        const type = await objectType(repo.dir, body.sha);
        if (!type || body.sha.length !== 40) throw apiError(422, "Object does not exist", docs);
        const old = current.split(" ")[1]!;
        // force: false (the default) updates only by fast-forward, as GitHub does.
        const fastForward = await gitText(repo.dir, ["merge-base", "--is-ancestor", old, body.sha]).then(
          () => true,
          () => false,
        );
        if (body.force !== true && !fastForward) throw apiError(422, "Update is not a fast forward", docs);
        await gitText(repo.dir, ["update-ref", ref, body.sha, old]);
        const url = `${ctx.api}/repos/${repo.fullName}/git/${ref}`;
        return {
          status: 200,
          body: { ref, node_id: nodeId("Ref", ref), url, object: { type, sha: body.sha, url: `${ctx.api}/repos/${repo.fullName}/git/${type}s/${body.sha}` } },
        };
      },
    ],

    [
      R.deleteRef,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const ref = `refs/${ctx.params.ref}`;
        const current = (await gitText(repo.dir, ["for-each-ref", "--format=%(refname) %(objectname)", ref])).split("\n").find((line) => line.startsWith(`${ref} `));
        if (!current) throw apiError(422, "Reference does not exist", `${DOCS}/git/refs#delete-a-reference`);
        await gitText(repo.dir, ["update-ref", "-d", ref, current.split(" ")[1]!]);
        return { status: 204 };
      },
    ],

    [
      // git merge on GitHub's side: 201 with the merge commit, 204 when base already holds head, 409 on a conflict.
      R.mergeIntoBranch,
      async (ctx) => {
        const repo = await nonEmptyRepoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/branches/branches#merge-a-branch`;
        if (typeof body.base !== "string") throw missingField("base", docs);
        if (typeof body.head !== "string") throw missingField("head", docs);
        const base = await resolveCommit(repo.dir, `refs/heads/${body.base}`);
        if (!base) throw apiError(404, "Base does not exist", docs);
        // The head is a branch name or a commit SHA1.
        const head =
          /^[0-9a-f]{40}$/.test(body.head) && (await objectType(repo.dir, body.head)) === "commit" ? body.head : await resolveCommit(repo.dir, `refs/heads/${body.head}`);
        if (!head) throw apiError(404, "Head does not exist", docs);
        const merged = await gitText(repo.dir, ["merge-base", "--is-ancestor", head, base]).then(
          () => true,
          () => false,
        );
        if (merged) return { status: 204 };
        const tree = await gitText(repo.dir, ["merge-tree", "--write-tree", "--no-messages", base, head]).then(
          (out) => out.trim().split("\n")[0]!,
          () => undefined,
        );
        if (!tree) throw apiError(409, "Merge conflict", docs);
        const caller = ctx.caller!;
        const who = { name: caller.login, email: `${userId(caller.login)}+${caller.login}@users.noreply.github.com` };
        const message = typeof body.commit_message === "string" ? body.commit_message : `Merge ${body.head} into ${body.base}`;
        const sha = await commitTree(repo.dir, tree, [base, head], message, who, who);
        await gitText(repo.dir, ["update-ref", `refs/heads/${body.base}`, sha, base]);
        return { status: 201, body: commitJson(ctx, repo, (await readCommit(repo.dir, sha))!) };
      },
    ],

    [
      R.createPull,
      async (ctx) => {
        const repo = repoFor(ctx);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/pulls/pulls#create-a-pull-request`;
        const missing = ["title", "head", "base"].filter((field) => typeof body[field] !== "string" || !body[field]);
        if (missing.length > 0) {
          throw validationFailed(missing.map((field) => ({ resource: "PullRequest", field, code: "missing_field" })), docs);
        }
        const base = body.base as string;
        const headSpec = body.head as string;
        const headRef = headSpec.includes(":") ? headSpec.slice(headSpec.indexOf(":") + 1) : headSpec;
        if (headSpec.includes(":") && headSpec.slice(0, headSpec.indexOf(":")).toLowerCase() !== repo.owner.toLowerCase()) {
          throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }], docs);
        }
        const baseSha = await resolveCommit(repo.dir, `refs/heads/${base}`);
        const headSha = await resolveCommit(repo.dir, `refs/heads/${headRef}`);
        const invalid = [...(baseSha ? [] : ["base"]), ...(headSha ? [] : ["head"])];
        if (invalid.length > 0) {
          throw validationFailed(invalid.map((field) => ({ resource: "PullRequest", field, code: "invalid" })), docs);
        }
        const list = pulls.get(repo.fullName) ?? [];
        if (list.some((pull) => pull.state === "open" && pull.head.ref === headRef && pull.base.ref === base)) {
          throw validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${headRef}.` }], docs);
        }
        const ahead = Number((await gitText(repo.dir, ["rev-list", "--count", `${baseSha}..${headSha}`])).trim());
        if (ahead === 0) {
          throw validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${headRef}` }], docs);
        }
        const now = new Date();
        const pull: TestPullRequest = {
          id: nextPullId++,
          number: list.length + 1,
          repo: repo.fullName,
          title: body.title as string,
          body: typeof body.body === "string" ? body.body : null,
          state: "open",
          draft: body.draft === true,
          user: ctx.caller!.login,
          head: { ref: headRef, sha: headSha! },
          base: { ref: base, sha: baseSha! },
          labels: [],
          requestedReviewers: [],
          requestedTeams: [],
          createdAt: now,
          updatedAt: now,
          closedAt: null,
          mergedAt: null,
          mergeCommitSha: null,
          mergedBy: null,
        };
        pulls.set(repo.fullName, [...list, pull]);
        const json = await pullJson(ctx, repo, pull, true, { mergeable: null, state: "unknown" });
        return { status: 201, body: json, headers: { location: json.url as string } };
      },
    ],

    [
      R.listPulls,
      async (ctx) => {
        const repo = repoFor(ctx);
        const state = ctx.query.get("state") ?? "open";
        const head = ctx.query.get("head");
        const base = ctx.query.get("base");
        const selected = (pulls.get(repo.fullName) ?? [])
          .filter((pull) => state === "all" || pull.state === state)
          .filter((pull) => {
            if (!head) return true;
            const [owner, ref] = head.includes(":") ? head.split(":", 2) : [repo.owner, head];
            return owner!.toLowerCase() === repo.owner.toLowerCase() && pull.head.ref === ref;
          })
          .filter((pull) => !base || pull.base.ref === base);
        const ordered = ctx.query.get("direction") === "asc" ? selected : [...selected].reverse();
        const { perPage, page, offset } = pagination(ctx);
        const slice = ordered.slice(offset, offset + perPage);
        return {
          status: 200,
          body: await Promise.all(slice.map((pull) => pullJson(ctx, repo, pull, false))),
          headers: linkHeader(ctx, page, Math.max(1, Math.ceil(ordered.length / perPage))),
        };
      },
    ],

    [
      R.getPull,
      async (ctx) => {
        const repo = repoFor(ctx);
        const pull = findPull(repo, ctx.params.pull_number!);
        return { status: 200, body: await pullJson(ctx, repo, pull, true, await mergeableFor(repo, pull)) };
      },
    ],

    [
      R.addLabels,
      async (ctx) => {
        const repo = repoFor(ctx);
        const pull = (pulls.get(repo.fullName) ?? []).find((candidate) => candidate.number === Number(ctx.params.issue_number));
        if (!pull) throw notFound(`${DOCS}/issues/labels#add-labels-to-an-issue`);
        const body = ctx.body;
        const names = Array.isArray(body)
          ? body
          : Array.isArray((body as { labels?: unknown })?.labels)
            ? ((body as { labels: unknown[] }).labels as unknown[])
            : undefined;
        if (!names || names.some((name) => typeof name !== "string" || !name)) {
          throw validationFailed([{ resource: "Label", field: "name", code: "invalid" }], `${DOCS}/issues/labels#add-labels-to-an-issue`);
        }
        for (const given of names as string[]) {
          // Label names are case-insensitive on GitHub: "Slipway" reuses an existing "slipway", under its own name.
          const name = [...repo.labels.keys()].find((existing) => existing.toLowerCase() === given.toLowerCase()) ?? given;
          // An empty description, not null: the list schema (pull-request-simple) documents it as a non-null string.
          if (!repo.labels.has(name)) repo.labels.set(name, { id: nextLabelId++, color: "ededed", description: "" });
          if (!pull.labels.includes(name)) pull.labels.push(name);
        }
        pull.updatedAt = new Date();
        return { status: 200, body: pull.labels.map((name) => labelJson(ctx, repo, name)) };
      },
    ],

    [
      R.requestReviewers,
      async (ctx) => {
        const repo = repoFor(ctx);
        const pull = findPull(repo, ctx.params.pull_number!);
        const body = requireObjectBody(ctx);
        const docs = `${DOCS}/pulls/review-requests#request-reviewers-for-a-pull-request`;
        const users = Array.isArray(body.reviewers) ? (body.reviewers as unknown[]).map(String) : [];
        const teams = Array.isArray(body.team_reviewers) ? (body.team_reviewers as unknown[]).map(String) : [];
        if (users.some((login) => login.toLowerCase() === pull.user.toLowerCase())) {
          throw apiError(422, "Review cannot be requested from pull request author.", docs);
        }
        const strangers = [
          ...users.filter((login) => !repo.collaborators.has(login)),
          ...teams.filter((slug) => !repo.teams.has(slug)),
        ];
        if (strangers.length > 0) {
          throw apiError(
            422,
            `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.fullName} repository.`,
            docs,
          );
        }
        for (const login of users) if (!pull.requestedReviewers.includes(login)) pull.requestedReviewers.push(login);
        for (const slug of teams) if (!pull.requestedTeams.includes(slug)) pull.requestedTeams.push(slug);
        pull.updatedAt = new Date();
        return { status: 201, body: await pullJson(ctx, repo, pull, false) };
      },
    ],

    [
      R.installationToken,
      async (ctx) => {
        const installationId = Number(ctx.params.installation_id);
        if (!options.app?.installationIds.includes(installationId)) {
          throw notFound(`${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`);
        }
        const token = `ghs_${randomBytes(18).toString("hex")}`;
        const login = `${appSlug}[bot]`;
        const grant: TokenGrant = { login, kind: "installation", permissions: options.app.permissions, repositories: options.app.repositories };
        tokens.set(token, { login, type: "Bot", grant });
        return {
          status: 201,
          body: {
            token,
            expires_at: isoSeconds(new Date(Date.now() + 3600_000)),
            permissions: options.app.permissions ?? { contents: "write", pull_requests: "write", issues: "write", metadata: "read" },
            repository_selection: options.app.repositories ? "selected" : "all",
          },
        };
      },
    ],
  ]);

  /** Checks an App JWT the way GitHub does: RS256 over header.payload with the App's public key, iss, iat, exp. */
  function verifyAppJwt(authorization: string | undefined): void {
    const denied = (message: string) => apiError(401, message, DOCS);
    const match = /^bearer\s+(.+)$/i.exec(authorization ?? "");
    if (!match || !appPublicKey || !options.app) throw denied("A JSON web token could not be decoded");
    const parts = match[1]!.split(".");
    if (parts.length !== 3) throw denied("A JSON web token could not be decoded");
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: { alg?: string };
    let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8"));
      payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
    } catch {
      throw denied("A JSON web token could not be decoded");
    }
    const signed = verify(
      "sha256",
      Buffer.from(`${headerPart}.${payloadPart}`),
      appPublicKey,
      Buffer.from(signaturePart, "base64url"),
    );
    if (header.alg !== "RS256" || !signed) throw denied("A JSON web token could not be decoded");
    const now = Math.floor(Date.now() / 1000);
    if (String(payload.iss) !== String(options.app.id)) throw denied("'Issuer' claim ('iss') must be an Integer");
    if (typeof payload.iat !== "number" || payload.iat > now + 60) {
      throw denied("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.");
    }
    if (typeof payload.exp !== "number" || payload.exp <= now) throw denied("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.");
    if (payload.exp - payload.iat > 660) throw denied("'Expiration time' claim ('exp') is too far in the future.");
  }

  /** The caller a token names; undefined without an Authorization header (public reads are allowed then). */
  function callerFor(authorization: string | undefined): Caller | undefined {
    if (!authorization) return undefined;
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization);
    const caller = match ? tokens.get(match[1]!) : undefined;
    if (!caller) throw apiError(401, "Bad credentials", DOCS);
    return caller;
  }

  function matchFault(method: string, pathname: string): GitHubFault | undefined {
    return faults.take((rule) => (!rule.method || rule.method.toUpperCase() === method) && (!rule.path || rule.path.test(pathname)));
  }

  function rateHeaders(login: string | undefined): Record<string, string> {
    if (!login) return {};
    const current = bucket(login);
    return {
      "x-ratelimit-limit": String(current.limit),
      "x-ratelimit-remaining": String(current.remaining),
      "x-ratelimit-reset": String(current.reset),
      "x-ratelimit-used": String(current.limit - current.remaining),
      "x-ratelimit-resource": "core",
    };
  }

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  /** `/repositories/{id}/rest` (the form of GitHub's Link URLs) → `/repos/{owner}/{name}/rest`; other paths as they are. */
  function canonicalPath(pathname: string): string {
    const match = /^\/repositories\/(\d+)(\/.*)?$/.exec(pathname);
    if (!match) return pathname;
    const repo = [...repositories.values()].find((candidate) => candidate.id === Number(match[1]));
    return repo ? `/repos/${repo.fullName}${match[2] ?? ""}` : pathname;
  }

  /** The repository a `/repos/{owner}/{repo}/…` path names, if it exists. */
  function repositoryOf(pathname: string): { repo: TestRepository; rest: string } | undefined {
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
    if (!match) return undefined;
    const repo = repositories.get(`${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`.toLowerCase());
    return repo ? { repo, rest: match[3] ?? "" } : undefined;
  }

  /** GitHub compares entity tags weakly for If-None-Match: `W/"abc"` matches `"abc"` and the other way round. */
  function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
    if (!ifNoneMatch) return false;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
    return ifNoneMatch.split(",").some((candidate) => candidate.trim() === "*" || opaque(candidate) === opaque(etag));
  }

  function rateLimitFault(fault: Extract<GitHubFault, { kind: "secondary-rate-limit" | "primary-rate-limit" }>, login: string | undefined, requestId: string): Reply {
    if (fault.kind === "secondary-rate-limit") {
      // GitHub's secondary limits come as 403 or 429, with the ordinary rate-limit headers (requests are left) and a
      // retry-after only sometimes; without one, its advice is to wait at least a minute.
      return {
        status: fault.status ?? 403,
        body: {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          status: String(fault.status ?? 403),
        },
        headers: {
          ...rateHeaders(login),
          ...(fault.retryAfterSeconds === null ? {} : { "retry-after": String(fault.retryAfterSeconds ?? 1) }),
        },
      };
    }
    const reset = Math.floor(Date.now() / 1000) + (fault.resetInSeconds ?? 3600);
    const limit = login ? bucket(login).limit : hourlyLimit;
    return {
      status: fault.status ?? 403,
      body: {
        message: `API rate limit exceeded for user ID ${login ? userId(login) : 1}. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        status: String(fault.status ?? 403),
      },
      headers: { "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset), "x-ratelimit-used": String(limit), "x-ratelimit-resource": "core" },
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? "GET").toUpperCase();
    const host = request.headers.host ?? "127.0.0.1";
    const url = new URL(request.url ?? "/", `http://${host}`);
    const enterprise = url.pathname.startsWith("/api/v3/") || url.pathname === "/api/v3";
    const pathname = canonicalPath(enterprise ? url.pathname.slice("/api/v3".length) || "/" : url.pathname);
    const record: ServedRequest = {
      method,
      url: request.url ?? "/",
      path: pathname,
      query: url.searchParams,
      status: 0,
      faulted: false,
      headers: request.headers,
      durationMs: 0,
    };
    const started = performance.now();
    requests.push(record);
    const requestId = `${(++requestCounter).toString(16).toUpperCase().padStart(4, "0")}:${randomBytes(3).toString("hex").toUpperCase()}`;
    const baseHeaders: Record<string, string> = {
      "x-github-request-id": requestId,
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "access-control-expose-headers":
        "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Accepted-GitHub-Permissions",
    };
    const send = (status: number, body: unknown, headers: Record<string, string>) => {
      record.status = status;
      record.durationMs = Math.round(performance.now() - started);
      const payload = body === undefined ? "" : JSON.stringify(body);
      response.writeHead(status, {
        ...baseHeaders,
        ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
        ...headers,
      });
      response.end(payload);
    };

    if (server.latencyMs > 0) await sleep(server.latencyMs);

    const graphql = method === "POST" && (pathname === "/graphql" || url.pathname === "/api/graphql");
    const route = graphql ? undefined : routeTable.find((candidate) => candidate.method === method && candidate.pattern.test(pathname));
    if (route) record.route = `${route.method} ${route.template}`;
    if (graphql) record.route = "POST /graphql";

    const fault = matchFault(method, pathname);
    let dropResponse = false;
    if (fault) {
      record.faulted = true;
      if ("kind" in fault && fault.kind === "drop-response") {
        dropResponse = true;
      } else if ("kind" in fault) {
        if (fault.kind === "timeout") return; // the response stays open until the client aborts or the server closes
        if (fault.kind === "disconnect") {
          request.socket.destroy();
          return;
        }
        if (fault.kind === "latency") {
          record.faulted = false;
          await sleep(fault.ms);
        } else {
          const faultLogin = (() => {
            try {
              return callerFor(request.headers.authorization)?.login;
            } catch {
              return undefined;
            }
          })();
          const reply = rateLimitFault(fault, faultLogin, requestId);
          return send(reply.status, reply.body, reply.headers ?? {});
        }
      } else {
        return send(
          fault.status,
          { message: fault.message ?? (fault.status >= 500 ? "Server Error" : "Injected fault"), documentation_url: DOCS, status: String(fault.status) },
          fault.headers ?? {},
        );
      }
    }

    if (graphql) {
      if (dropResponse) {
        request.socket.destroy();
        return;
      }
      return serveGraphql(request, record, send);
    }

    let login: string | undefined;
    let grantHeaders: Record<string, string> = {};
    try {
      if (!request.headers["user-agent"]) {
        throw apiError(403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).");
      }
      if (!route) throw notFound();
      const params: Record<string, string> = {};
      const match = route.pattern.exec(pathname)!;
      route.names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1]!)));
      let caller: Caller | undefined;
      if (route.appAuth) {
        verifyAppJwt(request.headers.authorization);
      } else {
        caller = callerFor(request.headers.authorization);
        login = caller?.login ?? `ip:${request.socket.remoteAddress ?? "unknown"}`;
        record.login = caller?.login;
        const current = bucket(login);
        if (current.remaining <= 0) {
          throw new ApiError(exhaustedStatus.get(login) ?? 403, {
            message: caller
              ? `API rate limit exceeded for user ID ${userId(login)}. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`
              : `API rate limit exceeded for ${request.socket.remoteAddress}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.) If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
            documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            status: String(exhaustedStatus.get(login) ?? 403),
          });
        }
        const target = repositoryOf(pathname);
        grantHeaders = accessHeaders(caller?.grant, route.accepted);
        if (target && route.accepted) {
          const decision = decideRepositoryAccess({ grant: caller?.grant, repo: target.repo, accepted: route.accepted, write: method !== "GET" });
          if (!decision.allowed) {
            const documentation = decision.status === 404 ? `${DOCS}/repos/repos#get-a-repository` : DOCS;
            throw new ApiError(decision.status, { message: decision.message, documentation_url: documentation, status: String(decision.status) }, decision.headers);
          }
        }
      }
      const target = repositoryOf(pathname);
      const rawBody = method === "GET" || method === "HEAD" ? "" : await readBody(request);
      let body: unknown;
      if (rawBody) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          throw apiError(400, "Problems parsing JSON");
        }
      }
      const ctx: RequestContext = {
        method,
        url,
        api: `http://${host}${enterprise ? "/api/v3" : ""}`,
        web: `http://${host}`,
        params,
        query: url.searchParams,
        caller,
        body,
        headers: request.headers,
        linkPath: target ? `/repositories/${target.repo.id}${target.rest}` : pathname,
      };
      const reply = await handlers.get(route)!(ctx);
      if (dropResponse) {
        request.socket.destroy();
        return;
      }
      const headers = { ...grantHeaders, ...(reply.headers ?? {}) };
      if (reply.body !== undefined && reply.status < 300) {
        // GitHub sends an ETag with every answer that has a body, writes included; conditional requests are GETs.
        const etag = `W/"${createHash("sha256").update(`${login}\n${JSON.stringify(reply.body)}`).digest("hex").slice(0, 40)}"`;
        headers.etag = etag;
        headers["cache-control"] = "private, max-age=60, s-maxage=60";
        headers.vary = "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding";
        if (method === "GET" && reply.status === 200 && etagMatches(request.headers["if-none-match"], etag)) {
          // Conditional hits are free on GitHub: no rate-limit charge.
          return send(304, undefined, { ...rateHeaders(login), etag, ...(headers.link ? { link: headers.link } : {}) });
        }
      }
      if (login) bucket(login).remaining--;
      return send(reply.status, reply.body, { ...rateHeaders(login), ...headers });
    } catch (error) {
      if (error instanceof ApiError) {
        if (login && error.status !== 403 && error.status !== 429) {
          const current = bucket(login);
          current.remaining = Math.max(0, current.remaining - 1);
        }
        return send(error.status, error.body, { ...rateHeaders(login), ...grantHeaders, ...error.headers });
      }
      throw error;
    }
  }

  http = await startHttpServer(handle);

  const server: GitHubTestServer = {
    url: http.url,
    enterpriseUrl: `${http.url}/api/v3`,
    latencyMs: 0,
    mergeableAfterReads: options.mergeableAfterReads ?? 1,
    requests,

    async createRepository(fullName, repoOptions) {
      const repo = await TestRepository.create(fullName, nextRepoId++, root, repoOptions);
      repositories.set(fullName.toLowerCase(), repo);
      return repo;
    },

    repository(fullName) {
      const repo = repositories.get(fullName.toLowerCase());
      if (!repo) throw new Error(`no repository ${fullName}`);
      return repo;
    },

    addToken(token, login) {
      tokens.set(token, userCaller(login));
    },

    inject(rule) {
      return faults.inject(rule);
    },

    injectOnce(rule) {
      return faults.injectOnce(rule);
    },

    clearFaults() {
      faults.clear();
    },

    count(route, filter = {}) {
      return requests.filter((request) => request.route === route && (filter.status === undefined || request.status === filter.status)).length;
    },

    resetRequests() {
      requests.length = 0;
    },

    rateLimit(login, resource = "core") {
      const current = resource === "graphql" ? graphqlBucket(login) : bucket(login);
      return { limit: current.limit, remaining: current.remaining, used: current.limit - current.remaining, reset: current.reset };
    },

    exhaustRateLimit(login, resetInSeconds, exhaustOptions = {}) {
      if (exhaustOptions.resource === "graphql") {
        graphqlBuckets.set(login, { limit: graphqlLimit, remaining: 0, reset: Math.floor(Date.now() / 1000) + resetInSeconds });
        return;
      }
      buckets.set(login, { limit: hourlyLimit, remaining: 0, reset: Math.floor(Date.now() / 1000) + resetInSeconds });
      exhaustedStatus.set(login, exhaustOptions.status ?? 403);
    },

    pullRequests(fullName) {
      return pulls.get(server.repository(fullName).fullName) ?? [];
    },

    async mergePullRequest(fullName, number, mergeOptions = {}) {
      const repo = server.repository(fullName);
      const pull = server.pullRequests(fullName).find((candidate) => candidate.number === number);
      if (!pull || pull.state !== "open") throw new Error(`${fullName}#${number} is not an open pull request`);
      const base = await repo.rev(`refs/heads/${pull.base.ref}`);
      const head = await repo.rev(`refs/heads/${pull.head.ref}`);
      const mergedBy = mergeOptions.mergedBy ?? "gatekeeper";
      const message = mergeOptions.squash
        ? `${pull.title} (#${pull.number})`
        : `Merge pull request #${pull.number} from ${repo.owner}/${pull.head.ref}\n\n${pull.title}`;
      const sha = await repo.mergeCommits(
        pull.base.ref,
        base,
        head,
        message,
        { name: mergedBy, email: `${mergedBy}@example.com` },
        mergeOptions.squash,
      );
      const now = new Date();
      Object.assign(pull, {
        state: "closed",
        mergedAt: now,
        closedAt: now,
        updatedAt: now,
        mergeCommitSha: sha,
        mergedBy,
        head: { ref: pull.head.ref, sha: head },
        base: { ref: pull.base.ref, sha: base },
      });
      return sha;
    },

    checks: checks.api,

    closePullRequest(fullName, number) {
      const pull = server.pullRequests(fullName).find((candidate) => candidate.number === number);
      if (!pull) throw new Error(`${fullName}#${number} does not exist`);
      const now = new Date();
      Object.assign(pull, { state: "closed", closedAt: now, updatedAt: now });
    },

    async close() {
      await http?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return server;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
