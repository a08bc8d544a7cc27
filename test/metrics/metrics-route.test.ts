import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseEnvironment } from "@/lib/config/environment";
import { provideDb } from "@/lib/db";
import { ConfigError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordGithubRateLimit, recordGithubRequest } from "@/lib/git/github/github-usage";
import { countRegistryRequest } from "@/lib/metrics/registry-request-metrics";
import { databaseFactories, type TestDatabase } from "@/test/support/test-database";

const { GET } = await import("@/app/metrics/route");

const TOKEN = "metrics-token-0123456789abcdef";
const URL_ = "http://slipway.test/metrics";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-metrics-"));
  const configPath = path.join(root, "slipway.yaml");
  await writeFile(
    configPath,
    `
registries:
  - name: charts
    url: https://charts.example.com
services:
  orders: {}
environments:
  - name: shop-dev
    repo: ./stacks/shop
    branch: dev
  - name: shop-prod
    repo: ./stacks/shop
    branch: main
`,
  );
  process.env.SLIPWAY_CONFIG = configPath;
  // Never the embedded database of the working copy: until a test provides one, every query fails.
  process.env.SLIPWAY_DATA_DIR = path.join(root, "data");
  provideDb(unreachableDatabase());
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.SLIPWAY_METRICS_TOKEN;
});

function scrape(authorization?: string): Promise<Response> {
  return GET(new Request(URL_, { headers: authorization === undefined ? {} : { Authorization: authorization } }));
}

async function scrapeText(): Promise<string> {
  process.env.SLIPWAY_METRICS_TOKEN = TOKEN;
  const response = await scrape(`Bearer ${TOKEN}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample in Prometheus' text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ? match[2].match(/\w+="(?:[^"\\]|\\.)*"/g) ?? [] : []).sort();
    if (got.length === wanted.length && got.every((pair, i) => pair === wanted[i])) return Number(match[3]);
  }
  return undefined;
}

describe("/metrics guard", () => {
  it("is off, with how to switch it on, when SLIPWAY_METRICS_TOKEN is unset", async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("SLIPWAY_METRICS_TOKEN");
  });

  it.each([
    ["no Authorization header", undefined],
    ["a wrong token", "Bearer metrics-token-0123456789abcdeX"],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`],
    ["the token with more after it", `Bearer ${TOKEN}x`],
    ["Basic credentials", `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString("base64")}`],
    ["the bare token", TOKEN],
  ])("answers 401 with a challenge for %s", async (_, authorization) => {
    process.env.SLIPWAY_METRICS_TOKEN = TOKEN;
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(await response.text()).not.toContain("slipway_");
  });

  it("accepts the scheme in any case", async () => {
    process.env.SLIPWAY_METRICS_TOKEN = TOKEN;
    expect((await scrape(`bearer ${TOKEN}`)).status).toBe(200);
  });

  it("refuses a short or spaced token as a configuration error naming the variable", () => {
    expect(() => parseEnvironment({ SLIPWAY_METRICS_TOKEN: "short" })).toThrow(ConfigError);
    expect(() => parseEnvironment({ SLIPWAY_METRICS_TOKEN: "has a space in the middle" })).toThrow(/SLIPWAY_METRICS_TOKEN/);
    expect(() => parseEnvironment({ SLIPWAY_METRICS_TOKEN: "x".repeat(513) })).toThrow(/SLIPWAY_METRICS_TOKEN/);
    expect(parseEnvironment({ SLIPWAY_METRICS_TOKEN: ` ${TOKEN}\n` }).metricsToken).toBe(TOKEN);
    expect(parseEnvironment({}).metricsToken).toBeUndefined();
  });
});

