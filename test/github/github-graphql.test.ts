import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrefetchQuery } from "@/lib/git/github/prefetch-query";
import { startGitHubTestServer, type GitHubTestServer } from "./github-test-server";

const TOKEN = "ghp_graphql";
let server: GitHubTestServer;
let head: string;

async function post(body: unknown, token: string | null = TOKEN, path = "/graphql") {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "slipway-test", ...(token ? { authorization: `bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: any[] } };
}

beforeAll(async () => {
  server = await startGitHubTestServer({ tokens: { [TOKEN]: "graphql-bot" } });
  const repo = await server.createRepository("acme/stack");
  head = await repo.commit({
    branch: "main",
    files: { "Chart.yaml": "name: stack\n", "charts/README.md": "vendored\n", "logo.png": "\u0000PNG" },
    message: "Initial",
    date: "2024-03-01T10:00:00Z",
  });
});

afterAll(() => server?.close());

describe("GitHub test server GraphQL", () => {
  it("answers Slipway's prefetch query from git, with GitHub's rate-limit headers and a cost of 1", async () => {
    const { query, variables } = buildPrefetchQuery([
      { owner: "acme", name: "stack", branches: [{ branch: "main", paths: ["Chart.yaml", "charts", "missing.yaml", "logo.png"] }, { branch: "nope", paths: [] }] },
    ]);
    const before = server.rateLimit("graphql-bot", "graphql").used;
    const { status, headers, body } = await post({ query, variables });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const target = body.data.r0.b0.target;
    expect(target.oid).toBe(head);
    expect(target.committedDate).toBe("2024-03-01T10:00:00Z");
    expect(target.f0).toEqual({ type: "blob", mode: 0o100644, object: { byteSize: 12, isBinary: false, isTruncated: false, text: "name: stack\n" } });
    expect(target.f1).toEqual({ type: "tree", mode: 0o40000, object: {} });
    expect(target.f2).toBeNull();
    expect(target.f3.object).toMatchObject({ isBinary: true, text: null });
    expect(body.data.r0.b1).toBeNull();
    expect(body.data.rateLimit.cost).toBe(1);
    expect(headers.get("x-ratelimit-resource")).toBe("graphql");
    expect(server.rateLimit("graphql-bot", "graphql").used).toBe(before + 1);
    expect(Number(headers.get("x-ratelimit-remaining"))).toBe(server.rateLimit("graphql-bot", "graphql").remaining);
    // REST's bucket is GitHub's other resource: untouched.
    expect(server.rateLimit("graphql-bot").used).toBe(0);
  });

  it("rejects a query GitHub would reject, as GitHub does: 200 with errors, nothing charged", async () => {
    const before = server.rateLimit("graphql-bot", "graphql").used;
    const unknown = await post({ query: '{ repository(owner: "acme", name: "stack") { nope } }' });
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toBeUndefined();
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'nope' doesn't exist on type 'Repository'",
        extensions: { code: "undefinedField", typeName: "Repository", fieldName: "nope" },
      }),
    ]);
    const unpaginated = await post({ query: '{ repository(owner: "acme", name: "stack") { refs(refPrefix: "refs/heads/") { totalCount } } }' });
    expect(unpaginated.body.errors![0]).toMatchObject({ type: "MISSING_PAGINATION_BOUNDARIES" });
    const tooLarge = await post({ query: '{ repository(owner: "acme", name: "stack") { refs(refPrefix: "refs/heads/", first: 101) { totalCount } } }' });
    expect(tooLarge.body.errors![0]).toMatchObject({ type: "EXCESSIVE_PAGINATION" });
    expect(server.rateLimit("graphql-bot", "graphql").used).toBe(before);
  });

  it("scores connections as GitHub documents: requests to fill each, / 100, rounded, at least 1", async () => {
    const score = async (selection: string) =>
      (await post({ query: `{ rateLimit(dryRun: true) { cost nodeCount } repository(owner: "acme", name: "stack") { ${selection} } }` })).body.data
        .rateLimit;
    // One request for 100 pull requests, 100 for their reviews: 101 / 100 → 1 point.
    expect(await score("pullRequests(first: 100) { nodes { reviews(first: 100) { totalCount } } }")).toEqual({ cost: 1, nodeCount: 10_100 });
    // GitHub's nested example: 1 + 50 + 50 × 20 = 1,051 requests → 11 points; 50 + 1,000 + 10,000 nodes.
    expect(await score("pullRequests(first: 50) { nodes { reviews(last: 20) { nodes { comments(first: 10) { totalCount } } } } }")).toEqual({
      cost: 11,
      nodeCount: 11_050,
    });
    const tooMany = await post({
      query: '{ repository(owner: "acme", name: "stack") { pullRequests(first: 100) { nodes { reviews(first: 100) { nodes { comments(first: 100) { totalCount } } } } } } }',
    });
    expect(tooMany.body.errors![0]).toMatchObject({ type: "MAX_NODE_LIMIT_EXCEEDED" });
    expect(await score("name")).toEqual({ cost: 1, nodeCount: 0 });
  });

  it("lists history as 'list commits' does, pages by GitHub's cursors, and answers objects by oid", async () => {
    const repo = server.repository("acme/stack");
    const second = await repo.commit({ branch: "main", files: { "Chart.yaml": "name: stack\nversion: 2\n" }, message: "Bump\n\nWhy", date: "2024-03-02T10:00:00Z" });
    const third = await repo.commit({ branch: "main", files: { "README.md": "hi\n" }, message: "Docs", date: "2024-03-03T10:00:00Z" });
    const query = `query($oid: GitObjectID!, $after: String) { repository(owner: "acme", name: "stack") { object(oid: $oid) { ... on Commit {
      all: history(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { oid message author { name email date } parents(first: 5) { totalCount nodes { oid } } } }
      chart: history(first: 10, path: "Chart.yaml") { nodes { messageHeadline } } } } } }`;
    const first = await post({ query, variables: { oid: third } });
    expect(first.body.errors).toBeUndefined();
    const all = first.body.data.repository.object.all;
    expect(all.totalCount).toBe(3);
    expect(all.nodes.map((n: { oid: string }) => n.oid)).toEqual([third, second]);
    expect(all.nodes[1]).toMatchObject({ message: "Bump\n\nWhy", author: { name: "Dev One", date: "2024-03-02T10:00:00Z" }, parents: { totalCount: 1, nodes: [{ oid: head }] } });
    expect(all.pageInfo).toEqual({ hasNextPage: true, endCursor: `${third} 1` });
    expect(first.body.data.repository.object.chart.nodes).toEqual([{ messageHeadline: "Bump" }, { messageHeadline: "Initial" }]);
    const next = await post({ query, variables: { oid: third, after: all.pageInfo.endCursor } });
    expect(next.body.data.repository.object.all.nodes.map((n: { oid: string }) => n.oid)).toEqual([head]);
    expect(next.body.data.repository.object.all.pageInfo.hasNextPage).toBe(false);
    // A cursor of another commit's history, an argument the server does not serve, an unknown oid.
    expect((await post({ query, variables: { oid: second, after: all.pageInfo.endCursor } })).body.errors?.[0]?.message).toMatch(/valid cursor/);
    const since = await post({ query: `{ repository(owner: "acme", name: "stack") { object(oid: "${third}") { ... on Commit { history(first: 1, since: "2024-01-01T00:00:00Z") { nodes { oid } } } } } }` });
    expect(since.body.errors?.[0]?.message).toMatch(/does not implement Commit.history\(since\)/);
    const missing = await post({ query: `{ repository(owner: "acme", name: "stack") { object(oid: "${"0".repeat(40)}") { oid } } }` });
    expect(missing.body).toEqual({ data: { repository: { object: null } } });
  });

  it("names a repository it cannot resolve, beside the data it could", async () => {
    const { body } = await post({ query: '{ a: repository(owner: "acme", name: "stack") { name } b: repository(owner: "acme", name: "missing") { name } }' });
    expect(body.data).toEqual({ a: { name: "stack" }, b: null });
    expect(body.errors).toEqual([expect.objectContaining({ type: "NOT_FOUND", path: ["b"], message: "Could not resolve to a Repository with the name 'acme/missing'." })]);
  });

  it("wants a token, and answers an exhausted limit with GitHub's RATE_LIMITED error", async () => {
    const anonymous = await post({ query: "{ rateLimit { cost } }" }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ message: "This endpoint requires you to be authenticated." });
    expect((await post({ query: "{ rateLimit { cost } }" }, "ghp_wrong")).status).toBe(401);
    // GitHub Enterprise Server serves GraphQL at /api/graphql.
    expect((await post({ query: "{ rateLimit { cost } }" }, TOKEN, "/api/graphql")).body.data.rateLimit.cost).toBe(1);

    server.addToken("ghp_spent", "spent-bot");
    server.exhaustRateLimit("spent-bot", 600, { resource: "graphql" });
    const spent = await post({ query: "{ rateLimit { cost } }" }, "ghp_spent");
    expect(spent.status).toBe(200);
    expect(spent.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(spent.body.errors![0]).toMatchObject({ type: "RATE_LIMITED" });
  });
});
