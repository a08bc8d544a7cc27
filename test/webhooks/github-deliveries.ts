import { createHmac, randomUUID } from "node:crypto";
import type { GitHubTestServer } from "../github/github-test-server";

/**
 * Webhook deliveries as GitHub sends them: the headers (X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256 over the
 * raw body), JSON or form-encoded bodies, and payloads whose `pull_request` and `repository` are the GitHub test
 * server's own REST representations, as GitHub's are.
 */

export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface DeliveryOptions {
  secret: string;
  id?: string;
  /** Default "json". */
  contentType?: "json" | "form";
  /** Replaces the computed signature (null: none sent). */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** A POST to the webhook route carrying `payload` for `event`. */
export function deliveryRequest(event: string, payload: unknown, options: DeliveryOptions): Request {
  const json = JSON.stringify(payload);
  const form = options.contentType === "form";
  const body = form ? new URLSearchParams({ payload: json }).toString() : json;
  const headers: Record<string, string> = {
    "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
    "user-agent": "GitHub-Hookshot/044aadd",
    "x-github-event": event,
    "x-github-delivery": options.id ?? randomUUID(),
    "x-github-hook-id": "292430182",
    ...options.headers,
  };
  const signature = options.signature === undefined ? signBody(options.secret, body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return new Request("http://localhost/api/webhooks/github", { method: "POST", headers, body });
}

async function restJson(server: GitHubTestServer, token: string, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `token ${token}`, accept: "application/vnd.github+json" } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The `pull_request` event for a pull request as it is now on the server (closed, merged or not). */
export async function pullRequestPayload(server: GitHubTestServer, token: string, fullName: string, number: number, action = "closed") {
  const pull = await restJson(server, token, `/repos/${fullName}/pulls/${number}`);
  const repository = await restJson(server, token, `/repos/${fullName}`);
  return { action, number, pull_request: pull, repository, sender: pull.user };
}

/** The `push` event for `branch` moving from `before` to `after`. */
export async function pushPayload(
  server: GitHubTestServer,
  token: string,
  fullName: string,
  branch: string,
  shas: { before: string; after: string },
  options: { deleted?: boolean; ref?: string } = {},
) {
  const repository = await restJson(server, token, `/repos/${fullName}`);
  const deleted = options.deleted ?? false;
  return {
    ref: options.ref ?? `refs/heads/${branch}`,
    before: shas.before,
    after: deleted ? "0".repeat(40) : shas.after,
    created: false,
    deleted,
    forced: false,
    base_ref: null,
    compare: `${String(repository.html_url)}/compare/${shas.before.slice(0, 12)}...${shas.after.slice(0, 12)}`,
    commits: [],
    head_commit: null,
    repository,
    pusher: { name: "gita", email: "gita@example.com" },
    sender: repository.owner,
  };
}
