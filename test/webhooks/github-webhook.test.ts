import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { secretsFrom } from "@/lib/config/environment";
import { parseWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { provideDb } from "@/lib/db";
import { type GitProviderRouter, chooseGitProvider } from "@/lib/git/choose-git-provider";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { planUpgrade } from "@/lib/releases/plan-upgrade";
import { raiseUpgrade } from "@/lib/releases/raise-upgrade";
import { syncPullRequests } from "@/lib/releases/sync-pull-requests";
import { getServerClients } from "@/lib/server-clients";
import { refreshSnapshots } from "@/lib/snapshots/refresh-snapshots";
import { requestEnvironmentRefresh, requestRefresh } from "@/lib/snapshots/refresher";
import { handleGitHubDelivery } from "@/lib/webhooks/handle-github-delivery";
import { MAX_DELIVERY_BYTES } from "@/lib/webhooks/read-github-delivery";
import { type GitHubTestServer, startGitHubTestServer } from "../github/github-test-server";
import type { TestRepository } from "../github/github-test-repository";
import { REGISTRY_NAME, seedServiceRepo, seedStack, writeFileRegistry } from "../releases-github/github-stack-fixture";
import { type TestDatabase, createPgliteDatabase } from "../support/test-database";
import { deliveryRequest, pullRequestPayload, pushPayload, signBody } from "./github-deliveries";

const { POST } = await import("@/app/api/webhooks/github/route");

const TOKEN = "ghp_slipway_webhooks";
const BOT = "slipway-bot";
const TOKEN_ENV = "SLIPWAY_TEST_WEBHOOK_GITHUB_TOKEN";
const SECRET_ENV = "SLIPWAY_TEST_WEBHOOK_SECRET";
const SECRET = "a webhook secret with some entropy: 7f3c9a1e";
const STACK = "acme/shop-stack";

const ben: Principal = { username: "ben", name: "Ben Backend", email: "ben@example.com", source: "local", oidcGroups: [], githubTeams: [] };

let root: string;
let server: GitHubTestServer;
let stack: TestRepository;
let database: TestDatabase;
let raiser: GitProviderRouter;
let configPath: string;

function configText(registryUrl: string, webhooks = true): string {
  return `
github:
  apiUrl: ${server.url}
  auth: { tokenEnv: ${TOKEN_ENV} }
${webhooks ? `  webhookSecretEnv: ${SECRET_ENV}` : ""}
refreshIntervalSeconds: 0
registries:
  - name: ${REGISTRY_NAME}
    url: ${registryUrl}
services:
  orders: { repo: acme/orders }
  payments: { repo: acme/payments }
environments:
  - name: shop-staging
    repo: ${STACK}
    branch: main
    snapshots: { tagPattern: "staging-{date}.{n}" }
  - name: shop-production
    repo: ${STACK}
    branch: production
    snapshots: { tagPattern: "production-{date}.{n}" }
  - name: shop-preview
    repo: acme/preview-stack
    branch: main
access:
  grants:
    - role: requester
      members: { users: [ben] }
`;
}

const db = () => database.db;
const deliver = (event: string, payload: unknown, options: Partial<Parameters<typeof deliveryRequest>[2]> = {}) =>
  POST(deliveryRequest(event, payload, { secret: SECRET, ...options }));

/** What a delivery may change: counted before and after a refused one. */
async function tableCounts() {
  return {
    deliveries: await db().webhookDelivery.count(),
    runs: await db().refreshRun.count(),
    releases: await db().releaseRequest.findMany({ select: { id: true, state: true, updatedAt: true }, orderBy: { id: "asc" } }),
    audit: await db().auditEvent.count(),
  };
}

async function lastRunId(): Promise<number> {
  return (await db().refreshRun.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
}

/** The route starts its refresh and answers at once: wait for the webhook's refresh run after `afterId` to finish. */
async function webhookRunAfter(afterId: number) {
  return vi.waitFor(
    async () => {
      const run = await db().refreshRun.findFirst({ where: { id: { gt: afterId }, trigger: "webhook" } });
      if (!run?.finishedAt) throw new Error("the webhook's refresh has not finished");
      return run;
    },
    { timeout: 20_000, interval: 50 },
  );
}

async function snapshot(environment: string) {
  return db().environmentSnapshot.findUniqueOrThrow({ where: { environment } });
}

function environment(name: string) {
  return getServerClients().config.environments.find((e) => e.name === name)!;
}

/** Raises an upgrade as ben, through a client without GitHub's write spacing (the server's has it, as in production). */
async function raise(env: string, targets: { service: string; version?: string }[]) {
  const clients = getServerClients();
  const deps = { ...clients, git: raiser, pullRequests: raiser };
  const { plan } = await planUpgrade(deps, environment(env), targets);
  const { id } = await raiseUpgrade(deps, ben, environment(env), { targets, baseSha: plan.baseSha });
  return db().releaseRequest.findUniqueOrThrow({ where: { id } });
}

async function tags(): Promise<string[]> {
  return (await stack.git("tag", "--list")).trim().split("\n").filter(Boolean);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-webhooks-"));
  server = await startGitHubTestServer({ tokens: { [TOKEN]: BOT } });
  const registryUrl = writeFileRegistry(path.join(root, "registry"), [
    { name: "orders", versions: ["1.0.0", "1.1.0", "1.2.0"] },
    { name: "payments", versions: ["2.0.0", "2.1.0"] },
  ]);
  stack = await server.createRepository(STACK, { collaborators: [BOT] });
  const services = [
    { name: "orders", version: "1.0.0" },
    { name: "payments", version: "2.0.0" },
  ];
  await stack.branch("production", await seedStack(stack, "main", services));
  await seedStack(await server.createRepository("acme/preview-stack", { collaborators: [BOT] }), "main", services);
  await seedServiceRepo(server, "acme/orders", [
    { version: "1.0.0", tickets: ["ORD-1"] },
    { version: "1.1.0", tickets: ["ORD-11"] },
    { version: "1.2.0", tickets: ["ORD-20"] },
  ]);
  await seedServiceRepo(server, "acme/payments", [
    { version: "2.0.0", tickets: ["PAY-1"] },
    { version: "2.1.0", tickets: ["PAY-7"] },
  ]);
  configPath = path.join(root, "slipway.yaml");
  await writeFile(configPath, configText(registryUrl));
  await writeFile(path.join(root, "no-webhooks.yaml"), configText(registryUrl, false));
  process.env.SLIPWAY_CONFIG = configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env[TOKEN_ENV] = TOKEN;
  process.env[SECRET_ENV] = SECRET;
  database = await createPgliteDatabase();
  provideDb(database.db);
  raiser = chooseGitProvider({
    local: createLocalGitProvider({ baseDir: root, cacheDir: path.join(root, "cache") }),
    github: getServerClients().config.github,
    secret: secretsFrom(process.env),
    gitHubClient: { throttle: { spaceWrites: false, retryAfterBaseValueMs: 5 }, retry: { retries: 0, retryAfterBaseValueMs: 5 } },
  });
  // Every environment has a snapshot before the first delivery, so "only that environment" can be seen.
  expect(await refreshSnapshots(getServerClients(), { trigger: "start" })).toMatchObject({ environments: 3, failed: 0 });
});

afterAll(async () => {
  await database?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("configuration", () => {
  it("github.webhookSecretEnv names a variable, as every secret in slipway.yaml does", () => {
    const parse = (line: string) => parseWorkspaceConfig(`github:\n  auth: { tokenEnv: GH_TOKEN }\n${line}\nenvironments:\n  - { name: a, repo: acme/a }\n`, path.join(root, "check.yaml"));
    expect(parse("  webhookSecretEnv: GH_WEBHOOK_SECRET").config.github?.webhookSecretEnv).toBe("GH_WEBHOOK_SECRET");
    expect(parse("").config.github?.webhookSecretEnv).toBeUndefined();
    expect(() => parse("  webhookSecretEnv: my secret")).toThrow(/github\.webhookSecretEnv: must be an environment variable name/);
  });
});

describe("refusing a delivery", () => {
  it("answers 401 to a missing, malformed or wrong signature, or a body it does not sign, and changes nothing", async () => {
    const payload = await pushPayload(server, TOKEN, STACK, "main", { before: "a".repeat(40), after: await stack.rev("refs/heads/main") });
    const before = await tableCounts();
    const body = JSON.stringify(payload);
    for (const signature of [
      null,
      "",
      "sha1=0123456789abcdef0123456789abcdef01234567",
      signBody("another secret", body),
      signBody(SECRET, `${body} `),
      signBody(SECRET, body).toUpperCase(),
    ]) {
      const response = await deliver("push", payload, { signature });
      expect(response.status, String(signature)).toBe(401);
      expect((await response.json()).error).toMatch(/X-Hub-Signature-256/);
    }
    expect(await tableCounts()).toEqual(before);
  });

  it("answers 413 to a body over the limit, declared or not, before checking or reading the rest", async () => {
    const big = "x".repeat(MAX_DELIVERY_BYTES + 1);
    const declared = await POST(
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(big.length), "x-github-event": "push", "x-github-delivery": "d-413", "x-hub-signature-256": signBody(SECRET, big) },
        body: big,
      }),
    );
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toBe("A delivery may be at most 5 MB; this one is larger, and was not read.");

    // Streamed without a length: counted as it arrives, and the stream is abandoned once over the limit.
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(120);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 50) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await POST(
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "d-413b", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(10);
    expect(await db().webhookDelivery.count()).toBe(0);
  });

  it("answers 415 to a content type GitHub does not send, and 400 to signed deliveries that are malformed", async () => {
    const ping = { zen: "Keep it logically awesome.", hook_id: 1 };
    const text = await POST(deliveryRequest("ping", ping, { secret: SECRET, headers: { "content-type": "text/plain" } }));
    expect(text.status).toBe(415);

    const noId = deliveryRequest("ping", ping, { secret: SECRET });
    noId.headers.delete("x-github-delivery");
    expect(await (await POST(noId)).json()).toEqual({ error: "X-GitHub-Delivery is missing" });
    const longId = await deliver("ping", ping, { id: "x".repeat(101) });
    expect(longId.status).toBe(400);
    const badEvent = await deliver("Push; rm -rf", ping);
    expect(await badEvent.json()).toEqual({ error: "X-GitHub-Event is not an event name" });

    const notJson = await POST(
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d-400", "x-hub-signature-256": signBody(SECRET, "{nope") },
        body: "{nope",
      }),
    );
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe("The delivery's payload is not JSON.");
    const formWithoutPayload = "zen=hello";
    const form = await POST(
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-github-event": "ping", "x-github-delivery": "d-400b", "x-hub-signature-256": signBody(SECRET, formWithoutPayload) },
        body: formWithoutPayload,
      }),
    );
    expect((await form.json()).error).toBe("A form-encoded delivery must carry its JSON in the `payload` field.");

    const pull = await deliver("pull_request", { action: "closed", number: 1, pull_request: { number: 1 }, repository: { full_name: STACK } });
    expect(pull.status).toBe(400);
    expect((await pull.json()).error).toMatch(/^The pull_request payload's pull_request\.merged_at is invalid/);
    const push = await deliver("push", { ref: "refs/heads/main", after: "not-a-sha", repository: { full_name: STACK } });
    expect((await push.json()).error).toMatch(/^The push payload's after is invalid: is not a commit SHA/);
    expect(await db().webhookDelivery.count()).toBe(0);
  });

  it("answers 503 while the secret's variable is unset, and 404 when webhooks are not configured", async () => {
    const ping = { zen: "Design for failure.", hook_id: 1 };
    delete process.env[SECRET_ENV];
    try {
      const unset = await deliver("ping", ping);
      expect(unset.status).toBe(503);
      expect(await unset.json()).toEqual({ error: "GitHub webhooks are not available: the webhook secret is not set on the server." });
    } finally {
      process.env[SECRET_ENV] = SECRET;
    }
    process.env.SLIPWAY_CONFIG = path.join(root, "no-webhooks.yaml");
    try {
      const off = await deliver("ping", ping);
      expect(off.status).toBe(404);
      expect((await off.json()).error).toMatch(/GitHub webhooks are not enabled/);
    } finally {
      process.env.SLIPWAY_CONFIG = configPath;
    }
    expect(await db().webhookDelivery.count()).toBe(0);
  });
});

