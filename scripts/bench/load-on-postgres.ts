import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { utimesSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { log, ms } from "./figures";
import { httpGet } from "./http-get";
import { type LoadFigures, measureLoad } from "./load";
import { childProcessPeaks, readPeakRss } from "./memory-sampler";
import { type NextServer, startNextServer } from "./next-app";

const projectDir = path.resolve(__dirname, "..", "..");
const tsxCli = path.join(projectDir, "node_modules", "tsx", "dist", "cli.mjs");
/** The CLI user the bench workspace grants the Refresh button's right (lib/demo/create-bench-workspace.ts). */
export const BENCH_REFRESHER_USER = "bench-refresher";

export interface PostgresLoadFigures extends LoadFigures {
  databaseUrl: string;
  refresherPeakBytes: number;
  /** The peaks of `slipway refresher`'s child processes alive at the end, by name: its git launcher. */
  refresherChildrenPeakBytes: Record<string, number>;
  /** The server's peak after ten 50 × 80 pages one at a time, before the viewers: the embedded figure's counterpart. */
  serverAfterPagesBytes: number;
}

/**
 * The load test as Slipway runs with several instances: PostgreSQL, the web server with its refresher off, and
 * `slipway refresher` in a process of its own. Once the refresher has read every environment, the index is touched
 * so the next refresh reads all of them again, a refresh is asked for (`slipway refresh`), and the viewers start:
 * the refresh's CPU and database work run beside the server, not on its event loop.
 * Skipped, with the reason, when PostgreSQL cannot be reached at `databaseUrl`.
 */
export async function measureLoadOnPostgres(options: {
  databaseUrl: string;
  serverEnv: NodeJS.ProcessEnv;
  indexFile: string;
  cacheDir: string;
  pagePath: string;
  load: { viewers: number; seconds: number };
}): Promise<PostgresLoadFigures | { skipped: string }> {
  const { databaseUrl } = options;
  try {
    await recreateDatabase(databaseUrl);
  } catch (error) {
    return { skipped: `no PostgreSQL at ${redact(databaseUrl)}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const env: NodeJS.ProcessEnv = {
    ...options.serverEnv,
    DATABASE_URL: databaseUrl,
    SLIPWAY_CACHE_DIR: options.cacheDir,
    SLIPWAY_REFRESH_ON_START: "0",
    SLIPWAY_USER: BENCH_REFRESHER_USER,
    // Instances on one database must share it (the embedded database keeps its own in the data folder).
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  };
  const migrated = spawnSync(process.execPath, [tsxCli, "scripts/migrate-database.ts"], { cwd: projectDir, env, encoding: "utf8" });
  if (migrated.status !== 0) throw new Error(`migrating ${redact(databaseUrl)} failed: ${migrated.stderr || migrated.stdout}`);

  const started = new Date();
  const refresher = spawnCli(["refresher"], env);
  let server: NextServer | undefined;
  try {
    server = await startNextServer(env);
    log(`load (PostgreSQL): server ${server.baseUrl} with its refresher off, slipway refresher in pid ${refresher.pid}; waiting for its first refresh…`);
    await waitForSnapshots(server, 300_000);
    for (let i = 0; i < 10; i++) await httpGet(`${server.baseUrl}${options.pagePath}`);
    const serverAfterPagesBytes = readPeakRss(server.pid) ?? 0;
    // Every environment read again: the refresh does all its work while the viewers are on the server.
    const now = new Date();
    utimesSync(options.indexFile, now, now);
    const asked = spawnCli(["refresh"], env);
    const load = await measureLoad(server, options.pagePath, options.load);
    await new Promise<void>((resolve) => (asked.exitCode !== null ? resolve() : asked.once("exit", () => resolve())));
    const figures: PostgresLoadFigures = {
      ...load,
      databaseUrl: redact(databaseUrl),
      serverPeakBytes: readPeakRss(server.pid) ?? load.serverPeakBytes,
      refresherPeakBytes: readPeakRss(refresher.pid!) ?? 0,
      refresherChildrenPeakBytes: childProcessPeaks(refresher.pid!),
      serverAfterPagesBytes,
      refreshes: await readRefreshes(databaseUrl, started),
    };
    log(
      `load (PostgreSQL): refreshes ${figures.refreshes.map((r) => `${r.trigger} ${r.durationMs === undefined ? "unfinished" : ms(r.durationMs)} (${r.environments} read, ${r.skipped} skipped)`).join("; ")}`,
    );
    return figures;
  } finally {
    await server?.stop();
    refresher.kill("SIGTERM");
    await new Promise<void>((resolve) => (refresher.exitCode !== null ? resolve() : refresher.once("exit", () => resolve())));
  }
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // node --import tsx, not the tsx CLI: that runs the command in a grandchild, whose memory the bench would not see.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "cli/slipway.ts", ...args], {
    cwd: projectDir,
    env: { ...env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  child.once("exit", () => process.removeListener("exit", kill));
  return child;
}

async function waitForSnapshots(server: NextServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answer = await httpGet(`${server.baseUrl}/api/health?require=snapshots`).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error("the refresher did not finish a first refresh in time");
}

async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[\w-]+$/.test(name)) throw new Error(`unexpected database name "${name}"`);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

async function readRefreshes(databaseUrl: string, since: Date): Promise<LoadFigures["refreshes"]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ trigger: string; startedAt: Date; finishedAt: Date | null; environments: number; skipped: number }>(
      `SELECT "trigger", "startedAt", "finishedAt", "environments", "skipped" FROM "RefreshRun" WHERE "startedAt" >= $1 ORDER BY "id"`,
      [since],
    );
    return rows.map((r) => ({
      trigger: r.trigger,
      ...(r.finishedAt ? { durationMs: r.finishedAt.getTime() - r.startedAt.getTime() } : {}),
      environments: r.environments,
      skipped: r.skipped,
    }));
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//…@");
}
