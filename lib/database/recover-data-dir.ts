import { existsSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * Removes the `postmaster.pid` a PGlite process killed mid-write (SIGKILL, OOM, power loss) leaves behind. Call it
 * only while holding the folder's lock: then no live process owns the folder.
 *
 * Every PGlite process writes the same fake pid (-42) into it, so the file says nothing about who is alive; the lock
 * is the real guard. PGlite 0.5.16 reopens past a leftover one (test/database/kill-recovery.test.ts proves the
 * reopen), but PostgreSQL proper refuses a folder with a live-looking one and older PGlite builds did, so it goes.
 * (A leftover `pg_wal/xlogtemp.42` needs nothing: PostgreSQL unlinks its temp segment before creating it. The
 * "xlogtemp.42: File exists" failure seen here came from two processes writing one folder, which the lock prevents.)
 *
 * Returns whether it removed one.
 */
export function removeLeftoversOfDeadProcess(dataDir: string): boolean {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  rmSync(pidFile, { force: true });
  return true;
}
