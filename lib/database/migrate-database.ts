import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { openEmbeddedDatabase } from "../database-adapter";

/**
 * Applies prisma/migrations to an embedded (PGlite) database in-process, and records them in `_prisma_migrations`
 * exactly as `prisma migrate deploy` does (same table, same checksum), so either tool can take over from the other.
 * `prisma migrate deploy` through prisma.config.ts's PGlite adapter never exits when there is nothing to apply (Prisma
 * never disposes the adapter), which is why the embedded database is migrated here and closed explicitly.
 */
export const DEFAULT_MIGRATIONS_DIR = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

export interface Migration {
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes: Prisma's checksum. */
  checksum: string;
}

/** The migration folders in name order, as Prisma reads them. */
export function readMigrations(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(migrationsDir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

// The table Prisma's schema engine creates (sql-migration-connector, PostgreSQL flavour).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/**
 * Applies the pending migrations, each in its own transaction together with its `_prisma_migrations` row: a
 * migration is either applied and recorded or neither. Returns the names applied (empty when up to date).
 */
export async function applyMigrations(client: PGlite, migrations: Migration[] = readMigrations()): Promise<string[]> {
  await client.exec(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    `SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  // Prisma's P3009: a migration that started and never finished (and was not marked rolled back) stops deploys.
  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null).map((row) => row.migration_name);
  if (failed.length > 0) {
    throw new MigrationError(
      `migration ${failed.join(", ")} failed earlier and is still marked as started in _prisma_migrations; fix the database, ` +
        `then mark it with \`npx prisma migrate resolve --rolled-back NAME\` (or --applied NAME)`,
    );
  }
  const applied = new Set(rows.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    const startedAt = new Date();
    try {
      await client.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
      });
    } catch (error) {
      throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    done.push(migration.name);
  }
  return done;
}

/**
 * Migrates the embedded database in `dataDir` (taking its lock) and closes it, so the caller can exit. Throws
 * DataDirLockedError while another process (a running app) has the folder open.
 */
export async function migrateEmbeddedDatabase(
  dataDir: string,
  options: { migrationsDir?: string; command?: string } = {},
): Promise<string[]> {
  const opened = openEmbeddedDatabase(dataDir, {
    command: options.command,
    lockedAdvice:
      "Migrate before starting the app: stop it (Ctrl-C in its terminal, or `kill PID`), run the migration, then start it again.",
  });
  try {
    return await applyMigrations(opened.client, readMigrations(options.migrationsDir));
  } finally {
    await opened.close();
  }
}
