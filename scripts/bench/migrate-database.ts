import { spawnSync } from "node:child_process";
import path from "node:path";

const projectDir = path.resolve(__dirname, "..", "..");
const tsxCli = path.join(projectDir, "node_modules", "tsx", "dist", "cli.mjs");

/**
 * `npm run db:migrate` against the embedded database in `env.SLIPWAY_DATA_DIR`, in a child process as before (the
 * caller's timing includes it), but the in-process migrator's: `prisma migrate deploy` on PGlite does not exit when
 * the database is already up to date.
 */
export function migrateDatabase(env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [tsxCli, path.join(projectDir, "scripts", "migrate-database.ts")], { cwd: projectDir, env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`db:migrate failed (exit ${result.status ?? result.signal}):\n${`${result.stdout}${result.stderr}`.trim()}`);
  }
  return performance.now() - started;
}
