import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GitError } from "@/lib/errors";
import { runGit } from "@/lib/git/local/run-git";
import { GIT_PARENT_ALIAS, parentPidOf } from "./git-parent";

const projectDir = path.join(__dirname, "..", "..");
const probe = path.join(__dirname, "git-launcher-probe.ts");
const probeArgs = ["--conditions=react-server", "--import", "tsx", probe];
const probeEnv = { ...process.env, NODE_OPTIONS: "" };

/** Whether `pid` still runs: gone, or a zombie nobody reaped (PID 1 in a container may not), counts as ended. */
function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return readFileSync(stat, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

describe("git's launcher process", () => {
  it("starts git from a small process of its own, many commands at once", async () => {
    const parents = await Promise.all(
      Array.from({ length: 12 }, () => runGit(["-c", GIT_PARENT_ALIAS, "parent"], { cwd: projectDir }).then(parentPidOf)),
    );
    const launcher = parents[0]!;
    expect(new Set(parents)).toEqual(new Set([launcher]));
    expect(launcher).not.toBe(process.pid);
    // It names itself, for ps and the benchmark's memory figures.
    expect(readFileSync(`/proc/${launcher}/cmdline`, "utf8").split("\0")[0]).toBe("slipway-git-launcher");
    await expect(runGit(["rev-parse", "--is-inside-work-tree"], { cwd: projectDir })).resolves.toBe("true\n");
  });

  it("says a git that took too long was stopped, as a GitError", async () => {
    const slow = runGit(["-c", "alias.slow=!sleep 2", "slow"], { cwd: projectDir, timeoutMs: 200 });
    await expect(slow).rejects.toBeInstanceOf(GitError);
    await expect(slow).rejects.toThrow("git -c failed: no answer within 200 ms");
  });

  it("fails the commands in flight with a GitError when the launcher dies, and starts a new one for the next", async () => {
    const launcher = parentPidOf(await runGit(["-c", GIT_PARENT_ALIAS, "parent"], { cwd: projectDir }));
    const inFlight = runGit(["-c", "alias.slow=!sleep 5", "slow"], { cwd: projectDir });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(launcher, "SIGKILL");
    await expect(inFlight).rejects.toBeInstanceOf(GitError);
    const next = parentPidOf(await runGit(["-c", GIT_PARENT_ALIAS, "parent"], { cwd: projectDir }));
    expect(next).not.toBe(launcher);
  });

  it("does not keep a process that is done from exiting", () => {
    const run = spawnSync(process.execPath, probeArgs, { cwd: projectDir, env: probeEnv, encoding: "utf8", timeout: 60_000 });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    const launcher = parentPidOf(run.stdout);
    expect(launcher).not.toBe(run.pid);
  });

  it("ends when the process that started it is killed with SIGKILL", async () => {
    const parent = spawn(process.execPath, [...probeArgs, "stay"], { cwd: projectDir, env: probeEnv, stdio: ["ignore", "pipe", "inherit"] });
    const launcher = await new Promise<number>((resolve, reject) => {
      parent.stdout.once("data", (chunk: Buffer) => resolve(parentPidOf(chunk.toString())));
      parent.once("exit", (code) => reject(new Error(`the probe exited (${code}) before printing`)));
    });
    expect(isRunning(launcher)).toBe(true);
    parent.kill("SIGKILL");
    const deadline = Date.now() + 20_000;
    while (isRunning(launcher) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isRunning(launcher)).toBe(false);
  });
});
