/**
 * `npm run test:restart` (CI, after `npm test`): the README's main command must serve again after every way it can
 * stop. Starts `scripts/demo.ts` on a workspace of its own, gets /sign-in, stops it with SIGINT (Ctrl-C) and starts it
 * again, SIGKILLs the whole process tree (server included) and starts it again, SIGKILLs the Next server alone (its
 * database process must close the database and free the folder by itself) and starts it again, then stops it cleanly. Exits non-zero
 * with the step that failed. Needs a built app (demo.ts builds when the sources changed since the last build).
 * Flags: --root DIR (default .slipway/restart-check), --port N (default 3200), --timeout SECONDS (default 900).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    root: { type: "string", default: ".slipway/restart-check" },
    port: { type: "string", default: "3200" },
    timeout: { type: "string", default: "900" },
  },
});

const projectDir = path.resolve(__dirname, "..");
const root = path.resolve(values.root!);
const base = `http://127.0.0.1:${values.port}`;
const tsxCli = path.join(projectDir, "node_modules", "tsx", "dist", "cli.mjs");
let current: ChildProcess | undefined;
let output = "";

function log(message: string): void {
  console.log(`restart-check: ${message}`);
}

class CheckFailed extends Error {}

/** demo.ts in a process group of its own, so one kill reaches tsx, demo.ts and the Next server. */
function startDemo(fresh: boolean): ChildProcess {
  const args = [tsxCli, "--conditions=react-server", "scripts/demo.ts", "--root", root, "--port", values.port!, ...(fresh ? ["--fresh"] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, args, { cwd: projectDir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  current = child;
  return child;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForPage(child: ChildProcess, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) throw new CheckFailed(`${what}: the demo exited (${child.exitCode ?? child.signalCode}) before serving`);
    try {
      const health = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (health.ok) {
        const page = await fetch(`${base}/sign-in`, { signal: AbortSignal.timeout(30_000) });
        if (page.status !== 200) throw new CheckFailed(`${what}: GET /sign-in answered ${page.status}`);
        log(`${what}: serving (/api/health ok, /sign-in 200)`);
        return;
      }
    } catch (error) {
      if (error instanceof CheckFailed) throw error;
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new CheckFailed(`${what}: no page within ${timeoutMs / 1000} s`);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CheckFailed(`the demo did not exit within ${timeoutMs / 1000} s of being stopped`)), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Every process of the demo's group (demo.ts, the Next server and its workers) is gone. */
async function waitForGroupGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new CheckFailed(`processes of the demo's group ${pid} still running ${timeoutMs / 1000} s after the stop`);
}

async function stopWith(child: ChildProcess, signal: "SIGINT" | "SIGTERM", what: string): Promise<void> {
  // Ctrl-C in a terminal reaches the whole foreground group; SIGTERM from a supervisor reaches demo.ts only.
  if (signal === "SIGINT") process.kill(-child.pid!, signal);
  else child.kill(signal);
  await waitForExit(child, 30_000);
  await waitForGroupGone(child.pid!, 30_000);
  const lock = path.join(root, "data", "slipway.lock");
  if (existsSync(lock)) throw new CheckFailed(`${what}: the database lock is still there after a clean stop:\n${readFileSync(lock, "utf8")}`);
  log(`${what}: stopped (exit ${child.exitCode ?? child.signalCode}), database lock released`);
}

async function main(): Promise<void> {
  const first = startDemo(true);
  await waitForPage(first, "first start", 600_000); // may build the app
  await stopWith(first, "SIGINT", "Ctrl-C");

  const second = startDemo(false);
  await waitForPage(second, "start after Ctrl-C", 300_000);
  process.kill(-second.pid!, "SIGKILL");
  await waitForExit(second, 30_000);
  await waitForGroupGone(second.pid!, 30_000);
  log("SIGKILL of the whole process tree: done");

  const third = startDemo(false);
  await waitForPage(third, "start after SIGKILL", 300_000);
  await stopWith(third, "SIGTERM", "SIGTERM");

  const fourth = startDemo(false);
  await waitForPage(fourth, "start after SIGTERM", 300_000);
  process.kill(serverPid(fourth.pid!), "SIGKILL");
  await waitForExit(fourth, 30_000);
  // demo.ts exits with its server; the embedded database's process closes the database, frees the folder and ends.
  await waitForGroupGone(fourth.pid!, 30_000);
  log("SIGKILL of the Next server alone: done");

  const fifth = startDemo(false);
  await waitForPage(fifth, "start after the server's SIGKILL", 300_000);
  await stopWith(fifth, "SIGINT", "final Ctrl-C");
}

/** The Next server in the demo's process group: the process whose title starts with next-server. */
function serverPid(group: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name: state, ppid, pgrp.
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp === group && readFileSync(`/proc/${entry}/cmdline`, "utf8").startsWith("next-server")) return Number(entry);
    } catch {
      // Gone while we looked.
    }
  }
  throw new CheckFailed(`no next-server process in the demo's group ${group}`);
}

const overall = setTimeout(() => {
  console.error(`restart-check: FAILED: did not finish within ${values.timeout} s`);
  cleanUp();
  process.exit(1);
}, Number(values.timeout) * 1000);

function cleanUp(): void {
  if (current?.pid && !exited(current)) {
    try {
      process.kill(-current.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

main().then(
  () => {
    clearTimeout(overall);
    log("OK: the demo serves after Ctrl-C, SIGKILL, SIGTERM and a SIGKILL of its server alone");
  },
  (error: unknown) => {
    clearTimeout(overall);
    console.error(`restart-check: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`restart-check: the demo's last output:\n${output}`);
    cleanUp();
    process.exit(1);
  },
);
