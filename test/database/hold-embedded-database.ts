/**
 * Child process for the database tests: `tsx hold-embedded-database.ts DATA_DIR hold|write|lock`.
 * - lock: takes the folder's lock only, prints "ready", waits to be killed.
 * - hold: opens the database (lock + PGlite), prints "ready", waits.
 * - write: opens it, creates a table, prints "ready", then inserts rows (with checkpoints) until killed.
 * - own-write: as write, but with the database in a process of its own (openDatabase's ownProcess, as the server).
 * - own-exit: opens it that way, inserts a row, then exits without closing it.
 * - own-close-exit: the same, but asks it to close just before exiting (as Next does on Ctrl-C).
 */
import { openDatabase, openEmbeddedDatabase } from "@/lib/database-adapter";
import { acquireDataDirLock } from "@/lib/database/data-dir-lock";
import { PrismaClient } from "@/lib/generated/prisma/client";

const [dataDir, mode] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === "lock") {
    acquireDataDirLock(dataDir!, { command: "test lock holder" });
    console.log("ready");
    setInterval(() => {}, 60_000);
    return;
  }
  if (mode === "own-write" || mode === "own-exit" || mode === "own-close-exit") {
    const opened = openDatabase({ kind: "pglite", location: dataDir! }, { command: `test ${mode}r`, ownProcess: true });
    const db = new PrismaClient({ adapter: opened.factory });
    await db.$executeRawUnsafe("CREATE TABLE IF NOT EXISTS filler (id serial PRIMARY KEY, body text NOT NULL)");
    if (mode === "own-exit" || mode === "own-close-exit") {
      await db.$executeRaw`INSERT INTO filler (body) VALUES ('last words')`;
      console.log("ready");
      if (mode === "own-exit") process.exit(0);
      // The close request goes out; the exit comes before PGlite has finished closing and the answer is back.
      void opened.close();
      setTimeout(() => process.exit(0), 20);
      return;
    }
    for (let i = 0; ; i++) {
      await db.$executeRaw`INSERT INTO filler (body) VALUES (${"x".repeat(2_000)})`;
      if (i === 200) console.log("ready");
      if (i % 100 === 0) await db.$executeRawUnsafe("CHECKPOINT");
    }
  }
  const { client } = openEmbeddedDatabase(dataDir!, { command: `test ${mode}r` });
  await client.exec("CREATE TABLE IF NOT EXISTS filler (id serial PRIMARY KEY, body text NOT NULL)");
  if (mode === "hold") {
    console.log("ready");
    setInterval(() => {}, 60_000);
    return;
  }
  for (let i = 0; ; i++) {
    await client.query("INSERT INTO filler (body) VALUES ($1)", ["x".repeat(2_000)]);
    if (i === 200) console.log("ready"); // well inside the write loop, WAL segments being filled
    if (i % 100 === 0) await client.exec("CHECKPOINT");
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
