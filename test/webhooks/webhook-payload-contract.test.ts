import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { interpretGitHubDelivery } from "@/lib/webhooks/github-webhook-events";
import { readGitHubDelivery } from "@/lib/webhooks/read-github-delivery";
import { signBody } from "./github-deliveries";

/**
 * Keeps the webhook reader honest against GitHub's published webhook descriptions (@octokit/openapi, api.github.com,
 * `x-webhooks`): the headers it reads are the ones GitHub sends, every field it reads is declared with the type it
 * expects (and required where it relies on it), and GitHub's own example deliveries — the ping, JSON and form-encoded —
 * go through it.
 */

interface Schema {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Webhook {
  post: {
    parameters: { name: string; in: string }[];
    requestBody: { content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }> }> };
  };
}

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.deref.json"), "utf8")) as {
  "x-webhooks": Record<string, Webhook>;
};

function webhook(name: string): Webhook {
  const hook = spec["x-webhooks"][name];
  if (!hook) throw new Error(`GitHub's description has no webhook ${name}`);
  return hook;
}

/** The property at `path`, and whether every step to it is required; allOf parts are merged, as they are in GitHub's. */
function property(schema: Schema, path: string[]): { schema: Schema; required: boolean } {
  let current = schema;
  let required = true;
  for (const key of path) {
    const parts = [current, ...(current.allOf ?? [])];
    const found = parts.map((part) => part.properties?.[key]).find(Boolean);
    if (!found) throw new Error(`${path.join(".")}: no property ${key}`);
    required &&= parts.some((part) => part.required?.includes(key));
    current = found;
  }
  return { schema: current, required };
}

const jsonSchema = (name: string) => webhook(name).post.requestBody.content["application/json"]!.schema;

describe("GitHub's webhook description", () => {
  it("sends the headers the reader needs with every event Slipway takes", () => {
    for (const name of ["ping", "pull-request-closed", "push"]) {
      const headers = webhook(name).post.parameters.filter((p) => p.in === "header").map((p) => p.name.toLowerCase());
      expect(headers, name).toEqual(expect.arrayContaining(["x-github-event", "x-github-delivery", "x-hub-signature-256"]));
    }
  });

  it.each([
    ["pull-request-closed", ["action"], "string", true],
    ["pull-request-closed", ["repository", "full_name"], "string", true],
    ["pull-request-closed", ["pull_request", "number"], "integer", true],
    ["pull-request-closed", ["pull_request", "merged"], "boolean", true],
    ["pull-request-closed", ["pull_request", "merged_at"], "string", true],
    ["pull-request-closed", ["pull_request", "merge_commit_sha"], "string", true],
    ["pull-request-closed", ["pull_request", "head"], "object", true],
    ["push", ["ref"], "string", true],
    ["push", ["after"], "string", true],
    ["push", ["deleted"], "boolean", false],
    ["push", ["repository", "full_name"], "string", true],
  ] as const)("%s declares %j as %s", (name, path, type, required) => {
    const found = property(jsonSchema(name), [...path]);
    expect(found.schema.type).toBe(type);
    if (required) expect(found.required).toBe(true);
  });

  it("makes merged_at and merge_commit_sha nullable and the closed action 'closed', as the reader expects", () => {
    const schema = jsonSchema("pull-request-closed");
    expect(property(schema, ["pull_request", "merged_at"]).schema).toMatchObject({ nullable: true, format: "date-time" });
    expect(property(schema, ["pull_request", "merge_commit_sha"]).schema.nullable).toBe(true);
    expect(property(schema, ["action"]).schema.enum).toEqual(["closed"]);
    expect(property(schema, ["pull_request", "head", "sha"]).schema.type).toBe("string");
  });

  it("GitHub's example ping goes through the reader in both content types", async () => {
    const secret = "contract secret";
    const content = webhook("ping").post.requestBody.content;
    const json = JSON.stringify(content["application/json"]!.examples!.default!.value);
    const form = `payload=${(content["application/x-www-form-urlencoded"]!.examples!.default!.value as { payload: string }).payload}`;
    for (const [type, body] of [["application/json", json], ["application/x-www-form-urlencoded", form]] as const) {
      const request = new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: { "content-type": type, "x-github-event": "ping", "x-github-delivery": "d0b0e0a0-0000-11ec-8000-000000000000", "x-hub-signature-256": signBody(secret, body) },
        body,
      });
      const delivery = await readGitHubDelivery(request, secret);
      expect(delivery.payload, type).toMatchObject({ hook: { active: true } });
      expect(interpretGitHubDelivery(delivery)).toEqual({ kind: "ping" });
    }
  });
});
