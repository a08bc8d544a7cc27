import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubTestServer, type GitHubTestServer } from "./github-test-server";
import { shapeDifferences } from "./response-shape";

/**
 * The test server against what GitHub really answered. @octokit/fixtures records request/response pairs from
 * api.github.com (scenarios/api.github.com/NAME/normalized-fixture.json); for the endpoints Slipway uses that it has
 * recorded, our answer must have the same status, the same key headers (content type, ETag, Location, Link in
 * GitHub's `/repositories/{id}` form) and the same shape: every recorded key, top level and one level down, with the
 * same type. The endpoints it has not recorded (pull requests, reviewers, compare, commits, a file's content) are held
 * to the example answers of GitHub's OpenAPI description, which GitHub publishes from real responses.
 */

const require = createRequire(import.meta.url);
const FIXTURES = path.join(path.dirname(require.resolve("@octokit/fixtures/package.json")), "scenarios", "api.github.com");

interface RecordedExchange {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  response: unknown;
}

function recorded(scenario: string, index: number): RecordedExchange {
  const exchanges = JSON.parse(readFileSync(path.join(FIXTURES, scenario, "normalized-fixture.json"), "utf8")) as RecordedExchange[];
  return exchanges[index]!;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { examples?: Record<string, { $ref?: string; value?: unknown }> }> }> }>>;
  components: { examples: Record<string, { value: unknown }> };
}
const spec = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as OpenApiDocument;

