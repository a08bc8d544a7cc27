import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/database-adapter";
import { LOCK_FILE_NAME, acquireDataDirLock, isDataDirLockedError } from "@/lib/database/data-dir-lock";
import { spawnScript, waitForExit, waitForLine } from "./child-process";

let root: string;
let n = 0;
const freshDir = () => path.join(root, `dir-${++n}`);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-lock-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

function caught(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected it to throw");
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawnScript("test/database/hold-embedded-database.ts", ["/nonexistent/unused", "none"]);
  const pid = child.pid!;
  child.kill("SIGKILL");
  await waitForExit(child);
  return pid;
}

describe("the embedded database folder's lock", () => {
  it("is taken on open, refused to a second open, released on close", async () => {
    const dir = freshDir();
    const first = openDatabase({ kind: "pglite", location: dir }, { command: "first opener" });
    const holder = JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), "utf8"));
    expect(holder).toMatchObject({ pid: process.pid, command: "first opener" });
    const error = caught(() => openDatabase({ kind: "pglite", location: dir }));
    expect(isDataDirLockedError(error)).toBe(true);
    await first.close();
    expect(existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    const second = openDatabase({ kind: "pglite", location: dir });
    await second.close();
  });

  it("refuses while another live process holds it, naming the process and the fix; recovers it once that process is killed", async () => {
    const dir = freshDir();
    const child = spawnScript("test/database/hold-embedded-database.ts", [dir, "lock"]);
    try {
      await waitForLine(child, "ready");
      const error = caught(() => acquireDataDirLock(dir));
      expect(isDataDirLockedError(error)).toBe(true);
      expect(error.message).toContain(`in use by process ${child.pid} (test lock holder)`);
      expect(error.message).toMatch(/Stop that process first .*kill \d+.*DATABASE_URL/);
    } finally {
      child.kill("SIGKILL");
      await waitForExit(child);
    }
    // SIGKILL left the file behind; its pid is dead now, so the lock is stale and taken over.
    expect(existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(true);
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.file, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a lock file left by a dead process, or one that cannot be read", async () => {
    const dir = freshDir();
    acquireDataDirLock(dir).release();
    const file = path.join(dir, LOCK_FILE_NAME);
    const os = await import("node:os");
    writeFileSync(file, JSON.stringify({ pid: await deadPid(), hostname: os.hostname(), processStartedAt: "", lockedAt: "x", command: "gone" }));
    const afterDead = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(file, "utf8")).pid).toBe(process.pid);
    afterDead.release();
    writeFileSync(file, "{ half a lock fi");
    const afterGarbage = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(file, "utf8")).pid).toBe(process.pid);
    afterGarbage.release();
    expect(existsSync(file)).toBe(false);
  });

  it("does not take over a lock held on another host, and says how to clear it", () => {
    const dir = freshDir();
    acquireDataDirLock(dir).release();
    writeFileSync(
      path.join(dir, LOCK_FILE_NAME),
      JSON.stringify({ pid: 1, hostname: "elsewhere.example", processStartedAt: "", lockedAt: "2026-01-01T00:00:00.000Z", command: "next start" }),
    );
    const error = caught(() => acquireDataDirLock(dir));
    expect(error.message).toContain("on host elsewhere.example");
    expect(error.message).toContain(`delete ${path.join(dir, LOCK_FILE_NAME)}`);
  });

  it("lets exactly one of several processes racing for a stale lock win", async () => {
    const dir = freshDir();
    acquireDataDirLock(dir).release();
    const os = await import("node:os");
    writeFileSync(
      path.join(dir, LOCK_FILE_NAME),
      JSON.stringify({ pid: await deadPid(), hostname: os.hostname(), processStartedAt: "", lockedAt: "x", command: "gone" }),
    );
    const racers = Array.from({ length: 4 }, () => spawnScript("test/database/hold-embedded-database.ts", [dir, "lock"]));
    try {
      const outcomes = await Promise.allSettled(racers.map((child) => waitForLine(child, "ready", 60_000)));
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) if (o.status === "rejected") expect(String(o.reason)).toContain("in use by process");
    } finally {
      for (const child of racers) child.kill("SIGKILL");
      await Promise.all(racers.map((child) => waitForExit(child)));
    }
  }, 120_000);
});
