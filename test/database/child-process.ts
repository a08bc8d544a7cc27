import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const projectDir = path.resolve(__dirname, "../..");

/** Runs a TypeScript file of this project in a child process (tsx), environment added to this one's. */
export function spawnScript(file: string, args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  // `node --import tsx`, not the tsx CLI: that runs the script in a grandchild, which a SIGKILL of the child misses.
  return spawn(process.execPath, ["--import", "tsx", path.join(projectDir, file), ...args], {
    cwd: projectDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves once the child prints `line`; rejects if it exits first or `timeoutMs` passes. */
export function waitForLine(child: ChildProcess, line: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no "${line}" within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split("\n").includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before "${line}"; output:\n${output}`));
    });
  });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Waits for the child to exit; kills it and rejects after `timeoutMs` (a hang is a failure, not a stuck test). */
export function waitForExit(child: ChildProcess, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, output });
      return;
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`did not exit within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}
