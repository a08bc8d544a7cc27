import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { devNull, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERRUPTED_RUN_ERROR, enqueueRefreshRequest } from "@/lib/snapshots/refresh-requests";
import { type TestHttpServer, startHttpServer } from "../support/start-http-server";
import { type TestDatabase, createPostgresDatabase } from "../support/test-database";

/**
 * Two Slipway refreshers (`slipway refresher`, real processes) on one PostgreSQL database: one leads and refreshes, the
 * leader is killed mid-refresh, the other takes over, closes the dead one's run and answers every request. The chart
 * registry is a local HTTP server that holds its answers while the test says so: that is "mid-refresh".
 */
const url = process.env.TEST_DATABASE_URL;
const projectDir = path.resolve(__dirname, "../..");
const ENVIRONMENTS = ["env-1", "env-2", "env-3", "env-4", "env-5", "env-6"];

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, {
    cwd,
    env: {
      ...(Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("GIT_"))) as NodeJS.ProcessEnv),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: devNull,
      GIT_AUTHOR_NAME: "Dana Delivery",
      GIT_AUTHOR_EMAIL: "dana@example.com",
      GIT_COMMITTER_NAME: "Dana Delivery",
      GIT_COMMITTER_EMAIL: "dana@example.com",
    },
  });
}

function helmIndex(): string {
  const lines = ["apiVersion: v1", "entries:"];
  for (const chart of ["orders", "payments"]) {
    lines.push(`  ${chart}:`);
    for (const [i, version] of ["1.2.0", "1.1.0", "1.0.0"].entries()) {
      lines.push(`  - name: ${chart}`, `    version: ${version}`, `    created: "2026-01-0${3 - i}T10:00:00Z"`, `    urls: [${chart}-${version}.tgz]`);
    }
  }
  return `${lines.join("\n")}\ngenerated: "2026-01-05T10:00:00Z"\n`;
}