describe("/metrics in-process figures", () => {
  it("serves the exposition format with process, registry and GitHub figures", async () => {
    countRegistryRequest({ name: "charts", configured: true }, "ok");
    countRegistryRequest({ name: "charts", configured: true }, "ok");
    countRegistryRequest({ name: "https://charts.unlisted.example.com", configured: false }, "server_error");
    const resetAt = Math.floor(Date.now() / 1000) + 1_800;
    recordGithubRateLimit("core", { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4321", "x-ratelimit-used": "679", "x-ratelimit-reset": String(resetAt) });
    recordGithubRateLimit("graphql", new Headers({ "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000" }));
    recordGithubRequest("rest", "ok");
    recordGithubRequest("rest", "ok");
    recordGithubRequest("graphql", "rate_limited");

    process.env.SLIPWAY_METRICS_TOKEN = TOKEN;
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();

    expect(sample(text, "slipway_process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(sample(text, "slipway_registry_requests_total", { registry: "charts", outcome: "ok" })).toBe(2);
    expect(sample(text, "slipway_registry_requests_total", { registry: "unlisted", outcome: "server_error" })).toBe(1);
    expect(text).not.toContain("charts.unlisted.example.com");
    expect(sample(text, "slipway_github_requests_total", { kind: "rest", outcome: "ok" })).toBe(2);
    expect(sample(text, "slipway_github_requests_total", { kind: "graphql", outcome: "rate_limited" })).toBe(1);
    expect(sample(text, "slipway_github_rate_limit_remaining", { resource: "core" })).toBe(4321);
    expect(sample(text, "slipway_github_rate_limit_reset_timestamp_seconds", { resource: "core" })).toBe(resetAt);
    // That window ended long ago: full again.
    expect(sample(text, "slipway_github_rate_limit_remaining", { resource: "graphql" })).toBe(5000);
    // The database could not be read: said so, and the rest is still served.
    expect(sample(text, "slipway_database_up")).toBe(0);
    expect(sample(text, "slipway_environment_snapshot_age_seconds", { environment: "shop-dev" })).toBeUndefined();

    recordGithubRequest("rest", "ok");
    expect(sample(await scrapeText(), "slipway_github_requests_total", { kind: "rest", outcome: "ok" })).toBe(3);
  });
});

describe.each(databaseFactories())("/metrics database figures on $name", ({ create }) => {
  let database: TestDatabase;
  const db = () => database.db;

  beforeAll(async () => {
    database = await create();
    provideDb(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("reports refreshes, snapshots and jobs from the database", async () => {
    // The histogram is the process's: what earlier databases in this file added stays, so count from here.
    const before = await scrapeText();
    const runsBefore = sample(before, "slipway_refresh_run_duration_seconds_count") ?? 0;
    const bucketBefore = (le: string) => sample(before, "slipway_refresh_run_duration_seconds_bucket", { le }) ?? 0;
    const now = Date.now();
    const ago = (seconds: number) => new Date(now - seconds * 1000);
    await db().environmentSnapshot.createMany({
      data: [
        { environment: "shop-dev", refreshedAt: ago(120), durationMs: 1_500 },
        { environment: "shop-prod", refreshedAt: ago(30), durationMs: 4_200, error: "cannot read the stack repository" },
        // Removed from slipway.yaml since: not reported.
        { environment: "shop-old", refreshedAt: ago(9_000), durationMs: 100 },
      ],
    });
    await db().refreshRun.create({
      data: { trigger: "interval", startedAt: ago(7), finishedAt: new Date(now), environments: 2, failed: 1, requests: 12, notModified: 5, bytes: 3_456n },
    });
    // Started after, not finished: neither the last run nor in the histogram.
    await db().refreshRun.create({ data: { trigger: "manual", startedAt: new Date(now) } });
    await db().job.createMany({
      data: [
        { kind: "slack.post", idempotencyKey: "a", payload: {}, state: "pending", attempts: 2, runAfter: ago(90), lastError: "503" },
        { kind: "slack.post", idempotencyKey: "b", payload: {}, state: "pending", attempts: 0, runAfter: ago(-3_600) },
        { kind: "slack.post", idempotencyKey: "c", payload: {}, state: "running", attempts: 1, lockedBy: "w", lockedUntil: ago(-60) },
        { kind: "jira.fix-version", idempotencyKey: "d", payload: {}, state: "done", attempts: 3, finishedAt: ago(10) },
        { kind: "grafana.annotate", idempotencyKey: "e", payload: {}, state: "failed", attempts: 8, lastError: "401", finishedAt: ago(5) },
      ],
    });

    const text = await scrapeText();
    expect(sample(text, "slipway_database_up")).toBe(1);
    expect(sample(text, "slipway_environment_refresh_duration_seconds", { environment: "shop-dev" })).toBe(1.5);
    expect(sample(text, "slipway_environment_refresh_duration_seconds", { environment: "shop-prod" })).toBe(4.2);
    expect(sample(text, "slipway_environment_snapshot_age_seconds", { environment: "shop-dev" })).toBeGreaterThanOrEqual(120);
    expect(sample(text, "slipway_environment_snapshot_age_seconds", { environment: "shop-dev" })).toBeLessThan(150);
    expect(sample(text, "slipway_environment_snapshot_age_seconds", { environment: "shop-prod" })).toBeGreaterThanOrEqual(30);
    expect(sample(text, "slipway_environment_read_failing", { environment: "shop-dev" })).toBe(0);
    expect(sample(text, "slipway_environment_read_failing", { environment: "shop-prod" })).toBe(1);
    expect(text).not.toContain("shop-old");

    expect(sample(text, "slipway_refresh_last_duration_seconds")).toBe(7);
    expect(sample(text, "slipway_refresh_last_finished_timestamp_seconds")).toBe(now / 1000);
    expect(sample(text, "slipway_refresh_last_environments")).toBe(2);
    expect(sample(text, "slipway_refresh_last_failed_environments")).toBe(1);
    expect(sample(text, "slipway_refresh_last_registry_requests")).toBe(12);
    expect(sample(text, "slipway_refresh_last_registry_not_modified")).toBe(5);
    expect(sample(text, "slipway_refresh_last_registry_bytes")).toBe(3456);
    expect(sample(text, "slipway_refresh_run_duration_seconds_count")).toBe(runsBefore + 1);
    expect(sample(text, "slipway_refresh_run_duration_seconds_bucket", { le: "5" })).toBe(bucketBefore("5"));
    expect(sample(text, "slipway_refresh_run_duration_seconds_bucket", { le: "10" })).toBe(bucketBefore("10") + 1);

    expect(sample(text, "slipway_jobs", { state: "pending", kind: "slack.post" })).toBe(2);
    expect(sample(text, "slipway_jobs", { state: "running", kind: "slack.post" })).toBe(1);
    expect(sample(text, "slipway_jobs", { state: "done", kind: "jira.fix-version" })).toBe(1);
    expect(sample(text, "slipway_jobs", { state: "failed", kind: "grafana.annotate" })).toBe(1);
    expect(sample(text, "slipway_job_errored_attempts", { kind: "slack.post" })).toBe(2);
    expect(sample(text, "slipway_job_errored_attempts", { kind: "jira.fix-version" })).toBe(2);
    expect(sample(text, "slipway_job_errored_attempts", { kind: "grafana.annotate" })).toBe(8);
    expect(sample(text, "slipway_job_oldest_due_wait_seconds")).toBeGreaterThanOrEqual(90);
    expect(sample(text, "slipway_job_oldest_due_wait_seconds")).toBeLessThan(120);

    // A run is counted once, however often it is scraped; the next one to finish is added.
    expect(sample(await scrapeText(), "slipway_refresh_run_duration_seconds_count")).toBe(runsBefore + 1);
    await db().refreshRun.create({ data: { trigger: "interval", startedAt: new Date(now + 1 - 30_000), finishedAt: new Date(now + 1) } });
    const later = await scrapeText();
    expect(sample(later, "slipway_refresh_run_duration_seconds_count")).toBe(runsBefore + 2);
    expect(sample(later, "slipway_refresh_run_duration_seconds_bucket", { le: "20" })).toBe(bucketBefore("20") + 1);
    expect(sample(later, "slipway_refresh_run_duration_seconds_bucket", { le: "30" })).toBe(bucketBefore("30") + 2);
    expect(sample(later, "slipway_refresh_last_duration_seconds")).toBe(30);
  });
});

/** A database whose every query fails, as when PostgreSQL is down. */
function unreachableDatabase(): PrismaClient {
  return new Proxy({} as PrismaClient, {
    get() {
      throw new Error("connection refused");
    },
  });
}
