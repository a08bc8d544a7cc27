/**
 * Serves Slipway on a generated workspace of 50 environments × 80 services (4,000 cells; a 2 MB index, not the
 * bench's 20 MB, to start fast) for the browser test of the large overview (e2e/scale.spec.ts). Everyone may read it
 * (the bench workspace's access), so the spec needs no accounts. The app must be built already: Playwright starts
 * this after the demo, which builds it.
 *   tsx --conditions=react-server scripts/serve-scale-workspace.ts --root .slipway/e2e-scale --port 3102
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrateEmbeddedDatabase } from "@/lib/database/migrate-database";
import { createBenchWorkspace } from "@/lib/demo/create-bench-workspace";

const { values } = parseArgs({
  options: {
    root: { type: "string", default: ".slipway/e2e-scale" },
    port: { type: "string", default: "3102" },
  },
});

const projectDir = path.resolve(__dirname, "..");
const root = path.resolve(values.root!);

async function main(): Promise<void> {
  const configPath = await createBenchWorkspace(root, { environments: 50, services: 80, indexBytes: 2_000_000 });
  const dataDir = path.join(root, "data");
  rmSync(dataDir, { recursive: true, force: true });
  await migrateEmbeddedDatabase(dataDir, { migrationsDir: path.join(projectDir, "prisma", "migrations"), command: "serve-scale-workspace" });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    SLIPWAY_CONFIG: configPath,
    SLIPWAY_DATA_DIR: dataDir,
    SLIPWAY_CACHE_DIR: path.join(root, "cache"),
    SLIPWAY_REFRESH_ON_START: "1",
    NEXTAUTH_URL: `http://127.0.0.1:${values.port}`,
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  const nextBin = path.join(projectDir, "node_modules", "next", "dist", "bin", "next");
  const server = spawn(process.execPath, [nextBin, "start", "-p", values.port!, "-H", "127.0.0.1"], { stdio: "inherit", env, cwd: projectDir });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 143 : 0)));
}

main().catch((error) => {
  console.error(`serve-scale-workspace: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
