import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "@/lib/database/migrate-database";
import { spawnScript, waitForExit } from "./child-process";

const projectDir = path.resolve(__dirname, "../..");
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-migrate-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function migrationRows(dataDir: string) {
  const client = new PGlite(dataDir);
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    return rows;
  } finally {
    await client.close();
  }
}

function runDbMigrate(dataDir: string) {
  const env = { SLIPWAY_DATA_DIR: dataDir, DATABASE_URL: "" };
  return waitForExit(spawnScript("scripts/migrate-database.ts", [], env), 90_000);
}

describe("npm run db:migrate on the embedded database", () => {
  it("exits on the first, second and third run of the same data folder", async () => {
    const dataDir = path.join(root, "ours");
    const names = readMigrations(path.join(projectDir, "prisma", "migrations")).map((m) => m.name);

    const first = await runDbMigrate(dataDir);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`applied ${names.join(", ")}`);
    for (const run of [2, 3]) {
      const again = await runDbMigrate(dataDir);
      expect(again.code, `run ${run}: ${again.output}`).toBe(0);
      expect(again.output).toContain("is up to date");
    }
    const rows = await migrationRows(dataDir);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
  }, 300_000);

  it("records the same rows as `prisma migrate deploy`, and each takes over from the other", async () => {
    const ours = path.join(root, "ours-vs-prisma");
    const prismas = path.join(root, "prisma");
    expect((await runDbMigrate(ours)).code).toBe(0);
    // prisma migrate deploy exits when it applies something (only the up-to-date run hangs), so a fresh folder is safe.
    const prisma = spawn(process.execPath, [path.join(projectDir, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
      cwd: projectDir,
      env: { ...process.env, SLIPWAY_DATA_DIR: prismas, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const deployed = await waitForExit(prisma, 120_000);
    expect(deployed.code, deployed.output).toBe(0);

    const simplify = (rows: Awaited<ReturnType<typeof migrationRows>>) =>
      rows.map((r) => ({ name: r.migration_name, checksum: r.checksum, steps: r.applied_steps_count, finished: r.finished_at !== null }));
    expect(simplify(await migrationRows(ours))).toEqual(simplify(await migrationRows(prismas)));

    // A folder prisma migrated (and whose process exited without closing PGlite) is up to date for ours.
    const after = await runDbMigrate(prismas);
    expect(after.code, after.output).toBe(0);
    expect(after.output).toContain("is up to date");
  }, 300_000);
});

/**
 * On PostgreSQL `npm run db:migrate` is `prisma migrate deploy`, whose runner splits a migration at every semicolon,
 * comments included: a migration the embedded runner takes can still fail there (one did). Each migration is applied
 * to a fresh database the way a production instance applies it.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!postgresUrl)("npm run db:migrate on PostgreSQL (TEST_DATABASE_URL)", () => {
  it("applies every migration to a fresh database", async () => {
    const pg = (await import("pg")).default;
    const name = `slipway_migrate_${process.pid}`;
    const admin = new URL(postgresUrl!);
    admin.pathname = "/postgres";
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}"`);
      const target = new URL(postgresUrl!);
      target.pathname = `/${name}`;
      const migrated = await waitForExit(spawnScript("scripts/migrate-database.ts", [], { DATABASE_URL: target.toString() }), 180_000);
      expect(migrated.code, migrated.output).toBe(0);
      const applied = new pg.Client({ connectionString: target.toString() });
      await applied.connect();
      try {
        const { rows } = await applied.query<{ migration_name: string; finished_at: Date | null }>(
          `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
        );
        expect(rows.map((r) => r.migration_name)).toEqual(readMigrations(path.join(projectDir, "prisma", "migrations")).map((m) => m.name));
        expect(rows.every((r) => r.finished_at !== null)).toBe(true);
      } finally {
        await applied.end();
      }
    } finally {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await client.end();
    }
  }, 300_000);
});
