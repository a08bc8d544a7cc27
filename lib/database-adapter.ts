import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * Chooses the database: PostgreSQL when DATABASE_URL is set (production, CI), otherwise an embedded PGlite
 * database on disk under SLIPWAY_DATA_DIR (default .slipway/data). Shared by the app and prisma.config.ts so the
 * CLI migrates exactly the database the app opens.
 */
export interface DatabaseTarget {
  kind: "postgres" | "pglite";
  /** Connection string, or the PGlite data directory. */
  location: string;
}

export function describeDatabaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: "postgres", location: url };
  // A run-time path from the environment: turbopackIgnore keeps Next from tracing the whole project for it.
  return { kind: "pglite", location: path.resolve(/*turbopackIgnore: true*/ env.SLIPWAY_DATA_DIR?.trim() || ".slipway/data") };
}

export interface OpenedAdapter {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Releases the embedded database; PGlite otherwise keeps the event loop (and the data dir) busy. */
  close: () => Promise<void>;
}

export function openDatabase(target: DatabaseTarget = describeDatabaseTarget()): OpenedAdapter {
  if (target.kind === "postgres") {
    return { factory: new PrismaPg({ connectionString: target.location }), close: async () => {} };
  }
  mkdirSync(target.location, { recursive: true });
  // PGlite's default shared_buffers (128 MB) costs ~100 MB of resident memory per process for no gain at
  // Slipway's size; 32 MB keeps the snapshot tables in cache with room to spare.
  const client = new PGlite(target.location, { postgresqlconf: ["shared_buffers=32MB"] });
  // pglite-prisma-adapter declares its types against an older copy of @prisma/driver-adapter-utils (6.10); the
  // runtime contract is the same one Prisma 6.19 calls, so only the type needs bridging.
  const factory = new PrismaPGlite(client) as unknown as SqlMigrationAwareDriverAdapterFactory;
  return { factory, close: () => client.close() };
}

export function openDatabaseAdapter(): SqlMigrationAwareDriverAdapterFactory {
  return openDatabase().factory;
}
