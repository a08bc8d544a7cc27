import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { buildIsStale as isStale } from "../build-freshness";
import { httpGet } from "./http-get";

const projectDir = path.resolve(__dirname, "..", "..");
const nextBin = path.join(projectDir, "node_modules", "next", "dist", "bin", "next");

export function buildIsStale(distDir: string): boolean {
  return isStale(projectDir, distDir);
}

/**
 * `next build` into `distDir`. Next rewrites tsconfig.json (adding `<distDir>/types/**` to include) and
 * next-env.d.ts (pointing at `<distDir>/types`) for whichever distDir it builds; both belong to the main build,
 * so they are put back byte for byte, with their old mtimes, however the build ends.
 */
export function buildApp(distDir: string, env: NodeJS.ProcessEnv): { ms: number; restored: string[] } {
  const guarded = ["tsconfig.json", "next-env.d.ts"].map((file) => {
    const full = path.join(projectDir, file);
    return existsSync(full) ? { file, full, text: readFileSync(full), stat: statSync(full) } : { file, full };
  });
  const started = performance.now();
  const restored: string[] = [];
  try {
    const result = spawnSync(process.execPath, [nextBin, "build"], {
      cwd: projectDir,
      env: { ...env, NODE_ENV: "production", SLIPWAY_DIST_DIR: distDir },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
      throw new Error(`next build failed (exit ${result.status ?? result.signal}):\n${output}`);
    }
  } finally {
    for (const g of guarded) {
      if (!("text" in g) || !g.text || !g.stat) continue;
      const now = existsSync(g.full) ? readFileSync(g.full) : undefined;
      if (now && now.equals(g.text)) continue;
      writeFileSync(g.full, g.text);
      utimesSync(g.full, g.stat.atime, g.stat.mtime);
      restored.push(g.file);
    }
  }
  return { ms: performance.now() - started, restored };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NextServer {
  /** The node process that serves (spawned directly, not through npx, so its memory is the server's). */
  pid: number;
  baseUrl: string;
  /** The last lines the server printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `next start` on a free port in its own process group, so stop() can end it and anything it forked. An exit
 * hook kills the group too, should the benchmark die before it calls stop().
 */
export async function startNextServer(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<NextServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: projectDir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 60));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);

  const server: NextServer = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => lines.join("\n"),
    async stop() {
      process.removeListener("exit", killOnExit);
      if (!running) return;
      killGroup(child, "SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
      ]);
      clearTimeout(timer);
      if (!gone) {
        killGroup(child, "SIGKILL");
        await exited;
      }
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running) throw new Error(`next start exited before it was ready:\n${server.output()}`);
    const health = await httpGet(`${server.baseUrl}/api/health`).catch(() => undefined);
    if (health?.status === 200) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`next start not healthy after ${timeoutMs / 1000} s (last status ${health?.status ?? "none"}):\n${server.output()}`);
    }
    await sleep(250);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
