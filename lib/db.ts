import "server-only";
import { type DatabaseTarget, type OpenOptions, describeDatabaseTarget, openDatabase } from "@/lib/database-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * One Prisma client per process. Kept on globalThis because Next's dev server re-evaluates modules on change,
 * and a second PGlite instance on the same data directory would corrupt it (the folder's lock refuses it too).
 */
const holder = globalThis as typeof globalThis & {
  slipwayDb?: { client: PrismaClient; close: () => Promise<void> };
  slipwayDbSignalsHandled?: boolean;
};

export function getDb(): PrismaClient {
  if (!holder.slipwayDb) {
    // The server (and any long-lived script) keeps the embedded database in a process of its own: its memory is
    // PGlite's, not the server's.
    const { db, close } = openDatabaseClient({ ownProcess: true });
    holder.slipwayDb = { client: db, close };
    closeDbOnTermination();
  }
  return holder.slipwayDb.client;
}

/**
 * A Prisma client on the configured database, and how to let it go (with the embedded database: PGlite closed and the
 * data folder's lock released). The server's getDb and every command and script open through here.
 */
export function openDatabaseClient(
  options: OpenOptions = {},
  target: DatabaseTarget = describeDatabaseTarget(),
): { db: PrismaClient; close: () => Promise<void> } {
  const opened = openDatabase(target, options);
  const db = new PrismaClient({ adapter: opened.factory });
  return {
    db,
    close: async () => {
      await db.$disconnect();
      await opened.close();
    },
  };
}

/** Opens the database for one command or script, runs `use`, and always closes it again. */
export async function withDatabase<T>(
  options: OpenOptions,
  use: (db: PrismaClient) => Promise<T>,
  target: DatabaseTarget = describeDatabaseTarget(),
): Promise<T> {
  const { db, close } = openDatabaseClient(options, target);
  try {
    return await use(db);
  } finally {
    await close();
  }
}

/** Closes the database so scripts can exit (PGlite keeps the event loop alive). */
export async function closeDb(): Promise<void> {
  const db = holder.slipwayDb;
  holder.slipwayDb = undefined;
  await db?.close();
}

/** Makes `client` the process's database: for tests and scripts that open a database of their own. */
export function provideDb(client: PrismaClient, close: () => Promise<void> = async () => {}): void {
  holder.slipwayDb = { client, close };
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * On Ctrl-C or SIGTERM, close the database (PGlite flushes, the folder's lock is released). `next start` has its own
 * handlers that finish in-flight requests and then call process.exit; where nobody else handles the signal (a
 * script), this exits with the signal's code itself, because a listener stops Node's default exit. Whoever exits
 * first, the lock goes with the process ('exit' hook in data-dir-lock.ts), and an unfinished close is no worse
 * than a kill, which the next open recovers from.
 */
function closeDbOnTermination(): void {
  if (holder.slipwayDbSignalsHandled) return;
  holder.slipwayDbSignalsHandled = true;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      const othersExit = process.listenerCount(signal) > 0;
      closeDb()
        .catch(() => {})
        .finally(() => {
          if (!othersExit) process.exit(code);
          // Next exits on its own once its server has closed; this only guards against a handler that never does.
          else setTimeout(() => process.exit(code), 10_000).unref();
        });
    });
  }
}
