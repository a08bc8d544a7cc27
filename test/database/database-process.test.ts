import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenedAdapter, openDatabase } from "@/lib/database-adapter";
import { LOCK_FILE_NAME, acquireDataDirLock, isDataDirLockedError } from "@/lib/database/data-dir-lock";
import { migrateEmbeddedDatabase } from "@/lib/database/migrate-database";
import { isUniqueViolation } from "@/lib/db-errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { spawnScript, waitForExit, waitForLine } from "./child-process";

/**
 * The embedded database in a process of its own (lib/database/database-process.ts): Prisma must see what it sees
 * with PGlite in-process, and the folder must be as safe across kills as it is in-process.
 */

let root: string;
let n = 0;
const freshDir = () => path.join(root, `db-${++n}`);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-dbproc-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

function open(dataDir: string, ownProcess: boolean): { db: PrismaClient; opened: OpenedAdapter } {
  const opened = openDatabase({ kind: "pglite", location: dataDir }, { command: "database-process test", ownProcess });
  return { db: new PrismaClient({ adapter: opened.factory }), opened };
}

async function using<T>(dataDir: string, ownProcess: boolean, use: (db: PrismaClient) => Promise<T>): Promise<T> {
  const { db, opened } = open(dataDir, ownProcess);
  try {
    return await use(db);
  } finally {
    await db.$disconnect();
    await opened.close();
  }
}

