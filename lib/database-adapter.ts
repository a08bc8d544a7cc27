import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
// Relative imports: prisma.config.ts loads this file outside the app's "@/" path alias.
import { type SlipwayEnvironment, readEnvironment } from "./config/environment";
import { acquireDataDirLock } from "./database/data-dir-lock";
import { DatabaseProcess } from "./database/database-process";
import { removeLeftoversOfDeadProcess } from "./database/recover-data-dir";

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

export function describeDatabaseTarget(env: Pick<SlipwayEnvironment, "databaseUrl" | "dataDir"> = readEnvironment()): DatabaseTarget {
  return env.databaseUrl ? { kind: "postgres", location: env.databaseUrl } : { kind: "pglite", location: env.dataDir };
}

export interface OpenOptions {
  /** What this process is, for the lock file and for the message another process gets (default: its argv). */
  command?: string;
  /** What to tell the user when the folder is open elsewhere (default: stop that process or go through the app). */
  lockedAdvice?: string;
  /**
   * Embedded database only: run PGlite in a process of its own (lib/database/database-process.ts) rather than in
   * this one. For long-lived processes (the server, the benchmark's refresh), whose memory would otherwise carry
   * PGlite's ~130 MB; a short command opens it in-process and is done before a child would have started.
   */
  ownProcess?: boolean;
}

/**
 * PGlite's default shared_buffers (128 MB) costs ~100 MB of resident memory per process for no gain at Slipway's
 * size; 32 MB keeps the snapshot tables in cache with room to spare.
 */
const PGLITE_SETTINGS = ["shared_buffers=32MB"];

export interface OpenedEmbeddedDatabase {
  client: PGlite;
  /** Closes PGlite, then releases the folder's lock. Idempotent. */
  close: () => Promise<void>;
}

/**
 * Opens the PGlite database in `dataDir` for this process alone: takes the folder's lock (throwing
 * DataDirLockedError when another live process has it), clears what a killed predecessor left, then opens.
 */
export function openEmbeddedDatabase(dataDir: string, options: OpenOptions = {}): OpenedEmbeddedDatabase {
  const lock = acquireDataDirLock(dataDir, { command: options.command, advice: options.lockedAdvice });
  let client: PGlite;
  try {
    removeLeftoversOfDeadProcess(dataDir);
    client = new PGlite(dataDir, { postgresqlconf: PGLITE_SETTINGS });
  } catch (error) {
    lock.release();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    client,
    close: () =>
      (closing ??= (async () => {
        try {
          if (!client.closed) await client.close();
        } finally {
          lock.release();
        }
      })()),
  };
}

export interface OpenedAdapter {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Releases the embedded database and its lock; PGlite otherwise keeps the event loop (and the data dir) busy. */
  close: () => Promise<void>;
}

export function openDatabase(target: DatabaseTarget = describeDatabaseTarget(), options: OpenOptions = {}): OpenedAdapter {
  if (target.kind === "postgres") {
    return { factory: new PrismaPg({ connectionString: target.location }), close: async () => {} };
  }
  if (options.ownProcess) return openEmbeddedDatabaseProcess(target.location, options);
  const opened = openEmbeddedDatabase(target.location, options);
  // pglite-prisma-adapter declares its types against an older copy of @prisma/driver-adapter-utils (6.10); the
  // runtime contract is the same one Prisma 6.19 calls, so only the type needs bridging.
  const factory = new PrismaPGlite(opened.client) as unknown as SqlMigrationAwareDriverAdapterFactory;
  return { factory, close: opened.close };
}

/** The embedded database in a child process, behind the same lock: see lib/database/database-process.ts. */
function openEmbeddedDatabaseProcess(dataDir: string, options: OpenOptions): OpenedAdapter {
  const lock = acquireDataDirLock(dataDir, { command: options.command, advice: options.lockedAdvice });
  const database = new DatabaseProcess({ dataDir, lock, postgresqlconf: PGLITE_SETTINGS });
  let closing: Promise<void> | undefined;
  return {
    factory: database.factory(),
    close: () =>
      (closing ??= (async () => {
        try {
          await database.close();
        } finally {
          lock.release();
        }
      })()),
  };
}

export function openDatabaseAdapter(): SqlMigrationAwareDriverAdapterFactory {
  return openDatabase().factory;
}
