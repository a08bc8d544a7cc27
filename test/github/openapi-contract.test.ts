import { generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITHUB_TEST_SERVER_ROUTES, startGitHubTestServer, type GitHubTestServer } from "./github-test-server";

/**
 * Keeps the GitHub test server honest: every route it serves must exist in GitHub's published OpenAPI description
 * (@octokit/openapi, api.github.com) with the same method and parameter names, and every answer it gives — success
 * and error — must be a documented status whose JSON has the documented required properties, with their types, all
 * the way down. So the adapter cannot pass against a server that has drifted from the real API.
 */

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

interface Operation {
  parameters?: (Schema & { name?: string; in?: string })[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as OpenApi;

function resolve<T extends { $ref?: string }>(node: T): T {
  let current = node;
  while (current?.$ref) {
    current = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((value, key) => (value as Record<string, unknown>)[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec) as T;
  }
  return current;
}

/** Required properties, types, enums, nullability, formats; oneOf/anyOf as "one alternative fits". */
function validate(value: unknown, raw: Schema, at: string, errors: string[]): void {
  const schema = resolve(raw);
  if (schema.allOf) for (const part of schema.allOf) validate(value, part, at, errors);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    if (value === null && schema.nullable) return;
    const fits = alternatives.some((alternative) => {
      const trial: string[] = [];
      validate(value, alternative, at, trial);
      return trial.length === 0;
    });
    if (!fits) {
      const reasons = alternatives.map((alternative) => {
        const trial: string[] = [];
        validate(value, alternative, at, trial);
        return trial.slice(0, 3).join("; ");
      });
      errors.push(`${at}: fits none of ${alternatives.length} alternatives (${reasons.join(" | ")})`);
    }
    return;
  }
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) errors.push(`${at}: null but not nullable`);
    return;
  }
  const type = schema.type ?? (schema.properties || schema.required ? "object" : undefined);
  switch (type) {
    case "string":
      if (typeof value !== "string") return void errors.push(`${at}: expected string, got ${JSON.stringify(value)}`);
      if (schema.format === "date-time" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) {
        errors.push(`${at}: not a date-time: ${value}`);
      }
      if (schema.format === "uri" && !URL.canParse(value)) errors.push(`${at}: not a URI: ${value}`);
      break;
    case "integer":
      if (!Number.isInteger(value)) return void errors.push(`${at}: expected integer, got ${JSON.stringify(value)}`);
      break;
    case "number":
      if (typeof value !== "number") return void errors.push(`${at}: expected number, got ${JSON.stringify(value)}`);
      break;
    case "boolean":
      if (typeof value !== "boolean") return void errors.push(`${at}: expected boolean, got ${JSON.stringify(value)}`);
      break;
    case "array":
      if (!Array.isArray(value)) return void errors.push(`${at}: expected array`);
      if (schema.items) value.forEach((item, index) => validate(item, schema.items!, `${at}[${index}]`, errors));
      break;
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return void errors.push(`${at}: expected object`);
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${at}.${key}: required but missing`);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (key in record) validate(record[key], property, `${at}.${key}`, errors);
      }
      break;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
}

const TOKEN = "ghp_contract";
const APP_ID = 31337;
const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

function appJwt(privateKey = keys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat: now - 30, exp: now + 540, iss: APP_ID })}`;
  return `${unsigned}.${sign("sha256", Buffer.from(unsigned), privateKey).toString("base64url")}`;
}

interface Exchange {
  route: string;
  status: number;
  body: unknown;
  headers: Headers;
}

let server: GitHubTestServer;
const exchanges: Exchange[] = [];
let blobSha: string;
let commitSha: string;
let treeSha: string;

async function call(
  route: string,
  path: string,
  options: { body?: unknown; authorization?: string; expect: number; headers?: Record<string, string> },
): Promise<Exchange> {
  const [method] = route.split(" ");
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      "user-agent": "contract-test",
      authorization: options.authorization ?? `token ${TOKEN}`,
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const exchange = { route, status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  expect(exchange.status, `${route} (${path}): ${text.slice(0, 300)}`).toBe(options.expect);
  exchanges.push(exchange);
  return exchange;
}

beforeAll(async () => {
  server = await startGitHubTestServer({
    tokens: { [TOKEN]: "contract-bot" },
    app: { id: APP_ID, publicKey: keys.publicKey, installationIds: [1] },
  });
  const repo = await server.createRepository("acme/stack", { collaborators: ["alice"], teams: ["gatekeepers"] });
  await server.createRepository("acme/empty");
  const first = await repo.commit({ branch: "main", files: { "Chart.yaml": "name: stack\n", "charts/a.txt": "a\n" }, message: "Initial" });
  await repo.tag("v1.0.0", first, "release");
  await repo.commit({ branch: "main", files: { "Chart.yaml": "name: stack\nversion: 2\n" }, message: "Second" });
  await repo.commit({ branch: "main", files: { "values.yaml": "x: 1\n" }, message: "Third" });
  await repo.commit({ branch: "feature", parents: [first], files: { "feature.txt": "f\n" }, message: "Feature" });

  // Successes and documented failures of every route, in an order where writes feed later requests.
  const R = (template: string) => template;
  await call(R("GET /repos/{owner}/{repo}"), "/repos/acme/stack", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}"), "/repos/acme/missing", { expect: 404 });
  await call(R("GET /repos/{owner}/{repo}/branches/{branch}"), "/repos/acme/stack/branches/main", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/branches/{branch}"), "/repos/acme/stack/branches/nope", { expect: 404 });
  await call(R("GET /repos/{owner}/{repo}/git/ref/{ref}"), "/repos/acme/stack/git/ref/heads%2Fmain", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/git/ref/{ref}"), "/repos/acme/stack/git/ref/heads/nope", { expect: 404 });
  await call(R("GET /repos/{owner}/{repo}/contents/{path}"), "/repos/acme/stack/contents/Chart.yaml?ref=main", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/contents/{path}"), "/repos/acme/stack/contents/charts?ref=main", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/contents/{path}"), "/repos/acme/stack/contents/nope.yaml?ref=main", { expect: 404 });
  await call(R("GET /repos/{owner}/{repo}/commits"), "/repos/acme/stack/commits?sha=main&per_page=2", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/commits"), "/repos/acme/stack/commits?sha=nope", { expect: 404 });
  await call(R("GET /repos/{owner}/{repo}/commits"), "/repos/acme/empty/commits", { expect: 409 });
  await call(R("GET /repos/{owner}/{repo}/tags"), "/repos/acme/stack/tags", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/compare/{basehead}"), "/repos/acme/stack/compare/v1.0.0...main", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/compare/{basehead}"), "/repos/acme/stack/compare/main...feature?per_page=1&page=1", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/compare/{basehead}"), "/repos/acme/stack/compare/nope...main", { expect: 404 });

  blobSha = ((await call(R("POST /repos/{owner}/{repo}/git/blobs"), "/repos/acme/stack/git/blobs", {
    body: { content: Buffer.from("name: stack\nversion: 3\n").toString("base64"), encoding: "base64" },
    expect: 201,
  })).body as { sha: string }).sha;
  await call(R("POST /repos/{owner}/{repo}/git/blobs"), "/repos/acme/stack/git/blobs", { body: { content: "x", encoding: "utf-16" }, expect: 422 });
  await call(R("GET /repos/{owner}/{repo}/git/blobs/{file_sha}"), `/repos/acme/stack/git/blobs/${blobSha}`, { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/git/blobs/{file_sha}"), `/repos/acme/stack/git/blobs/${"0".repeat(40)}`, { expect: 404 });
  const base = (await call(R("GET /repos/{owner}/{repo}/git/commits/{commit_sha}"), `/repos/acme/stack/git/commits/${await repo.rev("main")}`, { expect: 200 }))
    .body as { sha: string; tree: { sha: string } };
  await call(R("GET /repos/{owner}/{repo}/git/commits/{commit_sha}"), `/repos/acme/stack/git/commits/${"0".repeat(40)}`, { expect: 404 });
  treeSha = ((await call(R("POST /repos/{owner}/{repo}/git/trees"), "/repos/acme/stack/git/trees", {
    body: { base_tree: base.tree.sha, tree: [{ path: "Chart.yaml", mode: "100644", type: "blob", sha: blobSha }] },
    expect: 201,
  })).body as { sha: string }).sha;
  await call(R("POST /repos/{owner}/{repo}/git/trees"), "/repos/acme/stack/git/trees", {
    body: { tree: [{ path: "x", mode: "100600", type: "blob", sha: blobSha }] },
    expect: 422,
  });
  commitSha = ((await call(R("POST /repos/{owner}/{repo}/git/commits"), "/repos/acme/stack/git/commits", {
    body: { message: "Bump", tree: treeSha, parents: [base.sha], author: { name: "RM", email: "rm@example.com" } },
    expect: 201,
  })).body as { sha: string }).sha;
  await call(R("POST /repos/{owner}/{repo}/git/commits"), "/repos/acme/stack/git/commits", {
    body: { message: "Bad", tree: "0".repeat(40), parents: [] },
    expect: 422,
  });
  await call(R("POST /repos/{owner}/{repo}/git/refs"), "/repos/acme/stack/git/refs", { body: { ref: "refs/heads/bump", sha: commitSha }, expect: 201 });
  await call(R("POST /repos/{owner}/{repo}/git/refs"), "/repos/acme/stack/git/refs", { body: { ref: "refs/heads/bump", sha: commitSha }, expect: 422 });
  // A fast-forward of bump to itself is allowed; moving it back to its parent is not a fast-forward.
  await call(R("PATCH /repos/{owner}/{repo}/git/refs/{ref}"), "/repos/acme/stack/git/refs/heads/bump", { body: { sha: commitSha }, expect: 200 });
  await call(R("PATCH /repos/{owner}/{repo}/git/refs/{ref}"), "/repos/acme/stack/git/refs/heads/bump", { body: { sha: base.sha, force: false }, expect: 422 });
  // Merging a commit into a branch: a merge commit, nothing to merge, a missing base, a conflict; then a ref removed.
  await call(R("POST /repos/{owner}/{repo}/git/refs"), "/repos/acme/stack/git/refs", { body: { ref: "refs/heads/promote", sha: first }, expect: 201 });
  await call(R("POST /repos/{owner}/{repo}/merges"), "/repos/acme/stack/merges", { body: { base: "promote", head: await repo.rev("feature") }, expect: 201 });
  await call(R("POST /repos/{owner}/{repo}/merges"), "/repos/acme/stack/merges", { body: { base: "promote", head: "feature" }, expect: 204 });
  await call(R("POST /repos/{owner}/{repo}/merges"), "/repos/acme/stack/merges", { body: { base: "nope", head: "feature" }, expect: 404 });
  await call(R("POST /repos/{owner}/{repo}/merges"), "/repos/acme/stack/merges", { body: { base: "bump", head: "promote" }, expect: 201 });
  await repo.commit({ branch: "clash", parents: [first], files: { "Chart.yaml": "name: clash\n" }, message: "Clash" });
  await call(R("POST /repos/{owner}/{repo}/merges"), "/repos/acme/stack/merges", { body: { base: "bump", head: "clash" }, expect: 409 });
  await call(R("DELETE /repos/{owner}/{repo}/git/refs/{ref}"), "/repos/acme/stack/git/refs/heads/promote", { expect: 204 });
  await call(R("DELETE /repos/{owner}/{repo}/git/refs/{ref}"), "/repos/acme/stack/git/refs/heads/promote", { expect: 422 });

  await call(R("POST /repos/{owner}/{repo}/pulls"), "/repos/acme/stack/pulls", { body: { title: "Bump", head: "bump", base: "main", body: "b" }, expect: 201 });
  await call(R("POST /repos/{owner}/{repo}/pulls"), "/repos/acme/stack/pulls", { body: { title: "Bump", head: "bump", base: "main" }, expect: 422 });
  await call(R("POST /repos/{owner}/{repo}/issues/{issue_number}/labels"), "/repos/acme/stack/issues/1/labels", { body: { labels: ["slipway"] }, expect: 200 });
  await call(R("POST /repos/{owner}/{repo}/issues/{issue_number}/labels"), "/repos/acme/stack/issues/99/labels", { body: { labels: ["x"] }, expect: 404 });
  await call(R("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"), "/repos/acme/stack/pulls/1/requested_reviewers", {
    body: { reviewers: ["alice"], team_reviewers: ["gatekeepers"] },
    expect: 201,
  });
  await call(R("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"), "/repos/acme/stack/pulls/1/requested_reviewers", {
    body: { reviewers: ["contract-bot"] },
    expect: 422,
  });
  await call(R("GET /repos/{owner}/{repo}/pulls"), "/repos/acme/stack/pulls?head=acme:bump&state=open", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/pulls/{pull_number}"), "/repos/acme/stack/pulls/1", { expect: 200 });
  await server.mergePullRequest("acme/stack", 1);
  await call(R("GET /repos/{owner}/{repo}/pulls/{pull_number}"), "/repos/acme/stack/pulls/1", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/pulls/{pull_number}"), "/repos/acme/stack/pulls/99", { expect: 404 });

  // CI and the merge button (github-test-checks.ts): statuses, check runs, and merges GitHub refuses or does.
  const ciHead = await repo.commit({ branch: "ci", parents: [await repo.rev("main")], files: { "ci.txt": "ci\n" }, message: "CI" });
  await call(R("POST /repos/{owner}/{repo}/statuses/{sha}"), `/repos/acme/stack/statuses/${ciHead}`, {
    body: { state: "success", context: "ci/jenkins", description: "Build passed" },
    expect: 201,
  });
  server.checks.addCheckRun("acme/stack", ciHead, { name: "build", status: "completed", conclusion: "success" });
  server.checks.addCheckRun("acme/stack", ciHead, { name: "lint", status: "in_progress" });
  await call(R("GET /repos/{owner}/{repo}/commits/{ref}/status"), "/repos/acme/stack/commits/ci/status", { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/commits/{ref}/status"), `/repos/acme/stack/commits/${await repo.rev("main")}/status`, { expect: 200 });
  await call(R("GET /repos/{owner}/{repo}/commits/{ref}/status"), "/repos/acme/stack/commits/nope/status", { expect: 404 });
  await call(R("POST /repos/{owner}/{repo}/pulls"), "/repos/acme/stack/pulls", { body: { title: "CI", head: "ci", base: "main" }, expect: 201 });
  await call(R("GET /repos/{owner}/{repo}/commits/{ref}/check-runs"), `/repos/acme/stack/commits/${ciHead}/check-runs?per_page=1`, { expect: 200 });
  await call(R("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"), "/repos/acme/stack/pulls/2/merge", { body: { sha: "0".repeat(40) }, expect: 409 });
  await call(R("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"), "/repos/acme/stack/pulls/2/merge", { body: { merge_method: "octopus" }, expect: 422 });
  server.checks.protectBranch("acme/stack", "main", { requiredApprovingReviews: 1 });
  await call(R("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"), "/repos/acme/stack/pulls/2/merge", { body: { sha: ciHead }, expect: 405 });
  server.checks.approve("acme/stack", 2, "alice");
  await call(R("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"), "/repos/acme/stack/pulls/2/merge", { body: { sha: ciHead, merge_method: "merge" }, expect: 200 });
  await call(R("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"), "/repos/acme/stack/pulls/1/merge", { body: {}, expect: 405 });
  await call(R("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"), "/repos/acme/stack/pulls/99/merge", { body: {}, expect: 404 });

  await call(R("POST /app/installations/{installation_id}/access_tokens"), "/app/installations/1/access_tokens", {
    authorization: `Bearer ${appJwt()}`,
    expect: 201,
  });
  await call(R("POST /app/installations/{installation_id}/access_tokens"), "/app/installations/1/access_tokens", {
    authorization: `Bearer ${appJwt(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string)}`,
    expect: 401,
  });
  await call(R("POST /app/installations/{installation_id}/access_tokens"), "/app/installations/2/access_tokens", {
    authorization: `Bearer ${appJwt()}`,
    expect: 404,
  });
});

afterAll(() => server?.close());

describe("GitHub test server against GitHub's OpenAPI description", () => {
  it.each(GITHUB_TEST_SERVER_ROUTES.map((route) => [`${route.method} ${route.template}`, route] as const))(
    "%s exists in api.github.com with that method and those parameters",
    (_, route) => {
      const operations = spec.paths[route.template];
      expect(operations, `no path ${route.template}`).toBeDefined();
      const operation = operations![route.method.toLowerCase()];
      expect(operation, `${route.template} has no ${route.method}`).toBeDefined();
      const documented = (operation!.parameters ?? []).map((parameter) => resolve(parameter)).filter((parameter) => parameter.in === "path");
      const ours = [...route.template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(documented.map((parameter) => parameter.name).sort()).toEqual(ours.sort());
    },
  );

  it("exercised every route it serves, with a success", () => {
    for (const route of GITHUB_TEST_SERVER_ROUTES) {
      expect(exchanges.some((exchange) => exchange.route === `${route.method} ${route.template}` && exchange.status < 300), `${route.method} ${route.template}`).toBe(true);
    }
  });

  it("answers only with documented statuses, and with the documented JSON for each", () => {
    const problems: string[] = [];
    for (const exchange of exchanges) {
      const [method, template] = exchange.route.split(" ") as [string, string];
      const documented = spec.paths[template]![method.toLowerCase()]!.responses[String(exchange.status)];
      if (!documented) {
        problems.push(`${exchange.route}: status ${exchange.status} is not documented`);
        continue;
      }
      const schema = resolve(documented).content?.["application/json"]?.schema;
      const errors: string[] = [];
      if (schema) validate(exchange.body, schema, `${exchange.route} ${exchange.status}`, errors);
      if (exchange.status >= 400) {
        // Every GitHub error body: { message, documentation_url }.
        validate(exchange.body, resolve({ $ref: "#/components/schemas/basic-error" }), `${exchange.route} ${exchange.status}`, errors);
        const body = exchange.body as { message?: unknown; documentation_url?: unknown };
        if (typeof body?.message !== "string" || typeof body.documentation_url !== "string") {
          errors.push(`${exchange.route} ${exchange.status}: error body lacks message or documentation_url`);
        }
      }
      problems.push(...errors);
    }
    expect(problems).toEqual([]);
  });

  it("sends GitHub's headers: JSON content type, request id, rate limit, ETag on reads, Link on pages", () => {
    for (const exchange of exchanges) {
      const label = `${exchange.route} ${exchange.status}`;
      // A 204 has no body, and GitHub sends no content type with it.
      expect(exchange.headers.get("content-type"), label).toBe(exchange.status === 204 ? null : "application/json; charset=utf-8");
      expect(exchange.headers.get("x-github-request-id"), label).toMatch(/^[0-9A-F]+:[0-9A-F]+$/);
      if (!exchange.route.startsWith("POST /app/")) {
        for (const header of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-used"]) {
          expect(exchange.headers.get(header), `${label} ${header}`).toMatch(/^\d+$/);
        }
        expect(exchange.headers.get("x-ratelimit-resource"), label).toBe("core");
      }
      if (exchange.route.startsWith("GET ") && exchange.status === 200) expect(exchange.headers.get("etag"), label).toMatch(/^W\/"[0-9a-f]+"$/);
    }
    const paged = exchanges.find((exchange) => exchange.route === "GET /repos/{owner}/{repo}/commits" && exchange.status === 200)!;
    // GitHub's Link URLs address the repository by its numeric id, whatever path the request used.
    const id = server.repository("acme/stack").id;
    expect(paged.headers.get("link")).toBe(
      `<${server.url}/repositories/${id}/commits?sha=main&per_page=2&page=2>; rel="next", <${server.url}/repositories/${id}/commits?sha=main&per_page=2&page=2>; rel="last"`,
    );
  });

  it("answers a matching If-None-Match with a 304 that costs no rate limit", async () => {
    const first = await fetch(`${server.url}/repos/acme/stack/branches/main`, { headers: { authorization: `token ${TOKEN}`, "user-agent": "contract-test" } });
    await first.text();
    const remaining = first.headers.get("x-ratelimit-remaining");
    const again = await fetch(`${server.url}/repos/acme/stack/branches/main`, {
      headers: { authorization: `token ${TOKEN}`, "user-agent": "contract-test", "if-none-match": first.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("x-ratelimit-remaining")).toBe(remaining);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
  });

  it("refuses missing or wrong credentials with GitHub's 401", async () => {
    for (const authorization of ["token nope", "Bearer nope"]) {
      const response = await fetch(`${server.url}/repos/acme/stack`, { headers: { authorization, "user-agent": "contract-test" } });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    }
  });
});
