import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer, type TestHttpServer } from "../support/start-http-server";
import {
  adfText,
  createJson,
  jiraDateTime,
  type CategoryKey,
  type Deployment,
  type TestComment,
  type TestIssue,
  type TestRemoteLink,
  type TestStatus,
  type TestUserRecord,
  type TestVersion,
} from "./jira-test-json";
import { FaultRules } from "../support/fault-rules";

export type { TestIssue, TestVersion, TestComment, TestRemoteLink } from "./jira-test-json";

/**
 * A Jira REST API for tests, on node:http, that the real jira-client talks to by protocol, host, port and base path.
 *
 * Two deployments:
 * - `cloud`: REST API v3 and v2 (`/rest/api/{3,2}/…`), HTTP basic with an account's email and API token, people by
 *   accountId, comment bodies in Atlassian Document Format on v3 (strings on v2), search only through the enhanced
 *   `POST /search/jql` (token paging: `nextPageToken`, `isLast`, no total) — the old `/search` answers 410 Gone, as
 *   Cloud has since 2025.
 * - `datacenter`: REST API v2 only, under an optional context path (`/jira/rest/api/2/…`), bearer personal access
 *   tokens, people by name, `POST /search` with offset paging (`startAt`, `maxResults`, `total`) and `validateQuery`.
 *
 * As strict as Jira where Slipway could get it wrong, with Jira's error collection body
 * (`{ "errorMessages": [...], "errors": { field: message } }`) and Jira's statuses, per operation as Jira's OpenAPI
 * description documents them (checked by openapi-contract.test.ts):
 * - a ticket the caller may not browse is indistinguishable from one that does not exist (404 "Issue does not exist
 *   or you do not have permission to see it."; JQL calls both unknown keys);
 * - `key in (…)` fails the whole search (400) naming each key it cannot find, unless Data Center's validateQuery is
 *   false, when it answers with warningMessages instead; `unknownKeysInSearch: "ignore"` makes Cloud lenient too;
 * - bodies are checked field by field: unknown fields are rejected like Jira's JSON binding does ("Unrecognized
 *   field"), a v3 comment must be an ADF document, a v2 comment a string, labels have no spaces, version names are
 *   unique per project ignoring case and at most 255 characters;
 * - missing permissions answer as Jira does per operation: editing without Edit Issues is a 400 naming the fields,
 *   creating a version without Administer Projects a 404, updating one a 400, a remote link without Link Issues a 403,
 *   transitions without Transition Issues are not listed (and posting one is a 400).
 *
 * For reliability tests every request is recorded with its route and status, faults can be injected per route for the
 * next N calls (statuses, 429 with Retry-After, timeouts, dropped connections, answers lost after the work is done),
 * and every change the server makes is an effect, so a test can prove a retried job changed Jira exactly once.
 */

export interface TestPermissions {
  /** Browse Projects: see the project's issues and versions. */
  browse: boolean;
  /** Edit Issues: fix versions, labels. */
  edit: boolean;
  /** Transition Issues. */
  transition: boolean;
  /** Add Comments. */
  comment: boolean;
  /** Link Issues (remote links). */
  link: boolean;
  /** Administer Projects: create and update versions. */
  administer: boolean;
}

export interface TestUser {
  /** Cloud: the account's email (the basic-auth user name); Data Center: the user name. */
  login: string;
  displayName?: string;
  /** Cloud: the API token; Data Center: the personal access token. */
  token: string;
  /** Per project key; a project not listed gets every permission (unless `defaultPermissions` says otherwise). */
  permissions?: Record<string, Partial<TestPermissions>>;
  defaultPermissions?: Partial<TestPermissions>;
}

export interface TestWorkflow {
  statuses: { name: string; category: CategoryKey }[];
  /** `from: "*"` is a global transition (available from every status but its target). */
  transitions: { name: string; from: string[] | "*"; to: string }[];
}

export interface TestProjectSeed {
  key: string;
  name?: string;
  workflow?: TestWorkflow;
  versions?: { name: string; released?: boolean; archived?: boolean; releaseDate?: string }[];
}

export interface TestIssueSeed {
  key: string;
  summary?: string;
  status?: string;
  type?: string;
  /** A user's login. */
  assignee?: string;
  /** Version names of the issue's project. */
  fixVersions?: string[];
  labels?: string[];
}

export interface JiraTestServerOptions {
  deployment: Deployment;
  /** Context path before /rest, as a Data Center behind /jira (default ""). */
  basePath?: string;
  users: TestUser[];
  projects?: TestProjectSeed[];
  issues?: TestIssueSeed[];
  /** Most issues per search page (Jira: 100 on Cloud's /search/jql when fields are asked for, 1000 on Data Center). */
  maxResultsCap?: number;
  /** Cloud only: whether `key in (…)` with an unknown key fails the search ("error", default) or skips the key. */
  unknownKeysInSearch?: "error" | "ignore";
}

export type JiraFault =
  | { status: number; errorMessages?: string[]; headers?: Record<string, string> }
  /** 429 (or 503) with Retry-After in seconds (null: no header). */
  | { kind: "rate-limit"; retryAfterSeconds?: number | null; status?: 429 | 503 }
  /** Never answers (until the client gives up or the server closes). */
  | { kind: "timeout" }
  /** Drops the connection without an answer and without doing the work. */
  | { kind: "disconnect" }
  /** Does the work, then drops the connection: the answer is lost, not the request. */
  | { kind: "drop-response" }
  /** Answers normally after a delay. */
  | { kind: "latency"; ms: number };

export type FaultRule = JiraFault & {
  method?: string;
  /** A route as `ServedRequest.route` names it: "POST /version", "PUT /issue/{issueIdOrKey}". */
  route?: string;
  /** Matched against the path after /rest/api/{n}. */
  path?: RegExp;
  /** How many matching requests the fault applies to (default: until removed). */
  times?: number;
};

export interface ServedRequest {
  method: string;
  url: string;
  /** "2" or "3"; undefined outside /rest/api. */
  apiVersion?: string;
  /** The path after /rest/api/{n}. */
  path: string;
  /** "POST /issue/{issueIdOrKey}/comment"; undefined for unknown routes. */
  route?: string;
  /** 0 when never answered. */
  status: number;
  user?: string;
  faulted: boolean;
  /** The request's JSON body. */
  body?: unknown;
  /** The answer's body as sent (parsed JSON, or text). */
  response?: unknown;
}

export type JiraEffectKind =
  | "version-created"
  | "version-released"
  | "version-unreleased"
  | "version-archived"
  | "version-unarchived"
  | "version-renamed"
  | "fix-version-added"
  | "fix-version-removed"
  | "label-added"
  | "label-removed"
  | "transitioned"
  | "comment-added"
  | "remote-link-created"
  | "remote-link-updated";

