import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbeddedDatabase } from "@/lib/database-adapter";
import { LOCK_FILE_NAME } from "@/lib/database/data-dir-lock";
import { spawnScript, waitForExit, waitForLine } from "./child-process";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-kill-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function countRows(dataDir: string): Promise<number> {
  const opened = openEmbeddedDatabase(dataDir, { command: "test reader" });
  try {
    const { rows } = await opened.client.query<{ n: number }>("SELECT count(*)::int AS n FROM filler");
    return rows[0]!.n;
  } finally {
    await opened.close();
  }
}

describe("a process killed in the middle of writing the embedded database", () => {
  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    it(`leaves a folder the next process opens (${signal})`, async () => {
      const dataDir = path.join(root, signal);
      for (let round = 1; round <= 2; round++) {
        const writer = spawnScript("test/database/hold-embedded-database.ts", [dataDir, "write"]);
        await waitForLine(writer, "ready", 90_000);
        writer.kill(signal);
        const end = await waitForExit(writer);
        expect(end.signal).toBe(signal);
        // What the killed process left: its lock (pid now dead) and PGlite's postmaster.pid.
        expect(existsSync(path.join(dataDir, LOCK_FILE_NAME)), `round ${round}`).toBe(true);
        expect(existsSync(path.join(dataDir, "postmaster.pid")), `round ${round}`).toBe(true);
        expect(await countRows(dataDir)).toBeGreaterThan(200 * round - 1);
        expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
      }
    }, 240_000);
  }
});