describe("events Slipway does not act on", () => {
  it("answers a ping with 200, in either content type", async () => {
    const ping = { zen: "Approachable is better than simple.", hook_id: 292430182, hook: { type: "Repository", events: ["pull_request", "push"] } };
    for (const contentType of ["json", "form"] as const) {
      const response = await deliver("ping", ping, { contentType });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ message: "Slipway receives this webhook.", refreshed: [] });
    }
  });

  it("answers 202 to other events, other actions, other repositories, branches and refs, and keeps no record", async () => {
    const runs = await db().refreshRun.count();
    const head = await stack.rev("refs/heads/main");
    const shas = { before: "b".repeat(40), after: head };
    const cases: [string, unknown, string][] = [
      ["issues", { action: "opened", issue: { number: 1 }, repository: { full_name: STACK } }, "Ignored: issues events are not used."],
      ["pull_request", { action: "opened", number: 1 }, "Ignored: pull request opened."],
      ["push", await pushPayload(server, TOKEN, "acme/orders", "main", shas), "Ignored: no environment deploys acme/orders main."],
      ["push", await pushPayload(server, TOKEN, STACK, "feature/x", shas), "Ignored: no environment deploys acme/shop-stack feature/x."],
      ["push", await pushPayload(server, TOKEN, STACK, "main", shas, { ref: "refs/tags/v1.0.0" }), "Ignored: push to refs/tags/v1.0.0, not a branch."],
      ["push", await pushPayload(server, TOKEN, STACK, "production", shas, { deleted: true }), "Ignored: branch production deleted."],
    ];
    for (const [event, payload, message] of cases) {
      const response = await deliver(event, payload);
      expect(response.status, message).toBe(202);
      expect((await response.json()).message).toBe(message);
    }
    // A pull request Slipway did not raise.
    const response = await deliver("pull_request", { action: "closed", number: 999, repository: { full_name: STACK }, pull_request: { number: 999, merged: true, merged_at: "2024-02-03T10:00:00Z", merge_commit_sha: head, head: { sha: head } } });
    expect(response.status).toBe(202);
    expect((await response.json()).message).toBe("Ignored: acme/shop-stack#999 is not a Slipway release request.");
    expect(await db().webhookDelivery.count()).toBe(0);
    expect(await db().refreshRun.count()).toBe(runs);
  });
});

