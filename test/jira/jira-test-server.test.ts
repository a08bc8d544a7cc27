import JiraApi from "jira-client";
import { afterEach, describe, expect, it } from "vitest";
import { readTransportFailure } from "@/lib/integrations/jira/jira-errors";
import { jiraTransport } from "@/lib/integrations/jira/jira-transport";
import { CLOUD_USER, DC_USER, startJira, type JiraHarness } from "./jira-fixtures";
import { startJiraTestServer, type JiraTestServer } from "./jira-test-server";

/** The test server is as strict as Jira where a client could get it wrong: checked through jira-client itself. */

const servers: JiraTestServer[] = [];
const harnesses: JiraHarness[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((server) => server.close()), ...harnesses.splice(0).map((harness) => harness.server.close())]);
});

async function cloudServer() {
  const server = await startJiraTestServer({ deployment: "cloud", users: [CLOUD_USER], projects: [{ key: "PAY" }], issues: [{ key: "PAY-1" }] });
  servers.push(server);
  return server;
}

function client(server: JiraTestServer, apiVersion: string, auth: Record<string, string> = { username: CLOUD_USER.login, password: CLOUD_USER.token }) {
  return new JiraApi({ protocol: "http", host: server.host, port: String(server.port), base: server.basePath, apiVersion, request: jiraTransport, ...auth });
}

async function answer(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const failure = readTransportFailure(error);
    if (!failure) throw error;
    return failure;
  }
  throw new Error("expected Jira to refuse");
}

