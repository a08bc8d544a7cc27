import { readFileSync } from "node:fs";
import JiraApi from "jira-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJira, userFor, type JiraHarness } from "./jira-fixtures";
import { JIRA_TEST_SERVER_ROUTES, type ServedRequest } from "./jira-test-server";

/**
 * Keeps the Jira test server honest against Atlassian's published OpenAPI description of the Jira Cloud platform REST
 * API v3 (fixtures/jira-platform-openapi.subset.json, cut by fixtures/extract-jira-openapi.ts): every route it serves
 * exists there with the same method and parameter names; every status it answers with is documented for that
 * operation (429 and 5xx are documented for all operations on Atlassian's rate-limiting and status-code pages); every
 * JSON answer fits the documented response schema — types, required properties, and no properties the schema
 * forbids (`additionalProperties: false`); every request body jira-client sent for the adapter fits the documented
 * request schema the same way; and every error answer is Jira's error collection.
 *
 * Data Center's v2 API has no OpenAPI description that can be fetched offline; its differences (offset search with
 * validateQuery, people by name, string comment bodies, bearer tokens) follow its REST reference
 * (docs.atlassian.com/software/jira/docs/api/REST/9.12.0) and are noted where the server implements them.
 */

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  readOnly?: boolean;
}

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const spec = JSON.parse(readFileSync(new URL("./fixtures/jira-platform-openapi.subset.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

function resolve(schema: Schema): Schema {
  let current = schema;
  while (current.$ref) current = spec.components.schemas[current.$ref.replace("#/components/schemas/", "")]!;
  return current;
}

/** `direction` "request": readOnly properties may be absent or present; "response": everything as documented. */
function validate(value: unknown, raw: Schema, at: string, errors: string[], direction: "request" | "response"): void {
  const schema = resolve(raw);
  for (const part of schema.allOf ?? []) validate(value, part, at, errors, direction);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const fits = alternatives.some((alternative) => {
      const trial: string[] = [];
      validate(value, alternative, at, trial, direction);
      return trial.length === 0;
    });
    if (!fits) errors.push(`${at}: fits none of the alternatives`);
    return;
  }
  if (value === null) {
    if (schema.type !== undefined && !schema.nullable) errors.push(`${at}: null`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  const type = schema.type ?? (schema.properties ? "object" : undefined);
  switch (type) {
    case "string":
      if (typeof value !== "string") errors.push(`${at}: ${typeof value}, documented string`);
      return;
    case "integer":
      if (!Number.isInteger(value)) errors.push(`${at}: ${JSON.stringify(value)}, documented integer`);
      return;
    case "number":
      if (typeof value !== "number") errors.push(`${at}: ${typeof value}, documented number`);
      return;
    case "boolean":
      if (typeof value !== "boolean") errors.push(`${at}: ${typeof value}, documented boolean`);
      return;
    case "array":
      if (!Array.isArray(value)) errors.push(`${at}: ${typeof value}, documented array`);
      else if (schema.items) value.forEach((item, index) => validate(item, schema.items!, `${at}[${index}]`, errors, direction));
      return;
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) {
        errors.push(`${at}: ${Array.isArray(value) ? "array" : typeof value}, documented object`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) if (!(name in record)) errors.push(`${at}.${name}: required, missing`);
      for (const [name, child] of Object.entries(record)) {
        const property = schema.properties?.[name];
        if (property) validate(child, property, `${at}.${name}`, errors, direction);
        else if (schema.additionalProperties === false) errors.push(`${at}.${name}: not a documented property`);
        else if (typeof schema.additionalProperties === "object") validate(child, schema.additionalProperties, `${at}.${name}`, errors, direction);
      }
      return;
    }
  }
}

/** The OpenAPI operation a served request belongs to. */
function operationOf(request: ServedRequest): Operation {
  const path = `/rest/api/3${request.route!.slice(request.route!.indexOf(" ") + 1)}`;
  return spec.paths[path]![request.method.toLowerCase()]!;
}

/** Statuses Atlassian documents for every operation: rate limits and server errors. */
const GLOBAL_STATUSES = new Set([429, 500, 502, 503, 504]);

let harness: JiraHarness;

beforeAll(async () => {
  const login = userFor("cloud").login;
  harness = await startJira("cloud", {
    projects: [{ key: "PAY", versions: [{ name: "old", released: true, releaseDate: "2025-01-01" }] }, { key: "RO", versions: [{ name: "r1" }] }],
    issues: [
      { key: "PAY-1", summary: "Retry captures", status: "In Review", type: "Bug", assignee: login, fixVersions: ["old"], labels: ["backend"] },
      { key: "PAY-2", status: "Done" },
      { key: "RO-1" },
    ],
    users: [{ ...userFor("cloud"), permissions: { RO: { edit: false, transition: false, comment: false, link: false, administer: false } } }],
    maxResultsCap: 2,
  });
  const { jira, server, adapter } = harness;
  // Everything the adapter does, successes and per-ticket refusals.
  await jira.testConnection();
  await jira.readTickets(["PAY-1", "PAY-2", "PAY-404"]);
  const version = await jira.findOrCreateFixVersion("PAY", "payments/production/2025-03-14/1.4.2", { description: "Slipway" });
  await jira.addFixVersion("PAY-1", version.id);
  await jira.addLabel("PAY-1", "released");
  await jira.transition("PAY-1", "Done");
  await jira.comment("PAY-1", "Released: https://payments.example.com", { marker: "rr-1" });
  await jira.comment("PAY-1", "Released: https://payments.example.com", { marker: "rr-1" });
  await jira.linkPullRequest("PAY-1", { url: "https://github.com/acme/stack/pull/1", title: "PR 1", globalId: "github:acme/stack/pull/1", summary: "Upgrade", resolved: false });
  await jira.linkPullRequest("PAY-1", { url: "https://github.com/acme/stack/pull/1", title: "PR 1 (merged)", globalId: "github:acme/stack/pull/1", resolved: true });
  await jira.setVersionReleased(version.id, true, "2025-03-14");
  await jira.archiveVersion(version.id);
  await jira.addFixVersion("PAY-404", version.id);
  await jira.addFixVersion("RO-1", server.versions("RO")[0]!.id);
  await jira.comment("RO-1", "x");
  await jira.linkPullRequest("RO-1", { url: "https://github.com/acme/stack/pull/2", title: "PR 2", globalId: "github:acme/stack/pull/2" });
  await jira.transition("RO-1", "Done");
  await jira.findOrCreateFixVersion("RO", "r2").catch(() => undefined);
  await jira.findOrCreateFixVersion("PAY", "old").catch(() => undefined);
  await adapter({}, { token: "wrong" }).testConnection().catch(() => undefined);
  // Routes the adapter does not use, through jira-client directly.
  const client = new JiraApi({ protocol: "http", host: server.host, port: String(server.port), apiVersion: "3", username: login, password: userFor("cloud").token });
  await client.findIssue("PAY-1");
  await client.getRemoteLinks("PAY-1");
  await client.genericGet("issue/PAY-1/remotelink?globalId=github:acme/stack/pull/1");
  await client.updateVersion({ id: server.versions("RO")[0]!.id, released: true } as never).catch(() => undefined);
  await client.createVersion({ name: "old", projectId: 1 } as never).catch(() => undefined);
  await client.getVersion("999999").catch(() => undefined);
  await client.getProject("NOPE").catch(() => undefined);
  await client.addCommentAdvanced("PAY-1", { body: "a string on v3" } as never).catch(() => undefined);
  await client.transitionIssue("PAY-2", { transition: { id: "999" } }).catch(() => undefined);
  await client.updateIssue("PAY-1", { update: { labels: [{ add: "has space" }] } }).catch(() => undefined);
});

afterAll(async () => {
  await harness?.server.close();
});

describe("the Jira test server against Jira's OpenAPI description", () => {
  it("serves only documented operations, with the documented path parameter names", () => {
    for (const { method, template } of JIRA_TEST_SERVER_ROUTES) {
      const path = `/rest/api/3${template}`;
      const operation = spec.paths[path]?.[method.toLowerCase()];
      expect(operation, `${method} ${path}`).toBeDefined();
      const documented = (operation!.parameters ?? []).filter((parameter) => parameter.in === "path").map((parameter) => parameter.name).sort();
      const ours = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect(ours, `${method} ${path}`).toEqual(documented);
    }
  });

  it("was exercised on every route it serves on v3 (so the checks below cover them)", () => {
    const served = new Set(harness.server.requests.filter((request) => request.apiVersion === "3").map((request) => request.route));
    const missing = JIRA_TEST_SERVER_ROUTES.filter(({ method, template }) => !(method === "POST" && template === "/search")).filter(
      ({ method, template }) => !served.has(`${method} ${template}`),
    );
    expect(missing).toEqual([]);
  });

  it("answers only with statuses documented for each operation", () => {
    const problems: string[] = [];
    for (const request of harness.server.requests) {
      if (!request.route || request.apiVersion !== "3" || request.faulted) continue;
      const documented = Object.keys(operationOf(request).responses);
      // 401 is documented for all but a few reads; Jira answers every unauthenticated request with it.
      if (!documented.includes(String(request.status)) && !GLOBAL_STATUSES.has(request.status) && request.status !== 401) {
        problems.push(`${request.route} answered ${request.status}; documented: ${documented.join(", ")}`);
      }
    }
    expect(problems).toEqual([]);
    const statuses = new Set(harness.server.requests.map((request) => request.status));
    for (const status of [200, 201, 204, 400, 401, 403, 404]) expect(statuses, `status ${status} exercised`).toContain(status);
  });

  it("answers with JSON that fits the documented response schemas", () => {
    const problems: string[] = [];
    for (const request of harness.server.requests) {
      if (!request.route || request.apiVersion !== "3" || request.status >= 300 || request.response === undefined) continue;
      const schema = operationOf(request).responses[String(request.status)]?.content?.["application/json"]?.schema;
      if (!schema) continue;
      const errors: string[] = [];
      // The description gives GET remotelink a single RemoteIssueLink, while its own example (and Jira) answer a list
      // when no globalId is given: each element is checked.
      const values = Array.isArray(request.response) && resolve(schema).type !== "array" ? request.response : [request.response];
      values.forEach((value, index) => validate(value, schema, `${request.route} ${request.status}${values.length > 1 ? `[${index}]` : ""}`, errors, "response"));
      problems.push(...errors);
    }
    expect(problems).toEqual([]);
  });

  it("was sent request bodies that fit the documented request schemas", () => {
    const problems: string[] = [];
    for (const request of harness.server.requests) {
      if (!request.route || request.apiVersion !== "3" || request.body === undefined || request.status >= 400) continue;
      const schema = operationOf(request).requestBody?.content?.["application/json"]?.schema;
      expect(schema, `${request.route} documents a body`).toBeDefined();
      validate(request.body, schema!, `${request.route} body`, problems, "request");
    }
    expect(problems).toEqual([]);
  });

  it("answers errors with Jira's error collection", () => {
    for (const request of harness.server.requests) {
      if (request.status < 400) continue;
      // Cloud answers a wrong API token with a line of text, not JSON.
      if (request.status === 401 && typeof request.response === "string") continue;
      const body = request.response as { errorMessages?: unknown; errors?: unknown };
      expect(Array.isArray(body.errorMessages) && body.errorMessages.every((message) => typeof message === "string"), `${request.route} ${request.status}`).toBe(true);
      expect(typeof body.errors === "object" && body.errors !== null && Object.values(body.errors).every((message) => typeof message === "string")).toBe(true);
      expect((body.errorMessages as string[]).length + Object.keys(body.errors as object).length).toBeGreaterThan(0);
    }
  });
});
