/**
 * `npm run demo`: creates (or reuses) the demo workspace, migrates its embedded database, builds the app when the
 * sources changed since the last build, and serves Slipway on it. Flags: --root DIR (default .slipway/demo),
 * --fresh (delete the workspace first), --port N (default PORT or 3000), --integrations URL (default
 * SLIPWAY_DEMO_INTEGRATIONS): follow release requests through in the local stand-ins for Jira, Slack and Grafana
 * whose control port is URL (test/stand-ins/serve-stand-ins.ts); without it the demo has no integrations.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { withDatabase } from "@/lib/db";
import { migrateEmbeddedDatabase } from "@/lib/database/migrate-database";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { withDemoIntegrations } from "@/lib/demo/demo-config-file";
import { type DemoIntegrations, demoIntegrationEnvironment, readDemoIntegrations } from "@/lib/demo/demo-integrations";
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
    integrations: { type: "string", default: process.env.SLIPWAY_DEMO_INTEGRATIONS || undefined },
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

/**
 * Writes the stand-ins' jira:, slack: and grafana: sections into slipway.yaml, or takes them out again without
 * --integrations, on every start: the stand-ins' ports may differ from the last start, and the rest of the file stays.
 */
function applyIntegrations(configPath: string, integrations: DemoIntegrations | undefined): void {
  const before = readFileSync(configPath, "utf8");
  const after = withDemoIntegrations(before, integrations);
  if (after !== before) writeFileSync(configPath, after);
  if (integrations) {
    const on = [integrations.jira && `Jira ${integrations.jira.url}`, integrations.slack && `Slack ${integrations.slack.channel} at ${integrations.slack.apiUrl}`, integrations.grafana && `Grafana ${integrations.grafana.url}`];
    console.log(`demo: following release requests through in the stand-ins: ${on.filter(Boolean).join(", ")}`);
  } else if (after !== before) console.log("demo: removed the stand-ins' integrations from slipway.yaml (no --integrations)");
}

async function main() {
  if (values.fresh) rmSync(root, { recursive: true, force: true });
  const { configPath, created } = await createDemoWorkspace(root);
  console.log(`demo: ${created ? "created" : "reusing"} workspace ${configPath}`);
  const integrations = values.integrations ? await readDemoIntegrations(values.integrations) : undefined;
  applyIntegrations(configPath, integrations);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    SLIPWAY_CONFIG: configPath,
    SLIPWAY_DATA_DIR: path.join(root, "data"),
    SLIPWAY_CACHE_DIR: path.join(root, "cache"),
    // The secrets the integrations block names; slipway.yaml holds none.
    ...(integrations ? demoIntegrationEnvironment(integrations) : {}),
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