describe("Jira test server strictness", () => {
  it("wants ADF comment bodies on v3 and strings on v2 (Cloud serves both)", async () => {
    const server = await cloudServer();
    expect(await answer(client(server, "3").addComment("PAY-1", "plain"))).toMatchObject({
      statusCode: 400,
      body: { errorMessages: ["Operation value must be an Atlassian Document (see the Atlassian Document Format)"] },
    });
    await client(server, "2").addComment("PAY-1", "plain on v2");
    const doc = { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "hello" }] }] };
    expect(await answer(client(server, "2").addCommentAdvanced("PAY-1", { body: doc } as never))).toMatchObject({ statusCode: 400 });
    await client(server, "3").addCommentAdvanced("PAY-1", { body: doc } as never);
    // Each API version reads every comment in its own format.
    const v2 = (await client(server, "2").getComments("PAY-1")) as unknown as { comments: { body: unknown }[] };
    const v3 = (await client(server, "3").getComments("PAY-1")) as unknown as { comments: { body: unknown }[] };
    expect(v2.comments.map((comment) => comment.body)).toEqual(["plain on v2", "hello"]);
    expect(v3.comments.map((comment) => (comment.body as { type: string }).type)).toEqual(["doc", "doc"]);
    expect(server.countEffects("comment-added")).toBe(2);
  });

  it("rejects unknown fields, bad labels and versions of other projects with Jira's error collection", async () => {
    const server = await cloudServer();
    const jira = client(server, "3");
    expect(await answer(jira.createVersion({ name: "v1", projectId: 10000, colour: "red" } as never))).toMatchObject({
      statusCode: 400,
      body: { errorMessages: ['Unrecognized field "colour" (Class VersionBean), not marked as ignorable'], errors: {} },
    });
    expect(await answer(jira.updateIssue("PAY-1", { update: { labels: [{ add: "two words" }] } }))).toMatchObject({
      statusCode: 400,
      body: { errors: { labels: "The label 'two words' contains spaces which is invalid." } },
    });
    expect(await answer(jira.updateIssue("PAY-1", { update: { fixVersions: [{ add: { id: "424242" } }] } }))).toMatchObject({
      statusCode: 400,
      body: { errors: { fixVersions: "Version id '424242' is not valid" } },
    });
    expect(await answer(jira.updateIssue("PAY-1", { update: { priority: [{ set: { name: "High" } }] } }))).toMatchObject({
      statusCode: 400,
      body: { errors: { priority: "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown." } },
    });
    await jira.createVersion({ name: "v1", projectId: 10000 } as never);
    expect(await answer(jira.createVersion({ name: "V1", projectId: 10000 } as never))).toMatchObject({
      statusCode: 400,
      body: { errors: { name: "A version with this name already exists in this project." } },
    });
    expect(await answer(jira.createVersion({ name: "x".repeat(256), projectId: 10000 } as never))).toMatchObject({ statusCode: 400 });
    expect(server.effects.map((effect) => effect.kind)).toEqual(["version-created"]);
  });

  it("answers 404 for an issue the caller may not browse exactly as for one that does not exist", async () => {
    const server = await startJiraTestServer({ deployment: "cloud", users: [{ ...CLOUD_USER, permissions: { SEC: { browse: false } } }], issues: [{ key: "SEC-1" }] });
    servers.push(server);
    const hidden = await answer(client(server, "3").findIssue("SEC-1"));
    const missing = await answer(client(server, "3").findIssue("SEC-2"));
    expect(hidden).toMatchObject({ statusCode: 404, body: { errorMessages: ["Issue does not exist or you do not have permission to see it."] } });
    expect(missing.body).toEqual(hidden.body);
  });

  it("requires credentials: basic email:token on Cloud, a bearer token on Data Center", async () => {
    const server = await cloudServer();
    expect(await answer(client(server, "3", {}).getCurrentUser())).toMatchObject({ statusCode: 401 });
    expect(await answer(client(server, "3", { bearer: CLOUD_USER.token }).getCurrentUser())).toMatchObject({ statusCode: 401, body: "Client must be authenticated to access this resource." });
    const dc = await startJiraTestServer({ deployment: "datacenter", basePath: "/jira", users: [DC_USER] });
    servers.push(dc);
    expect(await client(dc, "2", { bearer: DC_USER.token }).getCurrentUser()).toMatchObject({ name: "release-bot" });
    expect(await answer(client(dc, "2", { username: DC_USER.login, password: DC_USER.token }).getCurrentUser())).toMatchObject({
      statusCode: 401,
      headers: { "x-seraph-loginreason": "AUTHENTICATED_FAILED" },
    });
  });

  it("serves each deployment's own search: Cloud's old /search is gone, Data Center has no /search/jql and no v3", async () => {
    const server = await cloudServer();
    expect(await answer(client(server, "3").searchJira('key in ("PAY-1")'))).toMatchObject({ statusCode: 410 });
    const dc = await startJiraTestServer({ deployment: "datacenter", users: [DC_USER], issues: [{ key: "PAY-1" }] });
    servers.push(dc);
    const bearer = { bearer: DC_USER.token };
    expect(await answer(client(dc, "3", bearer).getCurrentUser())).toMatchObject({ statusCode: 404 });
    expect(await answer(client(dc, "2", bearer).genericGet("search/jql"))).toMatchObject({ statusCode: 404 });
    // Data Center: unknown keys fail the query unless validateQuery is false, which turns them into warnings.
    expect(await answer(client(dc, "2", bearer).searchJira('key in ("PAY-1", "PAY-2")'))).toMatchObject({
      statusCode: 400,
      body: { errorMessages: ["An issue with key 'PAY-2' does not exist for field 'key'."] },
    });
    expect(await client(dc, "2", bearer).searchJira('key in ("PAY-1", "PAY-2")', { validateQuery: false } as never)).toMatchObject({
      total: 1,
      warningMessages: ["An issue with key 'PAY-2' does not exist for field 'key'."],
    });
    expect(await answer(client(dc, "2", bearer).searchJira("project = PAY"))).toMatchObject({ statusCode: 400 });
  });

  it("a Cloud that skips unknown keys in JQL still has them reported as unknown by the adapter", async () => {
    const harness = await startJira("cloud", { issues: [{ key: "PAY-1" }], unknownKeysInSearch: "ignore" });
    harnesses.push(harness);
    const tickets = await harness.jira.readTickets(["PAY-1", "PAY-2"]);
    expect(tickets.get("PAY-1")).toMatchObject({ found: true });
    expect(tickets.get("PAY-2")).toMatchObject({ found: false, reason: "unknown" });
    expect(harness.server.count("POST /search/jql")).toBe(1);
  });

  it("injects faults for the next N calls of a route and counts them", async () => {
    const server = await cloudServer();
    server.inject({ route: "GET /myself", status: 500, times: 2 });
    const jira = client(server, "3");
    expect(await answer(jira.getCurrentUser())).toMatchObject({ statusCode: 500 });
    expect(await answer(jira.getCurrentUser())).toMatchObject({ statusCode: 500 });
    expect(await jira.getCurrentUser()).toMatchObject({ displayName: "Release Bot" });
    expect(server.count("GET /myself")).toBe(3);
    expect(server.count("GET /myself", { status: 500 })).toBe(2);
    expect(server.requests.filter((request) => request.faulted)).toHaveLength(2);
  });
});