describe("pull requests closed on GitHub", () => {
  it("a merged Slipway pull request is recorded as the poller records it and refreshes its environment alone; a replay does nothing", async () => {
    const request = await raise("shop-staging", [{ service: "orders", version: "1.1.0" }]);
    const productionBefore = await snapshot("shop-production");
    const mergeSha = await server.mergePullRequest(STACK, request.number!, { mergedBy: "gita" });
    const payload = await pullRequestPayload(server, TOKEN, STACK, request.number!);
    const runsBefore = await lastRunId();

    const response = await deliver("pull_request", payload, { id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: `Release request #${request.id} merged. Refreshing shop-staging.`, refreshed: ["shop-staging"] });
    const merged = await db().releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(merged).toMatchObject({ state: "merged", mergeSha, mergedBy: null, error: null });
    expect(merged.mergedAt?.toISOString()).toBe(new Date(payload.pull_request.merged_at as string).toISOString());
    // The merge commit is the environment's next snapshot, as when the poller sees the merge.
    const tagged = await tags();
    expect(tagged.filter((t) => t.startsWith("staging-"))).toHaveLength(1);
    expect((await stack.git("rev-list", "-n", "1", tagged.find((t) => t.startsWith("staging-"))!)).trim()).toBe(mergeSha);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" } })).toMatchObject({ event: "pull_request", outcome: "processed" });

    const run = await webhookRunAfter(runsBefore);
    expect(run).toMatchObject({ environments: 1, failed: 0 });
    expect((await snapshot("shop-staging")).commitSha).toBe(mergeSha);
    expect(await db().serviceSnapshot.findUniqueOrThrow({ where: { environment_service: { environment: "shop-staging", service: "orders" } } })).toMatchObject({ running: "1.1.0" });
    expect((await snapshot("shop-production")).refreshedAt).toEqual(productionBefore.refreshedAt);

    // GitHub's "Redeliver", or someone replaying the captured request: the same id has no second effect.
    const before = await tableCounts();
    const replay = await deliver("pull_request", payload, { id: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    expect(replay.status).toBe(200);
    expect((await replay.json()).message).toBe("Delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958 was already processed; nothing was done again.");
    expect(await tableCounts()).toEqual(before);
    expect(await tags()).toEqual(tagged);
    // The poller, later, has nothing left to follow.
    expect(await syncPullRequests({ db: db(), pullRequests: getServerClients().git, release: getServerClients() })).toMatchObject({ checked: 0, merged: 0 });
  });

  it("a merge the poller recorded first is not recorded twice when its webhook arrives (under any delivery id)", async () => {
    const request = await raise("shop-production", [{ service: "payments", version: "2.1.0" }]);
    const mergeSha = await server.mergePullRequest(STACK, request.number!);
    const clients = getServerClients();
    expect(await syncPullRequests({ db: db(), pullRequests: clients.git, release: clients })).toMatchObject({ checked: 1, merged: 1, failures: [] });
    const recorded = await db().releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(recorded).toMatchObject({ state: "merged", mergeSha });
    const tagged = await tags();
    expect(tagged.filter((t) => t.startsWith("production-"))).toHaveLength(1);
    const audit = await db().auditEvent.count();
    const runsBefore = await lastRunId();

    const response = await deliver("pull_request", await pullRequestPayload(server, TOKEN, STACK, request.number!));
    expect(response.status).toBe(200);
    expect((await response.json()).message).toBe(`Release request #${request.id} was no longer open; it is unchanged. Refreshing shop-production.`);
    expect(await db().releaseRequest.findUniqueOrThrow({ where: { id: request.id } })).toEqual(recorded);
    expect(await tags()).toEqual(tagged);
    expect(await db().auditEvent.count()).toBe(audit);
    // The refresh still runs: the poller's own refresh read the branch before the merge.
    await webhookRunAfter(runsBefore);
    expect((await snapshot("shop-production")).commitSha).toBe(mergeSha);
  });

  it("a pull request closed without merging closes its request, frees its plan to be raised again and refreshes nothing", async () => {
    const request = await raise("shop-staging", [{ service: "orders", version: "1.2.0" }]);
    server.closePullRequest(STACK, request.number!);
    const runs = await db().refreshRun.count();
    const tagged = await tags();

    // GitHub names repositories in any case: the request was raised on acme/shop-stack.
    const payload = await pullRequestPayload(server, TOKEN, STACK, request.number!);
    const response = await deliver("pull_request", { ...payload, repository: { ...payload.repository, full_name: "Acme/Shop-Stack" } }, { contentType: "form" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: `Release request #${request.id} closed.`, refreshed: [] });
    const closed = await db().releaseRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(closed).toMatchObject({ state: "closed", mergeSha: null, idempotencyKey: `${request.idempotencyKey}:closed:${request.id}` });
    expect(await tags()).toEqual(tagged);
    expect(await db().refreshRun.count()).toBe(runs);
  });
});

describe("pushes to environment branches", () => {
  it("a push refreshes only the environments on that branch; a replay refreshes nothing", async () => {
    const before = await stack.rev("refs/heads/production");
    const after = await stack.commit({ branch: "production", files: { "values.yaml": "global: { replicas: 3 }\n" }, message: "Scale production", date: "2024-03-02T10:00:00Z" });
    const staging = await snapshot("shop-staging");
    const preview = await snapshot("shop-preview");
    const runsBefore = await lastRunId();

    const payload = await pushPayload(server, TOKEN, "ACME/Shop-Stack", "production", { before, after });
    const response = await deliver("push", payload, { id: "push-1" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: "Refreshing shop-production.", refreshed: ["shop-production"] });
    const run = await webhookRunAfter(runsBefore);
    expect(run).toMatchObject({ environments: 1, failed: 0 });
    expect((await snapshot("shop-production")).commitSha).toBe(after);
    expect((await snapshot("shop-production")).refreshedAt.getTime()).toBeGreaterThan(staging.refreshedAt.getTime());
    expect(await snapshot("shop-staging")).toEqual(staging);
    expect(await snapshot("shop-preview")).toEqual(preview);

    const runs = await db().refreshRun.count();
    const replay = await deliver("push", payload, { id: "push-1" });
    expect(replay.status).toBe(200);
    expect((await replay.json()).refreshed).toEqual([]);
    // Nothing was started: give a stray refresh the chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db().refreshRun.count()).toBe(runs);
  });

  it("takes a form-encoded push (the webhook's other content type)", async () => {
    const before = await stack.rev("refs/heads/main");
    const after = await stack.commit({ branch: "main", files: { "values.yaml": "global: { replicas: 2 }\n" }, message: "Scale staging", date: "2024-03-03T10:00:00Z" });
    const runsBefore = await lastRunId();
    const response = await deliver("push", await pushPayload(server, TOKEN, STACK, "main", { before, after }), { contentType: "form" });
    expect(await response.json()).toEqual({ message: "Refreshing shop-staging.", refreshed: ["shop-staging"] });
    await webhookRunAfter(runsBefore);
    expect((await snapshot("shop-staging")).commitSha).toBe(after);
  });
});

describe("refreshing named environments", () => {
  it("waits for a full refresh under way, so a read from before the push is never saved over the push's", async () => {
    const full = requestRefresh("interval");
    const targeted = requestEnvironmentRefresh(["shop-production"], "webhook");
    const [fullResult, targetedResult] = await Promise.all([full, targeted]);
    expect(fullResult.environments).toBe(3);
    expect(targetedResult.environments).toBe(1);
    const [fullRun, targetedRun] = await Promise.all([
      db().refreshRun.findUniqueOrThrow({ where: { id: fullResult.runId } }),
      db().refreshRun.findUniqueOrThrow({ where: { id: targetedResult.runId } }),
    ]);
    expect(targetedRun.startedAt.getTime()).toBeGreaterThanOrEqual(fullRun.finishedAt!.getTime());
  });
});

describe("delivery records", () => {
  const pushTo = async (branch: string) => {
    const head = await stack.rev(`refs/heads/${branch}`);
    return pushPayload(server, TOKEN, STACK, branch, { before: head, after: head });
  };
  const noRefresh = async () => {};

  it("a delivery whose processing failed is stored as failed, and GitHub's redelivery of it is processed", async () => {
    const clients = getServerClients();
    const delivery = { id: "failing-1", event: "push", payload: await pushTo("main") };
    const failing = { db: db(), release: clients, refreshEnvironments: () => Promise.reject(new Error("database unavailable")) };
    await expect(handleGitHubDelivery(failing, delivery)).rejects.toThrow("database unavailable");
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: "failing-1" } })).toMatchObject({ outcome: "failed" });

    const refreshed: string[][] = [];
    const working = { db: db(), release: clients, refreshEnvironments: async (names: string[]) => void refreshed.push(names) };
    expect(await handleGitHubDelivery(working, delivery)).toMatchObject({ status: 200, refreshed: ["shop-staging"] });
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: "failing-1" } })).toMatchObject({ outcome: "processed" });
    expect(await handleGitHubDelivery(working, delivery)).toMatchObject({ status: 200, refreshed: [] });
    expect(refreshed).toEqual([["shop-staging"]]);
  });

  it("a delivery being processed is not processed again, unless its claim is so old that its process must have died", async () => {
    const clients = getServerClients();
    const now = new Date();
    await db().webhookDelivery.createMany({
      data: [
        { id: "busy", event: "push", receivedAt: new Date(now.getTime() - 60_000), outcome: "processing" },
        { id: "orphaned", event: "push", receivedAt: new Date(now.getTime() - 3_600_000), outcome: "processing" },
      ],
    });
    const deps = { db: db(), release: clients, refreshEnvironments: noRefresh, now: () => now };
    const payload = await pushTo("production");
    expect(await handleGitHubDelivery(deps, { id: "busy", event: "push", payload })).toEqual({
      status: 200,
      message: "Delivery busy is being processed; nothing was done again.",
      refreshed: [],
    });
    expect(await handleGitHubDelivery(deps, { id: "orphaned", event: "push", payload })).toMatchObject({ refreshed: ["shop-production"] });
  });

  it("deliveries older than 30 days are forgotten when another is taken", async () => {
    const now = new Date();
    await db().webhookDelivery.createMany({
      data: [
        { id: "old", event: "push", receivedAt: new Date(now.getTime() - 31 * 86_400_000), outcome: "processed" },
        { id: "recent", event: "push", receivedAt: new Date(now.getTime() - 29 * 86_400_000), outcome: "processed" },
      ],
    });
    const deps = { db: db(), release: getServerClients(), refreshEnvironments: noRefresh, now: () => now };
    await handleGitHubDelivery(deps, { id: "prune-trigger", event: "push", payload: await pushTo("main") });
    const ids = (await db().webhookDelivery.findMany({ select: { id: true } })).map((d) => d.id);
    expect(ids).toContain("recent");
    expect(ids).toContain("prune-trigger");
    expect(ids).not.toContain("old");
  });
});
