/**
 * `npm run demo`: creates (or reuses) the demo workspace, migrates its embedded database, builds the app when the
 * sources changed since the last build, and serves Slipway on it. Flags: --root DIR (default .slipway/demo),
 * --fresh (delete the workspace first), --port N (default PORT or 3000).
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { withDatabase } from "@/lib/db";
import { migrateEmbeddedDatabase } from "@/lib/database/migrate-database";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { buildIsStale } from "./build-freshness";
import { DEMO_USERS } from "@/lib/demo/demo-users";
import { ensureDemoUsers } from "@/lib/demo/ensure-demo-users";
import { seedDemoReleases } from "@/lib/demo/seed-demo-releases";
import { loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";

const { values } = parseArgs({
  options: {
    root: { type: "string", default: ".slipway/demo" },
    fresh: { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "3000" },
    host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
  },
});

const root = path.resolve(values.root!);
const projectDir = path.resolve(__dirname, "..");
const nextBin = path.join(projectDir, "node_modules", "next", "dist", "bin", "next");

function run(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { stdio: "inherit", env, cwd: projectDir });
  if (result.status !== 0) {
    console.error(`demo: ${command} ${args.join(" ")} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

/** The demo's accounts, written before the server starts (PGlite allows one process at a time). */
async function createUsers(dataDir: string): Promise<void> {
  const created = await withDatabase({ command: "npm run demo (creating accounts)" }, ensureDemoUsers, { kind: "pglite", location: dataDir });
  if (created.length > 0) console.log(`demo: created accounts ${created.join(", ")}`);
}

/** The demo's past release requests, on first start only (an empty release list). */
async function seedReleases(dataDir: string, configPath: string, cacheDir: string): Promise<void> {
  const { config, baseDir } = loadWorkspaceConfig(configPath);
  const git = createLocalGitProvider({ baseDir, cacheDir });
  const seeded = await withDatabase({ command: "npm run demo (recording past releases)" }, (db) => seedDemoReleases(db, config, git), { kind: "pglite", location: dataDir });
  if (seeded > 0) console.log(`demo: recorded ${seeded} past release requests`);
}

async function main() {
  if (values.fresh) rmSync(root, { recursive: true, force: true });
  const { configPath, created } = await createDemoWorkspace(root);
  console.log(`demo: ${created ? "created" : "reusing"} workspace ${configPath}`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    SLIPWAY_CONFIG: configPath,
    SLIPWAY_DATA_DIR: path.join(root, "data"),
    SLIPWAY_CACHE_DIR: path.join(root, "cache"),
  };
  delete env.DATABASE_URL; // the demo always uses its own embedded database

  // In-process and closed again: `prisma migrate deploy` on PGlite never exits when there is nothing to apply.
  const applied = await migrateEmbeddedDatabase(env.SLIPWAY_DATA_DIR!, {
    migrationsDir: path.join(projectDir, "prisma", "migrations"),
    command: "npm run demo (migrating)",
  });
  console.log(applied.length > 0 ? `demo: applied migrations ${applied.join(", ")}` : "demo: database is up to date");
  await createUsers(env.SLIPWAY_DATA_DIR!);
  await seedReleases(env.SLIPWAY_DATA_DIR!, configPath, env.SLIPWAY_CACHE_DIR!);
  env.NEXTAUTH_URL ??= `http://${values.host}:${values.port}`;
  if (buildIsStale(projectDir, process.env.SLIPWAY_DIST_DIR || ".next")) {
    console.log("demo: building the app (sources changed since the last build)");
    run(process.execPath, [nextBin, "build"], { ...env, NODE_ENV: "production" });
  }
  console.log(`demo: serving Slipway on http://${values.host}:${values.port}`);
  console.log("demo: sign in as any of these (user / password):");
  for (const user of DEMO_USERS) console.log(`demo:   ${user.username.padEnd(5)} / ${user.password.padEnd(15)} ${user.role}`);
  // Next directly, not through npx: signals reach the server itself, which closes the database and its lock.
  const server = spawn(process.execPath, [nextBin, "start", "-p", values.port!, "-H", values.host!], { stdio: "inherit", env, cwd: projectDir });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill(signal);
      // A server that does not stop is killed; the next start recovers its database folder.
      setTimeout(() => server.kill("SIGKILL"), 15_000).unref();
    });
  }
  server.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : signal ? 143 : 0)));
}

main().catch((error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
