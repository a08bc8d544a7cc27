import type { ChildProcess } from "node:child_process";
import { ChildRequests, spawnNodeHelper } from "@/lib/child-requests";

/**
 * Starts git from a small Node process of its own instead of from the calling process.
 *
 * Starting a process is not free for the one that starts it: fork copies its page tables, on its event loop, and
 * the web server is a large process (with the embedded database open, 16-23 ms a process on the bench machine
 * against 3-5 ms from a small one). A cold refresh of 50 stacks starts some 200 git processes: 35% of the refresh's
 * time on the event loop the pages share was spent in spawn. From here it is one message each way.
 *
 * The launcher is started on first use, with the caller's environment minus NODE_OPTIONS (it loads nothing), and
 * ends with its parent: when the IPC channel closes (a kill -9 of the server included) it exits. It does not keep the
 * parent alive: its channel is referenced only while a command is in flight. If it dies, the commands in flight fail
 * and the next one starts a new launcher.
 */
export interface LaunchRequest {
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Written to standard input, which is then closed (also when there is nothing to write). */
  input?: string;
  /** Past this much standard output the process is killed and the result says `overflow`. */
  maxOutputBytes: number;
  timeoutMs: number;
}

export interface LaunchResult {
  /** Exit code; null when killed (overflow, timeout) or never started. */
  code: number | null;
  stdout: Buffer;
  /** At most the first 64 KB. */
  stderr: string;
  overflow: boolean;
  timedOut: boolean;
  /** Why git could not be started (not found, cwd missing). */
  startError?: string;
}

/**
 * The launcher's program, run with `node -e`: a string, not a function of this module, so that no bundler or
 * transpiler rewrites it (Next's server bundle, tsx). It runs one git per message and answers with its outcome.
 */
const LAUNCHER_SOURCE = String.raw`
"use strict";
process.title = "slipway-git-launcher";
const { spawn } = require("node:child_process");
process.on("disconnect", () => process.exit(0));
process.on("message", (request) => {
  let answered = false;
  const answer = (result) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    // The parent may have gone meanwhile (the launcher exits on disconnect): drop the answer rather than throw EPIPE.
    if (process.connected) process.send({ id: request.id, ...result }, () => {});
  };
  const chunks = [];
  let length = 0, overflow = false, timedOut = false, stderr = "";
  const child = spawn("git", request.args, { cwd: request.cwd, env: request.env });
  const timer = setTimeout(() => { timedOut = true; child.kill(); }, request.timeoutMs);
  child.on("error", (error) => answer({ code: null, stdout: Buffer.alloc(0), stderr, overflow, timedOut, startError: error.message }));
  child.stdout.on("data", (chunk) => {
    if (overflow) return;
    length += chunk.length;
    if (length > request.maxOutputBytes) { overflow = true; chunks.length = 0; child.kill(); return; }
    chunks.push(chunk);
  });
  child.stderr.on("data", (chunk) => { if (stderr.length < 65536) stderr += chunk.toString(); });
  child.stdin.on("error", () => {});
  child.on("close", (code) => answer({ code, stdout: overflow ? Buffer.alloc(0) : Buffer.concat(chunks, length), stderr, overflow, timedOut }));
  child.stdin.end(request.input ?? "");
});
`;

interface Launcher {
  child: ChildProcess;
  requests: ChildRequests;
}

/**
 * One launcher per process, on globalThis: Next bundles the instrumentation hook (the refresher) and the routes and
 * actions (upgrades on plain git) each with their own copy of this module, and each would start a launcher of its own.
 */
const holder = globalThis as typeof globalThis & { slipwayGitLauncher?: { current?: Launcher } };
const shared = (holder.slipwayGitLauncher ??= {});

export function launchGit(request: LaunchRequest): Promise<LaunchResult> {
  return launcherProcess().requests.send(request, (error) => error) as Promise<LaunchResult>;
}

function launcherProcess(): Launcher {
  if (shared.current?.child.connected) return shared.current;
  const child = spawnNodeHelper(LAUNCHER_SOURCE, "ignore");
  const started: Launcher = { child, requests: new ChildRequests(child) };
  child.on("message", (message: LaunchResult & { id: number }) => {
    const { id, ...result } = message;
    // Structured clone sends a Buffer as a Uint8Array: the same bytes, viewed as a Buffer again without copying.
    const stdout = Buffer.from(result.stdout.buffer, result.stdout.byteOffset, result.stdout.byteLength);
    started.requests.resolve(id, { ...result, stdout });
  });
  const fail = (error: Error) => {
    if (shared.current === started) shared.current = undefined;
    started.requests.rejectAll(error);
  };
  child.on("error", (error) => fail(new Error(`git's launcher process failed: ${error.message}`, { cause: error })));
  child.on("exit", (code, signal) => fail(new Error(`git's launcher process ended (${signal ?? `exit ${code}`}) with git commands in flight`)));
  shared.current = started;
  return started;
}
