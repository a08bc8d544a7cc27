import { GitError } from "@/lib/errors";
import { gitProcessesCounter } from "@/lib/metrics/git-process-metrics";
import { type LaunchRequest, type LaunchResult, launchGit } from "./git-launcher";

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

/**
 * Output git may print for one command unless the caller says otherwise: far above a history page or a tag list,
 * low enough that a hostile repository (a commit message of hundreds of megabytes compresses to almost nothing)
 * cannot make Slipway hold it in memory.
 */
export const DEFAULT_MAX_GIT_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface RunGitOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Extra environment (author identity, a temporary index file). */
  env?: Record<string, string>;
  /** Written to git's standard input. */
  input?: string;
  /** Past this much output (stdout or stderr) git is stopped and the command fails. */
  maxOutputBytes?: number;
}

export async function runGit(args: string[], options: RunGitOptions = {}): Promise<string> {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_GIT_OUTPUT_BYTES;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const result = await launch(args, { cwd: options.cwd, env: options.env, input: options.input, maxOutputBytes, timeoutMs });
  if (result.overflow) {
    throw new GitError(`git ${args[0]} printed more than ${formatMegabytes(maxOutputBytes)}, the most Slipway reads from one git command`);
  }
  const stdout = result.stdout.toString("utf8");
  if (result.code !== 0) {
    // The exit code and output stay on the cause: some commands answer through them (merge-tree's conflicts).
    throw new GitError(`git ${args[0]} failed: ${whyFailed(result, timeoutMs)}`, { cause: { code: result.code ?? undefined, stdout } });
  }
  return stdout;
}

/** The exit code and standard output of the git command behind a GitError from runGit, when it ran and failed. */
export function gitFailure(error: unknown): { exitCode?: number; stdout: string } {
  const cause = (error as { cause?: { code?: unknown; stdout?: unknown } } | undefined)?.cause;
  return { exitCode: typeof cause?.code === "number" ? cause.code : undefined, stdout: typeof cause?.stdout === "string" ? cause.stdout : "" };
}

/** What `git cat-file` found for one name. */
export type CatFileResult =
  | { kind: "blob"; content: Buffer }
  /** Missing, ambiguous, or not a blob (a folder). */
  | { kind: "missing" }
  /** A blob over the caller's limit: its size, from `--batch-check`; the content was never read. */
  | { kind: "too-large"; size: number };

/**
 * Reads blobs through `git cat-file`, many objects per process. Sizes come first (`--batch-check`), so a blob over
 * `maxBlobBytes` is reported without git ever printing it: a 500 MB blob compresses to half a megabyte in a repository,
 * and reading it whole would cost the server its memory.
 */
export async function catFileBatch(gitDir: string, names: string[], maxBlobBytes: number): Promise<Map<string, CatFileResult>> {
  const result = new Map<string, CatFileResult>();
  const wanted: { name: string; oid: string; size: number }[] = [];
  // Names never contain newlines (paths come from slipway.yaml, validated), so one per line is safe.
  const checks = await runCatFile(gitDir, "--batch-check", names, names.length * 256);
  const lines = checks.toString("utf8").split("\n");
  names.forEach((name, i) => {
    // "<oid> <type> <size>", or "<name> missing" / "<name> ambiguous".
    const line = lines[i] ?? "";
    const [oid = "", type, sizeText] = line.split(" ");
    const size = Number(sizeText);
    if (line.endsWith(" missing") || line.endsWith(" ambiguous") || type !== "blob" || !Number.isSafeInteger(size)) {
      result.set(name, { kind: "missing" });
    } else if (size > maxBlobBytes) {
      result.set(name, { kind: "too-large", size });
    } else {
      wanted.push({ name, oid, size });
    }
  });
  if (wanted.length === 0) return result;

  // By object id: the very objects just measured, whatever a ref does meanwhile. Output per object is
  // "<oid> <type> <size>\n<content>\n"; its total is known, so git is stopped if it ever prints more.
  const expected = wanted.reduce((sum, blob) => sum + blob.size + 128, 0);
  const out = await runCatFile(gitDir, "--batch", wanted.map((blob) => blob.oid), expected);
  let offset = 0;
  for (const blob of wanted) {
    const newline = out.indexOf(0x0a, offset);
    if (newline < 0) break;
    const [, type, sizeText] = out.subarray(offset, newline).toString().split(" ");
    offset = newline + 1;
    const size = Number(sizeText);
    if (type !== "blob" || size !== blob.size) throw new GitError(`git cat-file printed an unexpected object for ${blob.name}`);
    result.set(blob.name, { kind: "blob", content: out.subarray(offset, offset + size) });
    offset += size + 1;
  }
  return result;
}

/** One `git cat-file` run fed `lines`; its output, refused (and git stopped) past `maxBytes`. */
async function runCatFile(gitDir: string, mode: "--batch" | "--batch-check", lines: string[], maxBytes: number): Promise<Buffer> {
  const timeoutMs = 120_000;
  const result = await launch(["cat-file", mode], { cwd: gitDir, input: lines.map((line) => `${line}\n`).join(""), maxOutputBytes: maxBytes, timeoutMs });
  if (result.overflow) throw new GitError(`git cat-file printed more than the ${formatMegabytes(maxBytes)} expected`);
  if (result.code !== 0) throw new GitError(`git cat-file failed: ${whyFailed(result, timeoutMs)}`);
  return result.stdout;
}

/** One git process, started by the launcher (git-launcher.ts) with the clean environment; counted for /metrics. */
async function launch(
  args: string[],
  options: Omit<LaunchRequest, "args" | "env"> & { env?: Record<string, string> },
): Promise<LaunchResult> {
  gitProcessesCounter().inc({ command: args[0] ?? "" });
  const result = await launchGit({ ...options, args, env: options.env ? { ...gitEnv, ...options.env } : gitEnv }).catch((error: unknown) => {
    // The launcher itself failed (it died, or could not be started): a git failure to every caller, as spawn's was.
    throw new GitError(`git ${args[0]} could not be run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  if (result.startError) throw new GitError(`git ${args[0]} could not be started: ${result.startError}`);
  return result;
}

/** What a failed git said last, or that it was stopped for taking too long, or its exit code. */
function whyFailed(result: LaunchResult, timeoutMs: number): string {
  if (result.timedOut) return `no answer within ${timeoutMs} ms`;
  return result.stderr.trim().split("\n").pop() || `exit ${result.code}`;
}

function formatMegabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