/** One stack repository per environment, each pinning orders and payments from the registry. */
function writeWorkspace(root: string, registryUrl: string): string {
  for (const [i, name] of ENVIRONMENTS.entries()) {
    const dir = path.join(root, "stacks", name);
    mkdirSync(dir, { recursive: true });
    git(dir, "-c", "init.defaultBranch=main", "init", "-q");
    const deps = ["orders", "payments"].map((chart) => `  - name: ${chart}\n    version: "1.${i % 3}.0"\n    repository: ${registryUrl}`).join("\n");
    writeFileSync(path.join(dir, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\ndependencies:\n${deps}\n`);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", `Stack of ${name}`);
  }
  const environments = ENVIRONMENTS.map((name) => `  - name: ${name}\n    repo: ./stacks/${name}\n    branch: main`).join("\n");
  const configPath = path.join(root, "slipway.yaml");
  writeFileSync(
    configPath,
    `refreshIntervalSeconds: 300\nregistries:\n  - name: charts\n    url: ${registryUrl}\nenvironments:\n${environments}\n` +
      `access:\n  grants:\n    - role: viewer\n      members: { users: [operator] }\n`,
  );
  return configPath;
}

interface Instance {
  child: ChildProcess;
  output: string;
}

function startSlipway(database: TestDatabase, configPath: string, root: string, n: number, args = ["refresher"]): Instance {
  // `node --import tsx`, not the tsx CLI, so the SIGKILL reaches the process that holds the lock, not a parent of it.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(projectDir, "cli/slipway.ts"), ...args], {
    cwd: projectDir,
    env: {
      ...process.env,
      DATABASE_URL: database.connectionString,
      SLIPWAY_CONFIG: configPath,
      SLIPWAY_CACHE_DIR: path.join(root, `cache-${n}`),
      SLIPWAY_USER: "operator",
      NEXTAUTH_SECRET: "multi-instance test secret, long enough to count",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const instance: Instance = { child, output: "" };
  child.stdout!.on("data", (chunk: Buffer) => (instance.output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (instance.output += chunk.toString()));
  return instance;
}

/** Polls `probe` until it returns a value (not undefined); the test fails with `what` and the children's output if it never does. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, instances: Instance[]): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms\n${instances.map((x, i) => `--- instance ${i + 1} (pid ${x.child.pid}):\n${x.output.slice(-4000)}`).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!url)("several instances on one PostgreSQL database (skipped: set TEST_DATABASE_URL)", () => {
  let root: string;
  let registry: TestHttpServer;
  let database: TestDatabase;
  let admin: pg.Client;
  let holding = true;
  const held: (() => void)[] = [];
  const instances: Instance[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "slipway-instances-"));
    registry = await startHttpServer(async (request, response) => {
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      if (request.url?.split("?")[0] !== "/index.yaml") {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "Content-Type": "application/x-yaml" }).end(helmIndex());
    });
    database = await createPostgresDatabase(url!);
    admin = new pg.Client({ connectionString: database.connectionString });
    await admin.connect();
  });

  afterAll(async () => {
    holding = false;
    for (const release of held.splice(0)) release();
    for (const { child } of instances) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await admin?.end();
    await registry?.close();
    await database?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The process ids of the sessions that hold the refresh lead, from PostgreSQL's own lock table. */
  async function leaders(): Promise<number[]> {
    const { rows } = await admin.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows.map((row) => Number(/pid (\d+)/.exec(row.name)?.[1]));
  }

  it("one leader refreshes; killed mid-refresh, the other takes over and nothing is lost", { timeout: 120_000 }, async () => {
    const { db } = database;
    const configPath = writeWorkspace(root, registry.url);
    instances.push(startSlipway(database, configPath, root, 1), startSlipway(database, configPath, root, 2));

    // Mid-refresh: the leader's run is stored and its registry read is being held.
    const firstRun = await eventually(
      "a refresh under way",
      async () => (held.length > 0 ? ((await db.refreshRun.findFirst({ where: { finishedAt: null } })) ?? undefined) : undefined),
      60_000,
      instances,
    );
    const [leaderPid, ...others] = await leaders();
    expect(others).toEqual([]);
    const leader = instances.find((x) => x.child.pid === leaderPid)!;
    const follower = instances.find((x) => x !== leader)!;
    expect(leader, `the lock's holder is one of the two (pid ${leaderPid})`).toBeDefined();
    // The other asks every few seconds and is refused: one refresh, one registry read, in all.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await leaders()).toEqual([leaderPid]);
    expect(await db.refreshRun.count()).toBe(1);
    expect(registry.requests).toHaveLength(1);

    // Meanwhile a web server asks for a refresh (the Refresh button) and a webhook for one environment.
    const click = await enqueueRefreshRequest(db, { trigger: "manual:dana" });
    const push = await enqueueRefreshRequest(db, { trigger: "webhook", environments: ["env-2"] });

    leader.child.kill("SIGKILL");
    await new Promise((resolve) => leader.child.once("exit", resolve));
    holding = false;
    for (const release of held.splice(0)) release();

    const answered = await eventually(
      "both requests answered by the new leader",
      async () => {
        const rows = await db.refreshRequest.findMany({ where: { id: { in: [click, push] }, finishedAt: { not: null } } });
        return rows.length === 2 ? rows : undefined;
      },
      60_000,
      instances,
    );
    expect(await leaders()).toEqual([follower.child.pid]);
    for (const request of answered) expect(request).toMatchObject({ error: null, runId: expect.any(Number) });

    const runs = await db.refreshRun.findMany({ orderBy: { startedAt: "asc" } });
    const interrupted = runs.find((run) => run.id === firstRun.id)!;
    expect(interrupted).toMatchObject({ error: INTERRUPTED_RUN_ERROR, finishedAt: expect.any(Date) });
    const completed = runs.find((run) => run.id === answered[0]!.runId)!;
    expect(completed).toMatchObject({ error: null, environments: ENVIRONMENTS.length, failed: 0 });
    // Never two refreshes at once: each run ends before the next starts.
    for (const run of runs) expect(run.finishedAt, `run ${run.id} finished`).not.toBeNull();
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
    const snapshots = await db.environmentSnapshot.findMany({ select: { environment: true, error: true } });
    expect(snapshots.map((s) => s.environment).sort()).toEqual(ENVIRONMENTS);
    expect(snapshots.every((s) => s.error === null)).toBe(true);

    // `slipway refresh` elsewhere: the leader does it, and the command reports the leader's run.
    const asked = await exitOf(startSlipway(database, configPath, root, 3, ["refresh", "--env", "env-3"]));
    expect(asked).toMatchObject({ code: 0, output: expect.stringMatching(/Refreshed 1 environment\(s\) in [\d.]+ s \(run #\d+\)\./) });

    // A graceful stop lets the lead go at once.
    expect(await exitOf(follower, "SIGTERM")).toMatchObject({ code: 0 });
    expect(await leaders()).toEqual([]);

    // With nobody leading, `slipway refresh` leads for its own request, and lets the lead go when it exits.
    const alone = await exitOf(startSlipway(database, configPath, root, 4, ["refresh"]));
    expect(alone).toMatchObject({ code: 0, output: expect.stringMatching(/Refreshed 6 environment\(s\)/) });
    expect(await leaders()).toEqual([]);
    expect(await db.refreshRequest.count({ where: { finishedAt: null } })).toBe(0);
  });

  async function exitOf(instance: Instance, signal?: NodeJS.Signals): Promise<{ code: number | null; output: string }> {
    instances.push(instance);
    if (signal) instance.child.kill(signal);
    const code = instance.child.exitCode ?? (await new Promise<number | null>((resolve) => instance.child.once("exit", (c) => resolve(c))));
    return { code, output: instance.output };
  }
});
