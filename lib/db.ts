import "server-only";
import { describeDatabaseTarget, openDatabase } from "@/lib/database-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * One Prisma client per process. Kept on globalThis because Next's dev server re-evaluates modules on change,
 * and a second PGlite instance on the same data directory would corrupt it.
 */
const holder = globalThis as typeof globalThis & { slipwayDb?: { client: PrismaClient; close: () => Promise<void> } };

export function getDb(): PrismaClient {
  if (!holder.slipwayDb) {
    const opened = openDatabase(describeDatabaseTarget());
    const client = new PrismaClient({ adapter: opened.factory });
    holder.slipwayDb = {
      client,
      close: async () => {
        await client.$disconnect();
        await opened.close();
      },
    };
  }
  return holder.slipwayDb.client;
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