function documentedExample(template: string, method: string, status: number, name?: string): unknown {
  const examples = spec.paths[template]![method]!.responses[String(status)]!.content!["application/json"]!.examples!;
  const example = name ? examples[name]! : Object.values(examples)[0]!;
  return example.$ref ? spec.components.examples[example.$ref.split("/").pop()!]!.value : example.value;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

const TOKEN = "ghp_recorded";
let server: GitHubTestServer;
const answers = new Map<string, Answer>();

async function call(name: string, path: string, options: { method?: string; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: options.method ?? "GET",
    headers: {
      accept: "application/vnd.github.v3+json",
      authorization: `token ${TOKEN}`,
      "user-agent": "recorded-responses-test",
      ...(options.body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const answer = { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  answers.set(name, answer);
  return answer;
}

beforeAll(async () => {
  server = await startGitHubTestServer({ tokens: { [TOKEN]: "octokit-fixture-user" } });
  const repo = await server.createRepository("octokit-fixture-org/hello-world", { collaborators: ["octocat"] });
  const first = await repo.commit({ branch: "main", files: { "README.md": "Hello World\n", "docs/a.md": "a\n" }, message: "Initial" });
  for (let index = 0; index < 4; index++) await repo.commit({ branch: "main", files: { "README.md": `Hello ${index}\n` }, message: `Change ${index}` });

  await call("get repository", "/repos/octokit-fixture-org/hello-world");
  await call("get ref", "/repos/octokit-fixture-org/hello-world/git/ref/heads/main");
  await call("create ref", "/repos/octokit-fixture-org/hello-world/git/refs", { method: "POST", body: { ref: "refs/heads/test", sha: first } });
  await call("get directory content", "/repos/octokit-fixture-org/hello-world/contents/docs");
  await call("get file content", "/repos/octokit-fixture-org/hello-world/contents/README.md");
  await call("list commits (paged)", "/repos/octokit-fixture-org/hello-world/commits?per_page=2");
  await call("compare", `/repos/octokit-fixture-org/hello-world/compare/${first}...main`);
  await repo.commit({ branch: "feature", parents: [first], files: { "feature.txt": "f\n" }, message: "Feature" });
  const pull = await call("create pull request", "/repos/octokit-fixture-org/hello-world/pulls", {
    method: "POST",
    body: { title: "Feature", head: "feature", base: "main", body: "Body" },
  });
  const number = (pull.body as { number: number }).number;
  await call("add labels", `/repos/octokit-fixture-org/hello-world/issues/${number}/labels`, { method: "POST", body: { labels: ["Foo", "bug", "help wanted"] } });
  await call("request reviewers", `/repos/octokit-fixture-org/hello-world/pulls/${number}/requested_reviewers`, { method: "POST", body: { reviewers: ["octocat"] } });
  await call("get pull request", `/repos/octokit-fixture-org/hello-world/pulls/${number}`);
  await server.mergePullRequest("octokit-fixture-org/hello-world", number);
  await call("get merged pull request", `/repos/octokit-fixture-org/hello-world/pulls/${number}`);
});

afterAll(() => server?.close());

/** A recorded exchange; `element` compares one item of a recorded list with our single answer (git/refs → git/ref). */
const FROM_FIXTURES: { name: string; scenario: string; index: number; element?: boolean }[] = [
  { name: "get repository", scenario: "get-repository", index: 0 },
  { name: "get ref", scenario: "git-refs", index: 0, element: true },
  { name: "create ref", scenario: "git-refs", index: 1 },
  { name: "get directory content", scenario: "get-content", index: 0 },
  { name: "add labels", scenario: "add-labels-to-issue", index: 1 },
];

const FROM_OPENAPI: { name: string; template: string; method: string; status: number; example?: string }[] = [
  { name: "get file content", template: "/repos/{owner}/{repo}/contents/{path}", method: "get", status: 200, example: "response-if-content-is-a-file" },
  { name: "list commits (paged)", template: "/repos/{owner}/{repo}/commits", method: "get", status: 200 },
  { name: "compare", template: "/repos/{owner}/{repo}/compare/{basehead}", method: "get", status: 200 },
  { name: "create pull request", template: "/repos/{owner}/{repo}/pulls", method: "post", status: 201 },
  { name: "get pull request", template: "/repos/{owner}/{repo}/pulls/{pull_number}", method: "get", status: 200 },
  { name: "get merged pull request", template: "/repos/{owner}/{repo}/pulls/{pull_number}", method: "get", status: 200 },
  { name: "request reviewers", template: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", method: "post", status: 201 },
];

/** GitHub's ETag, strong in the recordings (normalized) and weak on most live answers. */
const ETAG = /^(W\/)?"[^"]+"$/;
/** One Link entry as GitHub writes it: the repository by numeric id, the page in the query. */
const LINK_ENTRY = /^<https?:\/\/[^>]+\/repositories\/\d+\/[^>?]+\?[^>]*\bpage=\d+>; rel="(next|last|prev|first)"$/;

describe("the test server against GitHub's recorded answers (@octokit/fixtures)", () => {
  it.each(FROM_FIXTURES.map((entry) => [entry.name, entry] as const))("%s has GitHub's status, headers and shape", (_, entry) => {
    const github = recorded(entry.scenario, entry.index);
    const ours = answers.get(entry.name)!;
    expect(ours.status).toBe(github.status);
    expect(ours.headers.get("content-type")).toBe(github.headers["content-type"]);
    expect(github.headers.etag).toMatch(ETAG);
    expect(ours.headers.get("etag")).toMatch(ETAG);
    if (github.headers.location) expect(ours.headers.get("location")).toMatch(/^https?:\/\/.+\/git\/refs\/heads\/test$/);
    expect(ours.headers.get("cache-control")).toBe(github.headers["cache-control"]);
    for (const header of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-used", "x-ratelimit-resource", "x-github-request-id"]) {
      expect(github.headers[header], header).toBeDefined();
      expect(ours.headers.get(header), header).not.toBeNull();
    }
    // Classic tokens: GitHub reports the token's scopes and the ones the endpoint accepts.
    expect(ours.headers.get("x-oauth-scopes")).not.toBeNull();
    expect(ours.headers.has("x-accepted-oauth-scopes")).toBe(true);
    const recordedBody = entry.element ? (github.response as unknown[])[0] : github.response;
    expect(shapeDifferences(recordedBody, ours.body)).toEqual([]);
  });

  it("writes Link headers in the recorded form, and our first page links like GitHub's first page", () => {
    const github = recorded("paginate-issues", 0).headers.link!;
    const ours = answers.get("list commits (paged)")!.headers.get("link")!;
    for (const link of [github, ours]) {
      for (const entry of link.split(", ")) expect(entry, link).toMatch(LINK_ENTRY);
    }
    const rels = (link: string) => [...link.matchAll(/rel="(\w+)"/g)].map((match) => match[1]);
    expect(rels(ours)).toEqual(rels(github));
  });

  it("notices a missing key or a changed type (the comparison itself can fail)", () => {
    const github = recorded("get-repository", 0).response as Record<string, unknown>;
    const { full_name: _dropped, ...withoutName } = github;
    expect(shapeDifferences(github, withoutName)).toEqual(["full_name: missing (GitHub sent string)"]);
    expect(shapeDifferences(github, { ...github, owner: { ...(github.owner as object), id: "1" } })).toEqual(["owner.id: string, GitHub sent number"]);
    expect(shapeDifferences(github, { ...github, description: null })).toEqual([]);
  });
});

describe("the test server against GitHub's documented example answers", () => {
  it.each(FROM_OPENAPI.map((entry) => [entry.name, entry] as const))("%s has the documented status and shape", (_, entry) => {
    const ours = answers.get(entry.name)!;
    expect(ours.status).toBe(entry.status);
    expect(ours.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(ours.headers.get("etag")).toMatch(ETAG);
    expect(shapeDifferences(documentedExample(entry.template, entry.method, entry.status, entry.example), ours.body)).toEqual([]);
  });
});