export interface JiraEffect {
  kind: JiraEffectKind;
  issue?: string;
  versionId?: string;
  detail?: string;
  user: string;
}

export interface JiraTestServer {
  /** `http://127.0.0.1:<port>` without the base path. */
  url: string;
  host: string;
  port: number;
  basePath: string;
  /** Where /browse/KEY lives: url + basePath. */
  siteUrl: string;
  requests: ServedRequest[];
  /** Requests to `route` ("POST /version"), optionally only those answered with `status`. */
  count(route: string, filter?: { status?: number }): number;
  resetRequests(): void;
  effects: JiraEffect[];
  countEffects(kind: JiraEffectKind, filter?: { issue?: string; versionId?: string }): number;
  inject(rule: FaultRule): () => void;
  injectOnce(rule: FaultRule): () => void;
  clearFaults(): void;
  issue(key: string): TestIssue;
  versions(projectKey: string): TestVersion[];
  addIssue(project: string, seed: TestIssueSeed): TestIssue;
  setPermissions(login: string, project: string, permissions: Partial<TestPermissions>): void;
  close(): Promise<void>;
}

// ---- routes ----------------------------------------------------------------------------------------------------

interface RouteDefinition {
  method: string;
  /** After /rest/api/{n}, with the parameter names of Jira's OpenAPI description. */
  template: string;
  pattern: RegExp;
  names: string[];
  /** Served without credentials (Jira: serverInfo). */
  anonymous?: boolean;
  only?: Deployment;
}

const routeTable: RouteDefinition[] = [];

function defineRoute(method: string, template: string, extra: Pick<RouteDefinition, "anonymous" | "only"> = {}): RouteDefinition {
  const names: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const route = { method, template, pattern: new RegExp(`^${source}$`), names, ...extra };
  routeTable.push(route);
  return route;
}

const R = {
  serverInfo: defineRoute("GET", "/serverInfo", { anonymous: true }),
  myself: defineRoute("GET", "/myself"),
  searchJql: defineRoute("POST", "/search/jql", { only: "cloud" }),
  search: defineRoute("POST", "/search"),
  getIssue: defineRoute("GET", "/issue/{issueIdOrKey}"),
  editIssue: defineRoute("PUT", "/issue/{issueIdOrKey}"),
  getTransitions: defineRoute("GET", "/issue/{issueIdOrKey}/transitions"),
  doTransition: defineRoute("POST", "/issue/{issueIdOrKey}/transitions"),
  getComments: defineRoute("GET", "/issue/{issueIdOrKey}/comment"),
  addComment: defineRoute("POST", "/issue/{issueIdOrKey}/comment"),
  getRemoteLinks: defineRoute("GET", "/issue/{issueIdOrKey}/remotelink"),
  createRemoteLink: defineRoute("POST", "/issue/{issueIdOrKey}/remotelink"),
  createVersion: defineRoute("POST", "/version"),
  getVersion: defineRoute("GET", "/version/{id}"),
  updateVersion: defineRoute("PUT", "/version/{id}"),
  getProject: defineRoute("GET", "/project/{projectIdOrKey}"),
  getProjectVersions: defineRoute("GET", "/project/{projectIdOrKey}/versions"),
};

/** The routes the server implements, named as in Jira's OpenAPI description (after /rest/api/{n}). */
export const JIRA_TEST_SERVER_ROUTES: ReadonlyArray<{ method: string; template: string; only?: Deployment }> = routeTable.map(
  ({ method, template, only }) => ({ method, template, ...(only ? { only } : {}) }),
);

/** Fields each request body may have: the properties of Jira's request beans (OpenAPI `additionalProperties: false`). */
const BODY_FIELDS = {
  searchJql: ["expand", "fields", "fieldsByKeys", "jql", "maxResults", "nextPageToken", "properties", "reconcileIssues", "failFast"],
  search: ["jql", "startAt", "maxResults", "validateQuery", "fields", "expand", "properties", "fieldsByKeys"],
  issueUpdate: ["fields", "update", "transition", "historyMetadata", "properties"],
  version: ["archived", "description", "expand", "id", "moveUnfixedIssuesTo", "name", "project", "projectId", "releaseDate", "released", "self", "startDate", "userReleaseDate", "userStartDate", "overdue", "operations", "issuesStatusForFixVersion", "approvers", "driver"],
  comment: ["body", "visibility", "properties", "author", "created", "id", "jsdAuthorCanSeeRequest", "jsdPublic", "renderedBody", "self", "updateAuthor", "updated"],
  fieldOperation: ["add", "copy", "edit", "remove", "set"],
} as const;

const BEAN = {
  searchJql: "SearchAndReconcileRequestBean",
  search: "SearchRequestBean",
  issueUpdate: "IssueUpdateBean",
  version: "VersionBean",
  comment: "CommentJsonBean",
  fieldOperation: "FieldOperation",
} as const;

class JiraApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Jira ${status}`);
  }
}

function errorCollection(status: number, errorMessages: string[], errors: Record<string, string> = {}, headers: Record<string, string> = {}): JiraApiError {
  return new JiraApiError(status, { errorMessages, errors }, headers);
}

const ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it.";
const KEY = /^([A-Z][A-Z0-9_]+)-([1-9][0-9]*)$/;

const DEFAULT_WORKFLOW: TestWorkflow = {
  statuses: [
    { name: "To Do", category: "new" },
    { name: "In Progress", category: "indeterminate" },
    { name: "In Review", category: "indeterminate" },
    { name: "Done", category: "done" },
  ],
  transitions: [
    { name: "Start", from: ["To Do"], to: "In Progress" },
    { name: "Review", from: ["In Progress"], to: "In Review" },
    { name: "Done", from: ["To Do", "In Progress", "In Review"], to: "Done" },
    { name: "Reopen", from: ["Done"], to: "To Do" },
  ],
};

const FULL: TestPermissions = { browse: true, edit: true, transition: true, comment: true, link: true, administer: true };

interface Project {
  id: number;
  key: string;
  name: string;
  workflow: TestWorkflow;
  statuses: Map<string, TestStatus>;
  /** Transition name → id, stable per project. */
  transitionIds: Map<string, string>;
  nextIssueNumber: number;
}

interface RequestContext {
  method: string;
  apiVersion: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  user: TestUserRecord & { permissionsFor(project: string): TestPermissions };
}

interface Reply {
  status: number;
  body?: unknown;
}

export async function startJiraTestServer(options: JiraTestServerOptions): Promise<JiraTestServer> {
  const deployment = options.deployment;
  const cloud = deployment === "cloud";
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  const maxResultsCap = options.maxResultsCap ?? (cloud ? 100 : 1000);
  const requests: ServedRequest[] = [];
  const effects: JiraEffect[] = [];
  const faults = new FaultRules<FaultRule>();
  const users = new Map<string, TestUser>();
  const userRecords = new Map<string, TestUserRecord>();
  const projects = new Map<string, Project>();
  const issues = new Map<string, TestIssue>();
  const versions = new Map<string, TestVersion>();
  let nextId = 10000;
  let nextLinkId = 10000;
  let nextStatusId = 10000;
  let http: TestHttpServer | undefined;
  /** The API root of the request being answered, for `self` links. */
  let currentApi = "";
  const json = createJson(() => currentApi, deployment, userRecords);

  function addUser(user: TestUser) {
    users.set(user.login, user);
    userRecords.set(user.login, {
      login: user.login,
      displayName: user.displayName ?? user.login,
      accountId: createHash("sha1").update(user.login).digest("hex").slice(0, 24),
      email: user.login.includes("@") ? user.login : `${user.login}@example.com`,
    });
  }
  options.users.forEach(addUser);

  function permissionsFor(login: string, project: string): TestPermissions {
    const user = users.get(login);
    return { ...FULL, ...(user?.defaultPermissions ?? {}), ...(user?.permissions?.[project] ?? {}) };
  }

  function addProject(seed: TestProjectSeed): Project {
    const workflow = seed.workflow ?? DEFAULT_WORKFLOW;
    const statuses = new Map(workflow.statuses.map((status) => [status.name, { id: String(nextStatusId++), name: status.name, category: status.category }]));
    const project: Project = {
      id: nextId++,
      key: seed.key,
      name: seed.name ?? seed.key,
      workflow,
      statuses,
      transitionIds: new Map(workflow.transitions.map((transition, index) => [transition.name, String(11 + index * 10)])),
      nextIssueNumber: 1,
    };
    projects.set(seed.key, project);
    for (const version of seed.versions ?? []) {
      const id = String(nextId++);
      versions.set(id, { id, projectId: project.id, name: version.name, released: version.released ?? false, archived: version.archived ?? false, ...(version.releaseDate ? { releaseDate: version.releaseDate } : {}) });
    }
    return project;
  }
  (options.projects ?? []).forEach(addProject);

  function addIssue(projectKey: string, seed: TestIssueSeed): TestIssue {
    const project = projects.get(projectKey) ?? addProject({ key: projectKey });
    const status = project.statuses.get(seed.status ?? project.workflow.statuses[0]!.name);
    if (!status) throw new Error(`no status ${seed.status} in ${projectKey}`);
    const fixVersionIds = (seed.fixVersions ?? []).map((name) => {
      const version = [...versions.values()].find((candidate) => candidate.projectId === project.id && candidate.name === name);
      if (!version) throw new Error(`no version ${name} in ${projectKey}`);
      return version.id;
    });
    const number = Number(KEY.exec(seed.key)?.[2] ?? project.nextIssueNumber);
    project.nextIssueNumber = Math.max(project.nextIssueNumber, number + 1);
    const issue: TestIssue = {
      id: String(nextId++),
      key: seed.key,
      projectKey,
      summary: seed.summary ?? `Ticket ${seed.key}`,
      status,
      type: seed.type ?? "Story",
      ...(seed.assignee ? { assignee: seed.assignee } : {}),
      fixVersionIds,
      labels: [...(seed.labels ?? [])],
      comments: [],
      remoteLinks: [],
      created: new Date(),
      updated: new Date(),
    };
    issues.set(issue.key, issue);
    return issue;
  }
  for (const seed of options.issues ?? []) {
    const match = KEY.exec(seed.key);
    if (!match) throw new Error(`bad issue key ${seed.key}`);
    addIssue(match[1]!, seed);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  function projectOf(issue: TestIssue): Project {
    return projects.get(issue.projectKey)!;
  }

  function visibleIssue(ctx: RequestContext, keyOrId: string): TestIssue {
    const issue = issues.get(keyOrId.toUpperCase()) ?? [...issues.values()].find((candidate) => candidate.id === keyOrId);
    if (!issue || !ctx.user.permissionsFor(issue.projectKey).browse) throw errorCollection(404, [ISSUE_NOT_FOUND]);
    return issue;
  }

  function requireObject(body: unknown): Record<string, unknown> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw errorCollection(400, ["Can not deserialize instance of the request bean out of a non-object token"]);
    }
    return body as Record<string, unknown>;
  }

  /** Jira's JSON binding rejects properties its bean does not declare. */
  function rejectUnknownFields(body: Record<string, unknown>, bean: keyof typeof BODY_FIELDS) {
    const allowed = BODY_FIELDS[bean] as readonly string[];
    const unknown = Object.keys(body).find((field) => !allowed.includes(field));
    if (unknown !== undefined) {
      throw errorCollection(400, [`Unrecognized field "${unknown}" (Class ${BEAN[bean]}), not marked as ignorable`]);
    }
  }

  function effect(ctx: RequestContext, entry: Omit<JiraEffect, "user">) {
    effects.push({ ...entry, user: ctx.user.login });
  }

  function issueFields(issue: TestIssue, apiVersion: string): Record<string, unknown> {
    const project = projectOf(issue);
    return {
      summary: issue.summary,
      status: json.statusJson(issue.status),
      issuetype: json.issueTypeJson(issue.type),
      assignee: issue.assignee ? json.userJson(issue.assignee) : null,
      fixVersions: issue.fixVersionIds.map((id) => json.versionJson(versions.get(id)!)),
      labels: [...issue.labels],
      project: json.projectJson(project),
      created: jiraDateTime(issue.created),
      updated: jiraDateTime(issue.updated),
      comment: {
        comments: issue.comments.map((comment) => json.commentJson(issue, comment, apiVersion)),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      },
    };
  }

  /**
   * `fields` as Jira reads it (a list or a comma-separated string): names, `*all`, `*navigable`, `-name` to exclude.
   * Unset means every field for GET issue and the old search, and only the id for Cloud's enhanced search.
   */
  function selectFields(issue: TestIssue, apiVersion: string, fields: string[] | undefined, fallback: "all" | "none") {
    const all = issueFields(issue, apiVersion);
    const requested = (fields ?? []).flatMap((field) => field.split(",")).map((field) => field.trim()).filter(Boolean);
    if (requested.length === 0) return fallback === "all" ? all : {};
    const everything = requested.some((field) => field === "*all" || field === "*navigable");
    const excluded = new Set(requested.filter((field) => field.startsWith("-")).map((field) => field.slice(1)));
    return Object.fromEntries(Object.entries(all).filter(([name]) => (everything || requested.includes(name)) && !excluded.has(name)));
  }

  function issueJson(issue: TestIssue, apiVersion: string, fields: string[] | undefined, fallback: "all" | "none") {
    return {
      expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
      id: issue.id,
      self: `${currentApi}/issue/${issue.id}`,
      key: issue.key,
      fields: selectFields(issue, apiVersion, fields, fallback),
    };
  }

  function availableTransitions(ctx: RequestContext, issue: TestIssue) {
    const project = projectOf(issue);
    if (!ctx.user.permissionsFor(issue.projectKey).transition) return [];
    return project.workflow.transitions
      .filter((transition) => (transition.from === "*" ? transition.to !== issue.status.name : transition.from.includes(issue.status.name)))
      .map((transition) => ({ id: project.transitionIds.get(transition.name)!, name: transition.name, to: project.statuses.get(transition.to)!, global: transition.from === "*" }));
  }

  // ---- JQL -------------------------------------------------------------------------------------------------------

  /**
   * The JQL this server understands: `key in (A-1, "B-2")`, `issuekey = A-1`, optionally `ORDER BY key`. Anything
   * else is a 400 like Jira's parser gives, so a client that builds other JQL finds out here.
   */
  function parseJql(jql: unknown): string[] {
    if (typeof jql !== "string" || jql.trim() === "") throw errorCollection(400, ["The JQL query is empty or missing."]);
    const withoutOrder = jql.replace(/\s+order\s+by\s+(key|issuekey|created|id)(\s+(asc|desc))?\s*$/i, "").trim();
    const list = /^(key|issuekey)\s+in\s*\(([^()]*)\)$/i.exec(withoutOrder);
    const single = /^(key|issuekey)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)$/i.exec(withoutOrder);
    if (!list && !single) {
      throw errorCollection(400, [`Error in the JQL Query: the test server only understands "key in (...)" and "key = ...": ${jql}`]);
    }
    const field = (list ?? single)![1]!.toLowerCase();
    const values = list ? list[2]!.split(",") : [single![2]!];
    return values
      .map((value) => value.trim().replace(/^"(.*)"$|^'(.*)'$/, "$1$2"))
      .map((value) => {
        if (!KEY.test(value.toUpperCase())) throw errorCollection(400, [`The issue key '${value}' for field '${field}' is invalid.`]);
        return value.toUpperCase();
      });
  }

  function runJql(ctx: RequestContext, jql: unknown, unknownKeys: "error" | "warn"): { found: TestIssue[]; warnings: string[] } {
    const keys = parseJql(jql);
    const found: TestIssue[] = [];
    const problems: string[] = [];
    for (const key of [...new Set(keys)]) {
      const issue = issues.get(key);
      if (issue && ctx.user.permissionsFor(issue.projectKey).browse) found.push(issue);
      else problems.push(`An issue with key '${key}' does not exist for field 'key'.`);
    }
    if (problems.length > 0 && unknownKeys === "error") throw errorCollection(400, problems);
    // Jira's default order for a query without ORDER BY: newest first.
    found.sort((a, b) => Number(b.id) - Number(a.id));
    return { found, warnings: problems };
  }

  function pageSize(value: unknown, fallback: number): number {
    if (value === undefined) return Math.min(fallback, maxResultsCap);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw errorCollection(400, ["maxResults must be a non-negative integer."]);
    return Math.min(value, maxResultsCap);
  }

  function fieldList(value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((field) => typeof field !== "string")) {
      throw errorCollection(400, ["Can not deserialize instance of java.util.ArrayList out of VALUE_STRING token (fields)"]);
    }
    return value as string[];
  }

  const pageToken = (jql: string, offset: number) => Buffer.from(JSON.stringify({ q: createHash("sha1").update(jql).digest("hex").slice(0, 12), o: offset })).toString("base64url");

  function readPageToken(token: unknown, jql: string): number {
    if (token === undefined || token === null) return 0;
    try {
      const parsed = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8")) as { q?: string; o?: number };
      if (parsed.q === createHash("sha1").update(jql).digest("hex").slice(0, 12) && Number.isInteger(parsed.o)) return parsed.o!;
    } catch {
      // falls through to the error
    }
    throw errorCollection(400, ["The provided next page token is invalid or expired."]);
  }

  // ---- issue edits -----------------------------------------------------------------------------------------------

  const EDITABLE = new Set(["fixVersions", "labels", "summary"]);

  function versionFor(project: Project, value: unknown, field: string): TestVersion {
    const reference = (typeof value === "object" && value !== null ? value : {}) as { id?: unknown; name?: unknown };
    const version =
      reference.id !== undefined
        ? versions.get(String(reference.id))
        : [...versions.values()].find((candidate) => candidate.projectId === project.id && candidate.name === reference.name);
    if (!version || version.projectId !== project.id) {
      throw errorCollection(400, [], {
        [field]: reference.id !== undefined ? `Version id '${String(reference.id)}' is not valid` : `Version name '${String(reference.name)}' is not valid`,
      });
    }
    return version;
  }

  function checkLabel(value: unknown): string {
    if (typeof value !== "string" || value.length === 0) throw errorCollection(400, [], { labels: "Labels must be non-empty strings." });
    if (/\s/.test(value)) throw errorCollection(400, [], { labels: `The label '${value}' contains spaces which is invalid.` });
    if (value.length > 255) throw errorCollection(400, [], { labels: "The label must not exceed 255 characters." });
    return value;
  }

  /**
   * Applies `update` operations and `fields` values to a copy, so a request with one bad part changes nothing (Jira
   * validates the whole edit before it saves), then records each real change as an effect.
   */
  function editIssue(ctx: RequestContext, issue: TestIssue, body: Record<string, unknown>) {
    const project = projectOf(issue);
    const update = (body.update ?? {}) as Record<string, unknown>;
    const fields = (body.fields ?? {}) as Record<string, unknown>;
    if (typeof update !== "object" || Array.isArray(update) || typeof fields !== "object" || Array.isArray(fields)) {
      throw errorCollection(400, ["update and fields must be objects"]);
    }
    const touched = [...new Set([...Object.keys(update), ...Object.keys(fields)])];
    const permissions = ctx.user.permissionsFor(issue.projectKey);
    // Without Edit Issues, Jira's edit screen has no fields for the caller: each is "not on the appropriate screen".
    const refused = touched.filter((field) => !EDITABLE.has(field) || !permissions.edit);
    if (refused.length > 0) {
      throw errorCollection(
        400,
        [],
        Object.fromEntries(refused.map((field) => [field, `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`])),
      );
    }
    let fixVersionIds = [...issue.fixVersionIds];
    let labels = [...issue.labels];
    let summary = issue.summary;
    const setVersions = (value: unknown) => {
      if (!Array.isArray(value)) throw errorCollection(400, [], { fixVersions: "data was not an array" });
      fixVersionIds = [...new Set(value.map((entry) => versionFor(project, entry, "fixVersions").id))];
    };
    const setLabels = (value: unknown) => {
      if (!Array.isArray(value)) throw errorCollection(400, [], { labels: "data was not an array" });
      labels = [...new Set(value.map(checkLabel))];
    };
    for (const [field, value] of Object.entries(fields)) {
      if (field === "fixVersions") setVersions(value);
      if (field === "labels") setLabels(value);
      if (field === "summary") {
        if (typeof value !== "string" || value.trim() === "") throw errorCollection(400, [], { summary: "You must specify a summary of the issue." });
        summary = value;
      }
    }
    for (const [field, operations] of Object.entries(update)) {
      if (!Array.isArray(operations)) throw errorCollection(400, [], { [field]: "Operations must be an array." });
      for (const operation of operations) {
        const op = requireObject(operation);
        rejectUnknownFields(op, "fieldOperation");
        for (const [verb, value] of Object.entries(op)) {
          if (field === "fixVersions") {
            if (verb === "set") setVersions(value);
            else if (verb === "add") {
              const id = versionFor(project, value, field).id;
              if (!fixVersionIds.includes(id)) fixVersionIds.push(id);
            } else if (verb === "remove") {
              const id = versionFor(project, value, field).id;
              fixVersionIds = fixVersionIds.filter((candidate) => candidate !== id);
            } else throw errorCollection(400, [], { [field]: `Field '${field}' does not support operation '${verb}' Supported operation(s) are: 'set,add,remove'` });
          } else if (field === "labels") {
            if (verb === "set") setLabels(value);
            else if (verb === "add") {
              const label = checkLabel(value);
              if (!labels.includes(label)) labels.push(label);
            } else if (verb === "remove") {
              const label = checkLabel(value);
              labels = labels.filter((candidate) => candidate !== label);
            } else throw errorCollection(400, [], { [field]: `Field '${field}' does not support operation '${verb}' Supported operation(s) are: 'add,set,remove'` });
          } else if (field === "summary" && verb === "set") {
            if (typeof value !== "string" || value.trim() === "") throw errorCollection(400, [], { summary: "You must specify a summary of the issue." });
            summary = value;
          } else {
            throw errorCollection(400, [], { [field]: `Field '${field}' does not support operation '${verb}' Supported operation(s) are: 'set'` });
          }
        }
      }
    }
    for (const id of fixVersionIds) if (!issue.fixVersionIds.includes(id)) effect(ctx, { kind: "fix-version-added", issue: issue.key, versionId: id });
    for (const id of issue.fixVersionIds) if (!fixVersionIds.includes(id)) effect(ctx, { kind: "fix-version-removed", issue: issue.key, versionId: id });
    for (const label of labels) if (!issue.labels.includes(label)) effect(ctx, { kind: "label-added", issue: issue.key, detail: label });
    for (const label of issue.labels) if (!labels.includes(label)) effect(ctx, { kind: "label-removed", issue: issue.key, detail: label });
    const changed = summary !== issue.summary || fixVersionIds.join() !== issue.fixVersionIds.join() || labels.join() !== issue.labels.join();
    Object.assign(issue, { fixVersionIds, labels, summary, ...(changed ? { updated: new Date() } : {}) });
  }

  // ---- versions --------------------------------------------------------------------------------------------------

  function checkVersionFields(body: Record<string, unknown>): void {
    for (const field of ["released", "archived"] as const) {
      if (body[field] !== undefined && typeof body[field] !== "boolean") throw errorCollection(400, [`Can not deserialize value of type boolean from "${String(body[field])}" (${field})`]);
    }
    for (const field of ["releaseDate", "startDate"] as const) {
      const value = body[field];
      if (value !== undefined && value !== null && (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) {
        throw errorCollection(400, [], { [field]: 'Please enter the date in the following format: "yyyy-MM-dd".' });
      }
    }
    if (body.description !== undefined && typeof body.description !== "string") throw errorCollection(400, [], { description: "The description must be a string." });
  }

  function checkVersionName(project: Project, name: unknown, except?: string): string {
    if (typeof name !== "string" || name.trim() === "") throw errorCollection(400, [], { name: "You must specify a valid version name" });
    if (name.length > 255) throw errorCollection(400, [], { name: "The version name must not exceed 255 characters." });
    const taken = [...versions.values()].some((version) => version.projectId === project.id && version.id !== except && version.name.toLowerCase() === name.trim().toLowerCase());
    if (taken) throw errorCollection(400, [], { name: "A version with this name already exists in this project." });
    return name.trim();
  }

  const VERSION_ADMIN = "You must have global or project administrator rights in order to modify versions.";

  function visibleVersion(ctx: RequestContext, id: string): { version: TestVersion; project: Project } {
    const version = versions.get(id);
    const project = version ? [...projects.values()].find((candidate) => candidate.id === version.projectId) : undefined;
    if (!version || !project || !ctx.user.permissionsFor(project.key).browse) throw errorCollection(404, [`Could not find version for id '${id}'`]);
    return { version, project };
  }

  function visibleProject(ctx: RequestContext, keyOrId: string): Project {
    const project = projects.get(keyOrId.toUpperCase()) ?? [...projects.values()].find((candidate) => String(candidate.id) === keyOrId);
    if (!project || !ctx.user.permissionsFor(project.key).browse) throw errorCollection(404, [`No project could be found with key '${keyOrId}'.`]);
    return project;
  }

  // ---- comments --------------------------------------------------------------------------------------------------

  /** A v3 body must be an ADF document: `{ type: "doc", version: 1, content: [block nodes] }`, every node typed. */
  function checkAdf(body: unknown): void {
    const invalid = () => errorCollection(400, ["Operation value must be an Atlassian Document (see the Atlassian Document Format)"]);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid();
    const doc = body as { type?: unknown; version?: unknown; content?: unknown };
    if (doc.type !== "doc" || doc.version !== 1 || !Array.isArray(doc.content)) throw invalid();
    const walk = (node: unknown): void => {
      if (typeof node !== "object" || node === null) throw invalid();
      const { type, content, text, marks } = node as { type?: unknown; content?: unknown; text?: unknown; marks?: unknown };
      if (typeof type !== "string") throw invalid();
      if (type === "text" && (typeof text !== "string" || text.length === 0)) throw errorCollection(400, ["ADF text nodes must have non-empty text."]);
      if (marks !== undefined && (!Array.isArray(marks) || marks.some((mark) => typeof (mark as { type?: unknown })?.type !== "string"))) throw invalid();
      if (content !== undefined) {
        if (!Array.isArray(content)) throw invalid();
        content.forEach(walk);
      }
    };
    doc.content.forEach(walk);
    if (adfText(doc).trim() === "") throw errorCollection(400, [], { comment: "Comment body can not be empty!" });
  }

  // ---- handlers --------------------------------------------------------------------------------------------------

  const handlers = new Map<RouteDefinition, (ctx: RequestContext) => Reply>([
    [
      R.serverInfo,
      () => {
        const now = new Date();
        return {
          status: 200,
          body: cloud
            ? {
                baseUrl: server.siteUrl,
                displayUrl: server.siteUrl,
                version: "1001.0.0-SNAPSHOT",
                versionNumbers: [1001, 0, 0],
                deploymentType: "Cloud",
                buildNumber: 100290,
                buildDate: "2025-11-27T06:55:08.000+0000",
                serverTime: jiraDateTime(now),
                scmInfo: "6f2ea0b1f5b3c1d7b4e9e1c5a0a7d2b3c4e5f6a7",
                serverTitle: "Jira",
              }
            : {
                baseUrl: server.siteUrl,
                version: "9.12.4",
                versionNumbers: [9, 12, 4],
                deploymentType: "Server",
                buildNumber: 9120004,
                buildDate: "2024-02-28T00:00:00.000+0000",
                serverTime: jiraDateTime(now),
                scmInfo: "d3b9e0a2c1f4b5e6a7d8c9b0a1e2f3d4c5b6a7e8",
                serverTitle: "Jira",
              },
        };
      },
    ],
    [R.myself, (ctx) => ({ status: 200, body: json.userJson(ctx.user.login, true) })],
    [
      R.searchJql,
      (ctx) => {
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "searchJql");
        const fields = fieldList(body.fields);
        const size = pageSize(body.maxResults, 50);
        const jql = String(body.jql ?? "");
        const offset = readPageToken(body.nextPageToken, jql);
        const { found } = runJql(ctx, body.jql, options.unknownKeysInSearch === "ignore" ? "warn" : "error");
        const page = found.slice(offset, offset + size);
        const isLast = offset + page.length >= found.length;
        return {
          status: 200,
          body: {
            issues: page.map((issue) => issueJson(issue, ctx.apiVersion, fields, "none")),
            ...(isLast ? {} : { nextPageToken: pageToken(jql, offset + page.length) }),
            isLast,
          },
        };
      },
    ],
    [
      R.search,
      (ctx) => {
        if (cloud) {
          // Cloud removed the old search in 2025 (CHANGE-2046).
          throw errorCollection(410, ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"]);
        }
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "search");
        const fields = fieldList(body.fields);
        const size = pageSize(body.maxResults, 50);
        const startAt = body.startAt ?? 0;
        if (typeof startAt !== "number" || !Number.isInteger(startAt) || startAt < 0) throw errorCollection(400, ["startAt must be a non-negative integer."]);
        if (body.validateQuery !== undefined && typeof body.validateQuery !== "boolean") throw errorCollection(400, ["validateQuery must be a boolean."]);
        const { found, warnings } = runJql(ctx, body.jql, body.validateQuery === false ? "warn" : "error");
        return {
          status: 200,
          body: {
            expand: "schema,names",
            startAt,
            maxResults: size,
            total: found.length,
            issues: found.slice(startAt, startAt + size).map((issue) => issueJson(issue, ctx.apiVersion, fields, "all")),
            ...(warnings.length > 0 ? { warningMessages: warnings } : {}),
          },
        };
      },
    ],
    [
      R.getIssue,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        const fields = ctx.query.getAll("fields");
        return { status: 200, body: issueJson(issue, ctx.apiVersion, fields.length > 0 ? fields : undefined, "all") };
      },
    ],
    [
      R.editIssue,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        if (ctx.body === undefined) throw errorCollection(400, ["No content to map to Object due to end of input"]);
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "issueUpdate");
        if (body.transition !== undefined) throw errorCollection(400, ["Use POST /issue/{issueIdOrKey}/transitions to transition an issue (not supported by this server on edit)."]);
        editIssue(ctx, issue, body);
        return { status: 204 };
      },
    ],
    [
      R.getTransitions,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        return {
          status: 200,
          body: {
            expand: "transitions",
            transitions: availableTransitions(ctx, issue).map((transition) => ({
              id: transition.id,
              name: transition.name,
              to: json.statusJson(transition.to),
              hasScreen: false,
              isGlobal: transition.global,
              isInitial: false,
              isAvailable: true,
              isConditional: false,
              isLooped: false,
              ...(ctx.query.get("expand")?.includes("transitions.fields") ? { fields: {} } : {}),
            })),
          },
        };
      },
    ],
    [
      R.doTransition,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "issueUpdate");
        const transition = body.transition as { id?: unknown } | undefined;
        if (typeof transition !== "object" || transition === null || transition.id === undefined) {
          throw errorCollection(400, ["Missing 'transition' identifier"]);
        }
        if (!ctx.user.permissionsFor(issue.projectKey).transition) {
          throw errorCollection(400, ["You do not have permission to transition this issue."]);
        }
        const match = availableTransitions(ctx, issue).find((candidate) => candidate.id === String(transition.id));
        if (!match) throw errorCollection(400, [`Transition id '${String(transition.id)}' is not valid for this issue.`]);
        if (body.update !== undefined || body.fields !== undefined) editIssue(ctx, issue, { update: body.update, fields: body.fields });
        const from = issue.status.name;
        issue.status = match.to;
        issue.updated = new Date();
        effect(ctx, { kind: "transitioned", issue: issue.key, detail: `${from} -> ${match.to.name}` });
        return { status: 204 };
      },
    ],
    [
      R.getComments,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        const orderBy = ctx.query.get("orderBy");
        if (orderBy !== null && !["created", "-created", "+created"].includes(orderBy)) {
          throw errorCollection(400, [`orderBy must be 'created', '-created' or '+created', not '${orderBy}'.`]);
        }
        const startAt = Math.max(0, Number(ctx.query.get("startAt") ?? 0) || 0);
        const maxResults = Math.min(Math.max(1, Number(ctx.query.get("maxResults") ?? 100) || 100), cloud ? 5000 : 1000);
        const ordered = orderBy === "-created" ? [...issue.comments].reverse() : issue.comments;
        const page = ordered.slice(startAt, startAt + maxResults);
        return {
          status: 200,
          body: { startAt, maxResults, total: issue.comments.length, comments: page.map((comment) => json.commentJson(issue, comment, ctx.apiVersion)) },
        };
      },
    ],
    [
      R.addComment,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "comment");
        if (ctx.apiVersion === "3") checkAdf(body.body);
        else {
          if (typeof body.body !== "string") throw errorCollection(400, ["Can not deserialize instance of java.lang.String out of START_OBJECT token (body)"]);
          if (body.body.trim() === "") throw errorCollection(400, [], { comment: "Comment body can not be empty!" });
        }
        if (!ctx.user.permissionsFor(issue.projectKey).comment) throw errorCollection(400, ["You do not have the permission to comment on this issue."]);
        if (issue.comments.length >= 5000) throw errorCollection(413, ["The issue has reached its limit of 5000 comments."]);
        const comment: TestComment = { id: String(nextId++), author: ctx.user.login, body: body.body, created: new Date() };
        issue.comments.push(comment);
        issue.updated = new Date();
        effect(ctx, { kind: "comment-added", issue: issue.key, detail: adfText(comment.body) || String(comment.body) });
        return { status: 201, body: json.commentJson(issue, comment, ctx.apiVersion) };
      },
    ],
    [
      R.getRemoteLinks,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        const globalId = ctx.query.get("globalId");
        if (globalId !== null) {
          const link = issue.remoteLinks.find((candidate) => candidate.globalId === globalId);
          if (!link) throw errorCollection(404, [`No remote link with globalId '${globalId}' found for issue ${issue.key}.`]);
          return { status: 200, body: json.remoteLinkJson(issue, link) };
        }
        return { status: 200, body: issue.remoteLinks.map((link) => json.remoteLinkJson(issue, link)) };
      },
    ],
    [
      R.createRemoteLink,
      (ctx) => {
        const issue = visibleIssue(ctx, ctx.params.issueIdOrKey!);
        const body = requireObject(ctx.body);
        const object = body.object as Record<string, unknown> | undefined;
        const errors: Record<string, string> = {};
        if (typeof object !== "object" || object === null || Array.isArray(object)) errors.object = "'object' is required.";
        else {
          if (typeof object.url !== "string" || !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(object.url)) errors.url = "'url' is required and must be a valid URL.";
          if (typeof object.title !== "string" || object.title.trim() === "") errors.title = "'title' is required.";
        }
        if (body.globalId !== undefined && (typeof body.globalId !== "string" || body.globalId.length > 255)) errors.globalId = "'globalId' must be a string of at most 255 characters.";
        if (Object.keys(errors).length > 0) throw errorCollection(400, [], errors);
        if (!ctx.user.permissionsFor(issue.projectKey).link) throw errorCollection(403, [`No Link Issue Permission for issue '${issue.key}'.`]);
        const { globalId, application, relationship } = body as { globalId?: string; application?: Record<string, unknown>; relationship?: string };
        const existing = globalId === undefined ? undefined : issue.remoteLinks.find((candidate) => candidate.globalId === globalId);
        if (existing) {
          Object.assign(existing, { object: object!, ...(application ? { application } : {}), ...(relationship ? { relationship } : {}) });
          effect(ctx, { kind: "remote-link-updated", issue: issue.key, detail: String(object!.url) });
          return { status: 200, body: { id: existing.id, self: `${currentApi}/issue/${issue.key}/remotelink/${existing.id}` } };
        }
        const link: TestRemoteLink = { id: nextLinkId++, ...(globalId !== undefined ? { globalId } : {}), ...(application ? { application } : {}), ...(relationship ? { relationship } : {}), object: object! };
        issue.remoteLinks.push(link);
        effect(ctx, { kind: "remote-link-created", issue: issue.key, detail: String(object!.url) });
        return { status: 201, body: { id: link.id, self: `${currentApi}/issue/${issue.key}/remotelink/${link.id}` } };
      },
    ],
    [
      R.createVersion,
      (ctx) => {
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "version");
        checkVersionFields(body);
        const projectRef = body.projectId ?? body.project;
        if (projectRef === undefined) throw errorCollection(400, [], { project: "Project must be specified to create a version." });
        const project = [...projects.values()].find((candidate) => String(candidate.id) === String(projectRef) || candidate.key === String(projectRef));
        if (!project || !ctx.user.permissionsFor(project.key).browse) throw errorCollection(404, [`No project could be found with id '${String(projectRef)}'.`]);
        // Jira's OpenAPI description: 404 when "the user does not have the required permissions".
        if (!ctx.user.permissionsFor(project.key).administer) throw errorCollection(404, [VERSION_ADMIN]);
        const name = checkVersionName(project, body.name);
        const version: TestVersion = {
          id: String(nextId++),
          projectId: project.id,
          name,
          released: (body.released as boolean | undefined) ?? false,
          archived: (body.archived as boolean | undefined) ?? false,
          ...(typeof body.description === "string" ? { description: body.description } : {}),
          ...(typeof body.releaseDate === "string" ? { releaseDate: body.releaseDate } : {}),
          ...(typeof body.startDate === "string" ? { startDate: body.startDate } : {}),
        };
        versions.set(version.id, version);
        effect(ctx, { kind: "version-created", versionId: version.id, detail: `${project.key}/${name}` });
        return { status: 201, body: json.versionJson(version) };
      },
    ],
    [R.getVersion, (ctx) => ({ status: 200, body: json.versionJson(visibleVersion(ctx, ctx.params.id!).version) })],
    [
      R.updateVersion,
      (ctx) => {
        const { version, project } = visibleVersion(ctx, ctx.params.id!);
        const body = requireObject(ctx.body);
        rejectUnknownFields(body, "version");
        checkVersionFields(body);
        // Jira's OpenAPI description: 400 when "the user does not have the required permissions".
        if (!ctx.user.permissionsFor(project.key).administer) throw errorCollection(400, [VERSION_ADMIN]);
        const name = body.name === undefined ? version.name : checkVersionName(project, body.name, version.id);
        const next = { ...version, name };
        if (typeof body.description === "string") next.description = body.description;
        if (typeof body.released === "boolean") next.released = body.released;
        if (typeof body.archived === "boolean") next.archived = body.archived;
        if (typeof body.releaseDate === "string") next.releaseDate = body.releaseDate;
        if (body.releaseDate === null) delete next.releaseDate;
        // Releasing without a date stamps today, as Jira's release dialog does.
        if (next.released && !version.released && next.releaseDate === undefined) next.releaseDate = new Date().toISOString().slice(0, 10);
        if (next.name !== version.name) effect(ctx, { kind: "version-renamed", versionId: version.id, detail: next.name });
        if (next.released !== version.released) effect(ctx, { kind: next.released ? "version-released" : "version-unreleased", versionId: version.id, detail: next.releaseDate });
        if (next.archived !== version.archived) effect(ctx, { kind: next.archived ? "version-archived" : "version-unarchived", versionId: version.id });
        versions.set(version.id, next);
        return { status: 200, body: json.versionJson(next) };
      },
    ],
    [R.getProject, (ctx) => ({ status: 200, body: json.projectJson(visibleProject(ctx, ctx.params.projectIdOrKey!)) })],
    [
      R.getProjectVersions,
      (ctx) => {
        const project = visibleProject(ctx, ctx.params.projectIdOrKey!);
        return { status: 200, body: [...versions.values()].filter((version) => version.projectId === project.id).map((version) => json.versionJson(version)) };
      },
    ],
  ]);

  // ---- the HTTP side ---------------------------------------------------------------------------------------------

  function authenticate(authorization: string | undefined): TestUserRecord | undefined {
    if (!authorization) return undefined;
    if (cloud) {
      const match = /^Basic\s+(\S+)$/i.exec(authorization);
      if (!match) return undefined;
      const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
      const separator = decoded.indexOf(":");
      const user = users.get(decoded.slice(0, separator));
      return user && separator > 0 && user.token === decoded.slice(separator + 1) ? userRecords.get(user.login) : undefined;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match ? [...users.values()].find((candidate) => candidate.token === match[1]) : undefined;
    return user ? userRecords.get(user.login) : undefined;
  }

  function unauthorized(present: boolean): JiraApiError {
    const headers = { "x-seraph-loginreason": present ? "AUTHENTICATED_FAILED" : "AUTHENTICATION_REQUIRED", "www-authenticate": cloud ? 'Basic realm="protected-area"' : 'Bearer realm="Jira"' };
    // Cloud answers bad credentials with a plain-text line; Data Center with its error collection.
    if (cloud && present) return new JiraApiError(401, "Client must be authenticated to access this resource.", headers);
    return errorCollection(401, ["You are not authenticated. Authentication required to perform this operation."], {}, headers);
  }

  function matchFault(method: string, route: string | undefined, path: string): FaultRule | undefined {
    return faults.take(
      (rule) =>
        (!rule.method || rule.method.toUpperCase() === method) &&
        (!rule.route || rule.route === route) &&
        (!rule.path || rule.path.test(path)),
    );
  }

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? "GET").toUpperCase();
    const host = request.headers.host ?? "127.0.0.1";
    const url = new URL(request.url ?? "/", `http://${host}`);
    const prefix = new RegExp(`^${basePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/rest/api/(\\d+|latest)(/.*)$`);
    const match = prefix.exec(url.pathname);
    const apiVersion = match?.[1] === "latest" ? "2" : match?.[1];
    const path = match?.[2] ?? url.pathname;
    const record: ServedRequest = { method, url: request.url ?? "/", apiVersion, path, status: 0, faulted: false };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.response = body;
      const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
      response.writeHead(status, {
        ...(body === undefined ? {} : { "content-type": typeof body === "string" ? "text/plain;charset=UTF-8" : "application/json;charset=UTF-8" }),
        "x-arequestid": `${Date.now() % 100000}x${requests.length}x1`,
        ...(record.user ? { "x-ausername": record.user } : {}),
        ...headers,
      });
      response.end(text);
    };

    const versionServed = apiVersion === "2" || (cloud && apiVersion === "3");
    const route = versionServed ? routeTable.find((candidate) => candidate.method === method && candidate.pattern.test(path)) : undefined;
    if (route) record.route = `${route.method} ${route.template}`;
    const api = `http://${host}${basePath}/rest/api/${apiVersion ?? "2"}`;

    const fault = matchFault(method, record.route, path);
    let dropResponse = false;
    if (fault) {
      record.faulted = true;
      if ("kind" in fault) {
        if (fault.kind === "timeout") return;
        if (fault.kind === "disconnect") {
          request.socket.destroy();
          return;
        }
        if (fault.kind === "drop-response") dropResponse = true;
        if (fault.kind === "latency") {
          record.faulted = false;
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
        }
        if (fault.kind === "rate-limit") {
          const retryAfter = fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds;
          const reset = new Date(Date.now() + (retryAfter ?? 60) * 1000).toISOString();
          return send(
            fault.status ?? 429,
            { errorMessages: [fault.status === 503 ? "Service temporarily unavailable." : "Rate limit exceeded."], errors: {} },
            {
              ...(retryAfter === null ? {} : { "retry-after": String(retryAfter) }),
              "x-ratelimit-limit": "100",
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": reset,
              "ratelimit-reason": "jira-quota-global-based",
            },
          );
        }
      } else {
        return send(fault.status, { errorMessages: fault.errorMessages ?? [fault.status >= 500 ? "Internal server error" : "Injected fault"], errors: {} }, fault.headers ?? {});
      }
    }

    try {
      if (!route || (route.only && route.only !== deployment)) {
        throw errorCollection(404, [`null for uri: ${url.href}`]);
      }
      const authorization = request.headers.authorization;
      const user = authenticate(authorization);
      if (authorization && !user) throw unauthorized(true);
      if (!user && !route.anonymous) throw unauthorized(false);
      record.user = user?.login;
      const rawBody = method === "GET" ? "" : await readBody(request);
      let body: unknown;
      if (rawBody !== "") {
        if (!/^application\/json/i.test(request.headers["content-type"] ?? "")) {
          throw new JiraApiError(415, { errorMessages: ["Unsupported Media Type: send application/json."], errors: {} });
        }
        try {
          body = JSON.parse(rawBody);
        } catch {
          throw errorCollection(400, ["Unexpected character in the request body: it is not JSON."]);
        }
      }
      record.body = body;
      const params: Record<string, string> = {};
      const values = route.pattern.exec(path)!;
      route.names.forEach((name, index) => (params[name] = decodeURIComponent(values[index + 1]!)));
      const login = user?.login ?? "anonymous";
      const ctx: RequestContext = {
        method,
        apiVersion: apiVersion!,
        params,
        query: url.searchParams,
        body,
        user: { ...(user ?? { login, displayName: "Anonymous", accountId: "", email: "" }), permissionsFor: (project) => (user ? permissionsFor(user.login, project) : { ...FULL, browse: false, edit: false, transition: false, comment: false, link: false, administer: false }) },
      };
      // Handlers are synchronous: the API root for `self` links cannot change under them.
      currentApi = api;
      const reply = handlers.get(route)!(ctx);
      if (dropResponse) {
        request.socket.destroy();
        return;
      }
      return send(reply.status, reply.body);
    } catch (error) {
      if (error instanceof JiraApiError) {
        if (dropResponse) {
          request.socket.destroy();
          return;
        }
        return send(error.status, error.body, error.headers);
      }
      throw error;
    }
  }

  http = await startHttpServer(handle);

  const server: JiraTestServer = {
    url: http.url,
    host: "127.0.0.1",
    port: http.port,
    basePath,
    siteUrl: `${http.url}${basePath}`,
    requests,
    effects,
    count(route, filter = {}) {
      return requests.filter((request) => request.route === route && (filter.status === undefined || request.status === filter.status)).length;
    },
    resetRequests() {
      requests.length = 0;
    },
    countEffects(kind, filter = {}) {
      return effects.filter(
        (entry) => entry.kind === kind && (filter.issue === undefined || entry.issue === filter.issue) && (filter.versionId === undefined || entry.versionId === filter.versionId),
      ).length;
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
    issue(key) {
      const issue = issues.get(key);
      if (!issue) throw new Error(`no issue ${key}`);
      return issue;
    },
    versions(projectKey) {
      const project = projects.get(projectKey);
      if (!project) throw new Error(`no project ${projectKey}`);
      return [...versions.values()].filter((version) => version.projectId === project.id);
    },
    addIssue,
    setPermissions(login, project, permissions) {
      const user = users.get(login);
      if (!user) throw new Error(`no user ${login}`);
      user.permissions = { ...(user.permissions ?? {}), [project]: { ...(user.permissions?.[project] ?? {}), ...permissions } };
    },
    close: () => http!.close(),
  };
  return server;
}
