import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HistoryDocument, runHistoryCommand } from "@/lib/cli/run-history-command";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";

let root: string;
let config: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-cli-history-"));
  config = (await createDemoWorkspace(root)).configPath;
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
  process.env.SLIPWAY_USER = "dana"; // a viewer of every environment in the demo's slipway.yaml
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("slipway history", () => {
  it("prints the demo's staging history as JSON, newest first, with the rollback and its pull request", async () => {
    const doc = JSON.parse(await runHistoryCommand({ config, env: "shop-staging", json: true })) as HistoryDocument;
    expect(doc).toMatchObject({ schemaVersion: 1, config, environment: "shop-staging", path: "stack" });
    expect(doc.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(doc.entries.length).toBeGreaterThan(5);
    const dates = doc.entries.map((e) => e.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const rollback = doc.entries.find((e) => e.subject.startsWith("Roll back checkout to 1.3.1"))!;
    expect(rollback).toMatchObject({
      kind: "changed",
      pullRequest: expect.any(Number),
      changes: [{ service: "checkout", kind: "changed", from: "1.3.2", to: "1.3.1" }],
      error: null,
    });
    expect(rollback.author.name).toBeTruthy();
    // The rollback is the newest change of checkout; the upgrade it undid comes right before it among checkout's.
    const checkout = doc.entries.filter((e) => e.changes.some((c) => c.service === "checkout"));
    expect(checkout[0]!.sha).toBe(rollback.sha);
    expect(checkout[1]!.changes.find((c) => c.service === "checkout")).toMatchObject({ from: expect.any(String), to: "1.3.2" });
    // The environment's first commit added every service.
    const first = doc.entries.at(-1)!;
    expect(doc.complete).toBe(true);
    expect(first.changes.every((c) => c.kind === "added")).toBe(true);
  });

  it("stops at --limit and says older entries exist", async () => {
    const doc = JSON.parse(await runHistoryCommand({ config, env: "shop-staging", json: true, limit: "2" })) as HistoryDocument;
    expect(doc.entries).toHaveLength(2);
    expect(doc.complete).toBe(false);
    const text = await runHistoryCommand({ config, env: "shop-staging", limit: "2" });
    expect(text).toMatch(/^shop-staging \(release\/staging at [0-9a-f]{12}\)/);
    expect(text).toMatch(/\n {2}\S+ \S+ → \S+\n/);
    expect(text).toMatch(/older entries not shown/);
  });

  it("bounds its input and names the known environments", async () => {
    await expect(runHistoryCommand({ config, env: "shop-staging", limit: "0" })).rejects.toThrow(ValidationError);
    await expect(runHistoryCommand({ config, env: "shop-staging", limit: "1001" })).rejects.toThrow(/--limit must be a whole number from 1 to 1000/);
    await expect(runHistoryCommand({ config, env: "shop-staging", limit: "5x" })).rejects.toThrow(ValidationError);
    await expect(runHistoryCommand({ config, env: "x".repeat(101) })).rejects.toThrow(ValidationError);
    await expect(runHistoryCommand({ config, env: "prod" })).rejects.toThrow(NotFoundError);
    await expect(runHistoryCommand({ config, env: "prod" })).rejects.toThrow(/unknown environment "prod"; known: shop-dev, /);
  });

  it("asks the permission model", async () => {
    process.env.SLIPWAY_USER = "eve";
    try {
      await expect(runHistoryCommand({ config, env: "shop-staging" })).rejects.toThrow(ForbiddenError);
    } finally {
      process.env.SLIPWAY_USER = "dana";
    }
  });

  it("runs as `npx slipway history`", () => {
    const bin = path.resolve(__dirname, "../../bin/slipway.js");
    const out = execFileSync(process.execPath, [bin, "history", "--env", "shop-production", "--limit", "3", "--config", config], {
      stdio: "pipe",
      env: { ...process.env, SLIPWAY_USER: "dana" },
    }).toString();
    expect(out).toMatch(/^shop-production \(release\/production at /);
    expect(out.match(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}[0-9a-f]{12} /gm)).toHaveLength(3);
  });
});