function lockHelpers(dataDir: string): number[] {
  const holder = JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE_NAME), "utf8")) as { helpers?: { pid: number }[] };
  return (holder.helpers ?? []).map((helper) => helper.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const VALUES_SQL = `SELECT 7::int4 AS i4, 9007199254740993::int8 AS i8, 1.25::float8 AS f8, 12.50::numeric AS num,
  true AS b, 'ü'::text AS t, '2026-12-03 10:11:12.345+00'::timestamptz AS ts, '2026-12-03'::date AS d,
  '{"a": [1, {"b": null}]}'::jsonb AS j, '\\x00ff10'::bytea AS bytes, ARRAY['x', 'y'] AS texts,
  ARRAY[1, 2]::int4[] AS ints, NULL::text AS nothing`;

describe("the embedded database in its own process", () => {
  it("answers Prisma exactly as PGlite in-process does: values, writes, unique violations, errors", async () => {
    /** Values of every column type Slipway reads, a unique violation and a syntax error, as Prisma reports them. */
    const probe = async (db: PrismaClient) => {
      const username = `ada-${Math.random()}`;
      await db.user.create({ data: { username, passwordHash: "x" } });
      const duplicate = await db.user.create({ data: { username, passwordHash: "y" } }).catch((error: unknown) => error);
      const syntax = await db.$queryRawUnsafe("SELEC 1").catch((error: unknown) => error);
      const described = (error: unknown) => {
        const { name, message, code, meta } = error as { name: string; message: string; code?: string; meta?: unknown };
        return { name, message: message.replaceAll(username, "NAME"), code, meta, unique: isUniqueViolation(error) };
      };
      return { values: await db.$queryRawUnsafe(VALUES_SQL), duplicate: described(duplicate), syntax: described(syntax) };
    };
    const dataDir = freshDir();
    await migrateEmbeddedDatabase(dataDir, { command: "test migrate" });
    const inProcess = await using(dataDir, false, probe);
    const own = await using(dataDir, true, probe);
    expect(own).toEqual(inProcess);
    expect(own.duplicate.unique).toBe(true);
    expect(JSON.stringify(own.syntax.meta)).toContain("syntax error at or near");
    expect((own.values as Record<string, unknown>[])[0]).toMatchObject({ i4: 7, i8: 9007199254740993n, t: "ü", texts: ["x", "y"], nothing: null });
    // The writes made through the child are on disk for the next opener.
    expect(await using(dataDir, false, (db) => db.user.count())).toBe(2);
  }, 60_000);

  it("keeps interactive transactions: committed work stays, a throw rolls back, others wait for the transaction", async () => {
    const dataDir = freshDir();
    await migrateEmbeddedDatabase(dataDir, { command: "test migrate" });
    await using(dataDir, true, async (db) => {
      await db.$transaction(async (tx) => {
        await tx.user.create({ data: { username: "kept", passwordHash: "x" } });
      });
      const failed = await db
        .$transaction(async (tx) => {
          await tx.user.create({ data: { username: "undone", passwordHash: "x" } });
          throw new Error("changed my mind");
        })
        .catch((error: Error) => error.message);
      expect(failed).toBe("changed my mind");
      // A read outside a transaction that is open sees it only once committed (PGlite has one connection: it waits).
      let seenOutside: number | undefined;
      await db.$transaction(async (tx) => {
        await tx.user.create({ data: { username: "late", passwordHash: "x" } });
        void db.user.count().then((count) => (seenOutside = count));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(seenOutside).toBeUndefined();
      });
      await until(() => seenOutside !== undefined);
      expect(seenOutside).toBe(2);
      expect((await db.user.findMany({ orderBy: { username: "asc" } })).map((user) => user.username)).toEqual(["kept", "late"]);
    });
  }, 60_000);

  it("is recorded in the folder's lock; when it dies, what was in flight fails and the next query starts a new one", async () => {
    const dataDir = freshDir();
    await migrateEmbeddedDatabase(dataDir, { command: "test migrate" });
    const { db, opened } = open(dataDir, true);
    try {
      await db.user.count();
      const [first] = lockHelpers(dataDir);
      expect(first).toBeGreaterThan(0);
      expect(readFileSync(`/proc/${first}/cmdline`, "utf8")).toContain("slipway-database");
      const slow = db.$queryRawUnsafe("SELECT pg_sleep(2)").catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(first!, "SIGKILL");
      const failure = await slow;
      expect((failure as Error).message).toMatch(/embedded database process ended \(SIGKILL\)/);
      expect(await db.user.count()).toBe(0);
      const helpers = lockHelpers(dataDir);
      expect(helpers).not.toContain(first);
      expect(helpers).toHaveLength(1);
      expect(isRunning(helpers[0]!)).toBe(true);
    } finally {
      await db.$disconnect();
      await opened.close();
    }
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  }, 60_000);

  it("ignores Ctrl-C sent to the terminal's whole group; close ends it and frees the folder", async () => {
    const dataDir = freshDir();
    await migrateEmbeddedDatabase(dataDir, { command: "test migrate" });
    const { db, opened } = open(dataDir, true);
    await db.user.count();
    const [child] = lockHelpers(dataDir);
    process.kill(child!, "SIGINT");
    process.kill(child!, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db.user.count()).toBe(0);
    // Still the same process: not one started anew after the signals killed the first.
    expect(isRunning(child!)).toBe(true);
    expect(lockHelpers(dataDir)).toEqual([child]);
    await db.$disconnect();
    await opened.close();
    expect(isRunning(child!)).toBe(false);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  }, 60_000);

  it("outlives a killed parent only to close the database; a new opener waits for it and finds every committed row", async () => {
    const dataDir = freshDir();
    for (let round = 1; round <= 2; round++) {
      const writer = spawnScript("test/database/hold-embedded-database.ts", [dataDir, "own-write"]);
      await waitForLine(writer, "ready", 90_000);
      const [helper] = lockHelpers(dataDir);
      expect(helper).toBeGreaterThan(0);
      writer.kill("SIGKILL");
      await waitForExit(writer);
      // At once, while the database process may still be closing: the folder is not up for grabs before it has
      // (it frees the folder as its last act, so it is gone a moment later).
      const lock = acquireDataDirLock(dataDir, { command: "test reopener" });
      await until(() => !isRunning(helper!), 2_000);
      lock.release();
      const rows = await using(dataDir, true, (db) => db.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM filler"));
      expect(rows[0]!.n).toBeGreaterThan(200 * round - 1);
    }
  }, 240_000);

  it("closes with a transaction left open (a refresh cut off by Ctrl-C): rolled back, folder freed, no hang", async () => {
    const dataDir = freshDir();
    await migrateEmbeddedDatabase(dataDir, { command: "test migrate" });
    const { db, opened } = open(dataDir, true);
    await db.user.count();
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const cutOff = db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { username: "half-done", passwordHash: "x" } });
        inside();
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return tx.user.count();
      }, { timeout: 60_000 })
      .catch((error: Error) => error);
    await entered;
    // PGlite's close waits for an open transaction: without the rollback the database process gives up on the close
    // after 10 s and ends with PGlite still open, which leaves its postmaster.pid behind.
    await opened.close();
    expect(await cutOff).toBeInstanceOf(Error);
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    expect(await using(dataDir, false, (reader) => reader.user.count())).toBe(0);
  }, 20_000);

  for (const mode of ["own-exit", "own-close-exit"]) {
    it(`frees the folder once its database is closed when the parent exited before it (${mode}: Next on Ctrl-C)`, async () => {
      const dataDir = freshDir();
      const exiting = spawnScript("test/database/hold-embedded-database.ts", [dataDir, mode]);
      // The database process inherits the script's stderr: it closes only when that process has ended too.
      let output = "";
      exiting.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      exiting.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const closed = new Promise<number | null>((resolve) => exiting.once("close", resolve));
      expect(await closed, output).toBe(0);
      // Its answer to a parent that is gone is dropped, not an EPIPE that kills it before it frees the folder.
      expect(output.trim()).toBe("ready");
      expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
      const rows = await using(dataDir, false, (db) => db.$queryRawUnsafe<{ body: string }[]>("SELECT body FROM filler"));
      expect(rows).toEqual([{ body: "last words" }]);
    }, 60_000);
  }

  it("keeps the folder taken while a dead holder's database process lives, naming it once the wait is over", async () => {
    const dataDir = freshDir();
    const writer = spawnScript("test/database/hold-embedded-database.ts", [dataDir, "own-write"]);
    await waitForLine(writer, "ready", 90_000);
    const [helper] = lockHelpers(dataDir);
    // Stopped, the database process cannot close: the wait for it runs out and the error names it.
    process.kill(helper!, "SIGSTOP");
    try {
      writer.kill("SIGKILL");
      await waitForExit(writer);
      let error: unknown;
      try {
        acquireDataDirLock(dataDir, { command: "test reopener" });
      } catch (caught) {
        error = caught;
      }
      expect(isDataDirLockedError(error)).toBe(true);
      expect((error as Error).message).toContain(`in use by process ${helper}`);
    } finally {
      process.kill(helper!, "SIGKILL");
    }
    await until(() => !isRunning(helper!));
    acquireDataDirLock(dataDir, { command: "test reopener" }).release();
  }, 120_000);
});
