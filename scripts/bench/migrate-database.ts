import { spawnSync } from "node:child_process";
import path from "node:path";

const projectDir = path.resolve(__dirname, "..", "..");
const prismaCli = path.join(projectDir, "node_modules", "prisma", "build", "index.js");

/** `prisma migrate deploy` against the embedded database in `env.SLIPWAY_DATA_DIR` (prisma.config.ts picks it). */
export function migrateDatabase(env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], { cwd: projectDir, env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${result.status ?? result.signal}):\n${`${result.stdout}${result.stderr}`.trim()}`);
  }
  return performance.now() - started;
}
