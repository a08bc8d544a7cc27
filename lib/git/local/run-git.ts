import { execFile, spawn } from "node:child_process";
import { GitError } from "@/lib/errors";

/**
 * Runs the machine's git with a clean, predictable environment: no prompts (a missing credential fails instead of
 * hanging a refresh), no pager, no user config surprises in output formats.
 */
const gitEnv = {
  ...process.env,
  GIT_TERMINAL_PROMPT: "0",
  GIT_PAGER: "cat",
  GIT_CONFIG_NOSYSTEM: "1",
  LC_ALL: "C",
};

export interface RunGitOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Extra environment (author identity, a temporary index file). */
  env?: Record<string, string>;
  /** Written to git's standard input. */
  input?: string;
}

export function runGit(args: string[], options: RunGitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env: options.env ? { ...gitEnv, ...options.env } : gitEnv,
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim().split("\n").pop() || error.message;
          reject(new GitError(`git ${args[0]} failed: ${detail}`, { cause: error }));
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * `git cat-file --batch`: many objects in one process. Output per object is
 * "<oid> <type> <size>\n<content>\n", or "<name> missing\n".
 */
export function catFileBatch(gitDir: string, names: string[]): Promise<Map<string, Buffer | undefined>> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: gitDir, env: gitEnv });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => reject(new GitError(`git cat-file failed: ${error.message}`, { cause: error })));
    child.on("close", (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file failed: ${stderr.trim() || `exit ${code}`}`));
      const out = Buffer.concat(chunks);
      const result = new Map<string, Buffer | undefined>();
      let offset = 0;
      for (const name of names) {
        const newline = out.indexOf(0x0a, offset);
        if (newline < 0) break;
        const header = out.subarray(offset, newline).toString();
        offset = newline + 1;
        if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
          result.set(name, undefined);
          continue;
        }
        const size = Number(header.split(" ")[2]);
        const type = header.split(" ")[1];
        result.set(name, type === "blob" ? out.subarray(offset, offset + size) : undefined);
        offset += size + 1;
      }
      resolve(result);
    });
    // Names never contain newlines (paths come from slipway.yaml, validated), so one per line is safe.
    child.stdin.end(names.map((n) => `${n}\n`).join(""));
  });
}
