import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { SlipwayError } from "../errors";

/**
 * One process per embedded database folder. PGlite does not lock its data folder, and two processes writing the same
 * cluster corrupt it, so every open takes `slipway.lock` inside the folder first.
 *
 * Staleness is decided by the holder's pid (and, on Linux, its start time), not by the file's age the way
 * proper-lockfile does: a server may hold the folder for weeks without touching the file, and a crashed one must be
 * replaced at once, not after a timeout. A holder on another host cannot be checked; the error says so.
 */
export const LOCK_FILE_NAME = "slipway.lock";

export interface DataDirLockHolder {
  pid: number;
  hostname: string;
  /** ISO time the holding process started (not when it took the lock). */
  processStartedAt: string;
  lockedAt: string;
  command: string;
  /**
   * Processes the holder started to work on the folder for it (the embedded database's own process,
   * lib/database/database-process.ts). The folder stays taken while one of them lives, even after the holder died:
   * a database process closing PGlite after its parent was killed must not meet a new one opening it.
   */
  helpers?: ProcessIdentity[];
}

/** A process on this host, told apart from a later one with the same pid by its start time. */
export interface ProcessIdentity {
  pid: number;
  /** ISO time the process started. */
  processStartedAt: string;
}

export interface DataDirLock {
  readonly file: string;
  readonly holder: DataDirLockHolder;
  /** What makes the file this lock's and no other's: a helper left to release it compares it (database-process.ts). */
  readonly token: string;
  /**
   * Records a process working on the folder for this one (see DataDirLockHolder.helpers). While one lives, this
   * process's exit leaves the lock in place for the helper, and another opener waits for the helper to end.
   */
  addHelper(pid: number): void;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** How long an opener waits for a dead holder's helper to finish closing the folder before giving up. */
const HELPER_EXIT_WAIT_MS = 15_000;
const MAX_HELPERS = 8;

const DEFAULT_ADVICE =
  "Stop that process first (Ctrl-C in its terminal, or `kill PID`), or do this through the running app. To share one " +
  "database between the app and other commands, set DATABASE_URL to a PostgreSQL database.";

/** The folder is open in another live process; the message names it and what to do. */
export class DataDirLockedError extends SlipwayError {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLockHolder | undefined,
    advice: string = DEFAULT_ADVICE,
  ) {
    super(`${describeHolder(dataDir, holder)} ${advice.replaceAll("PID", holder ? String(holder.pid) : "PID")}`, 409);
    this.name = "DataDirLockedError";
  }
}

/** Whether `error` is a DataDirLockedError from any bundle chunk (see lib/errors.ts on `instanceof`). */
export function isDataDirLockedError(error: unknown): error is DataDirLockedError {
  return error instanceof Error && error.name === "DataDirLockedError";
}

function describeHolder(dataDir: string, holder: DataDirLockHolder | undefined): string {
  if (!holder) return `The embedded database ${dataDir} is being opened by another process right now.`;
  const where = holder.hostname === hostname() ? "" : ` on host ${holder.hostname}`;
  const elsewhere =
    holder.hostname === hostname()
      ? ""
      : ` If that host is gone, delete ${path.join(dataDir, LOCK_FILE_NAME)} by hand.`;
  return (
    `The embedded database ${dataDir} is in use by process ${holder.pid}${where} (${holder.command}), open since ` +
    `${holder.lockedAt}; PGlite allows one process per data folder.${elsewhere}`
  );
}

/** Locks this process holds, so a second open in the same process is refused too and exit releases them all. */
const held = new Map<string, { token: string; release: () => void; helpersAlive: () => boolean }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous on purpose: 'exit' runs no async work. A SIGKILL skips this; the next open then finds a dead pid.
  process.on("exit", () => {
    // A helper still running (a database process closing PGlite) keeps the folder: the lock stays for it.
    for (const lock of [...held.values()]) if (!lock.helpersAlive()) lock.release();
  });
}

function processStartedAt(): string {
  return new Date(Date.now() - process.uptime() * 1000).toISOString();
}

/** The start time of another process on this host, as an ISO time ("" where /proc cannot tell). */
function otherProcessStartedAt(pid: number): string {
  const started = linuxProcessStartTime(pid);
  return started === undefined ? "" : new Date(started).toISOString();
}

function currentCommand(): string {
  return process.argv
    .slice(1)
    .map((arg) => path.basename(arg) === arg || !path.isAbsolute(arg) ? arg : path.relative(process.cwd(), arg) || arg)
    .join(" ")
    .slice(0, 200);
}

/**
 * Takes the folder's lock or throws DataDirLockedError. A lock left by a dead process on this host is taken over;
 * the takeover itself is serialised by a second lock file so two processes recovering at once cannot both win.
 */
export function acquireDataDirLock(dataDir: string, options: { command?: string; advice?: string } = {}): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  if (held.has(file)) {
    throw new DataDirLockedError(dataDir, readHolder(file), "It is already open in this process: close it before opening it again.");
  }
  const holder: DataDirLockHolder = {
    pid: process.pid,
    hostname: hostname(),
    processStartedAt: processStartedAt(),
    lockedAt: new Date().toISOString(),
    command: options.command ?? currentCommand(),
  };
  const token = randomBytes(8).toString("hex");

  const helpers: ProcessIdentity[] = [];
  const lockContent = () => `${JSON.stringify({ ...holder, ...(helpers.length > 0 && { helpers }), token }, null, 2)}\n`;
  const helpersAlive = () => helpers.some((helper) => isProcessAlive(helper));
  let waitedForHelpersMs = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, lockContent())) {
      const release = () => {
        if (held.get(file)?.token !== token) return;
        held.delete(file);
        try {
          if (readToken(file) === token) unlinkSync(file);
        } catch {
          // Already gone (the folder was deleted): nothing to release.
        }
      };
      const addHelper = (pid: number) => {
        if (held.get(file)?.token !== token) return;
        // One database process at a time in practice; a replaced one that has ended need not be listed.
        const living = helpers.filter((helper) => isProcessAlive(helper)).slice(-(MAX_HELPERS - 1));
        helpers.splice(0, helpers.length, ...living, { pid, processStartedAt: otherProcessStartedAt(pid) });
        replaceFile(file, lockContent());
      };
      held.set(file, { token, release, helpersAlive });
      installExitHook();
      return { file, holder, token, addHelper, release };
    }
    const existing = readHolder(file);
    if (existing === undefined) {
      // Created but not yet readable cannot happen (we link a complete file); unreadable means removed meanwhile.
      continue;
    }
    if (isHolderAlive(existing)) {
      // A dead holder's helper is finishing its work on the folder (seconds at most): wait for it, then take over.
      const closing = isProcessAlive(existing) ? undefined : existing.helpers?.find((helper) => isProcessAlive(helper));
      if (closing && waitedForHelpersMs < HELPER_EXIT_WAIT_MS) {
        sleepSync(100);
        waitedForHelpersMs += 100;
        attempt--; // waiting is not a failed attempt
        continue;
      }
      throw new DataDirLockedError(dataDir, { ...existing, ...closing }, options.advice);
    }
    removeStaleLock(file, existing);
    // Another process may be mid-takeover: give it a moment (a few file operations) before looking again.
    sleepSync(20 * (attempt + 1));
  }
  throw new DataDirLockedError(dataDir, readHolder(file), options.advice);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Writes `content` whole under a private name beside `file`, for a link or rename into place; returns that name. */
function writeAside(file: string, content: string): string {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, content, { flag: "wx" });
  return temp;
}

/** Rewrites a file we hold: renamed over it, so a reader sees the old or the new whole. */
function replaceFile(file: string, content: string): void {
  renameSync(writeAside(file, content), file);
}

/** Links a complete file into place unless one is there: atomic, and never seen half-written. */
function tryCreate(file: string, content: string): boolean {
  const temp = writeAside(file, content);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function readHolder(file: string): DataDirLockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<DataDirLockHolder>;
    if (typeof parsed.pid !== "number") return { pid: 0, hostname: hostname(), processStartedAt: "", lockedAt: "?", command: "unknown" };
    // The file is anyone's to edit: keep only well-formed helpers, and few of them.
    const helpers = Array.isArray(parsed.helpers)
      ? parsed.helpers
          .filter((helper): helper is ProcessIdentity => typeof helper?.pid === "number" && typeof helper.processStartedAt === "string")
          .slice(0, MAX_HELPERS)
      : undefined;
    return { ...(parsed as DataDirLockHolder), helpers };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // Garbage (e.g. a file truncated by a full disk): no process can be proven to hold it.
    return { pid: 0, hostname: hostname(), processStartedAt: "", lockedAt: "?", command: "unreadable lock file" };
  }
}

function readToken(file: string): string | undefined {
  return (JSON.parse(readFileSync(file, "utf8")) as { token?: string }).token;
}

/**
 * Live unless proven dead on this host: the holder itself, or a helper it started (which may outlive it for the
 * seconds it takes to close the database). Pid reuse after a crash is caught by comparing start times (Linux).
 */
export function isHolderAlive(holder: DataDirLockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  return isProcessAlive(holder) || (holder.helpers ?? []).some((helper) => isProcessAlive(helper));
}

function isProcessAlive(identity: ProcessIdentity): boolean {
  if (!Number.isInteger(identity.pid) || identity.pid <= 0) return false;
  if (identity.pid === process.pid) return false; // not in `held`, so an earlier incarnation with our pid (containers)
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    // EPERM: alive, owned by someone else.
  }
  const started = linuxProcessStartTime(identity.pid);
  if (started !== undefined && identity.processStartedAt) {
    const recorded = Date.parse(identity.processStartedAt);
    if (Number.isFinite(recorded) && Math.abs(started - recorded) > 5_000) return false; // another process, same pid
  }
  return true;
}

/** Start time of `pid` in ms since the epoch, from /proc; undefined where /proc is not available. */
function linuxProcessStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime, clock ticks since boot) counted after the ")" that closes the command name.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootTime)) return undefined;
    return bootTime * 1000 + (ticks / 100) * 1000; // USER_HZ is 100 on every Linux Node supports
  } catch {
    return undefined;
  }
}

/**
 * Removes a dead holder's lock, under `slipway.lock.takeover` so that of two processes recovering at once only one
 * removes it and the other then finds the winner's fresh lock instead of deleting it.
 */
function removeStaleLock(file: string, stale: DataDirLockHolder): void {
  const mutex = `${file}.takeover`;
  const mine = `${JSON.stringify({ pid: process.pid, hostname: hostname(), processStartedAt: processStartedAt() })}\n`;
  if (!tryCreate(mutex, mine)) {
    const other = readHolder(mutex);
    // A takeover is a few file operations; a takeover lock whose process died is itself stale.
    if (other && !isHolderAlive(other)) unlinkQuietly(mutex);
    return; // the caller retries: either the other process's fresh lock or a free slot
  }
  try {
    const current = readHolder(file);
    if (current && current.pid === stale.pid && current.lockedAt === stale.lockedAt) unlinkQuietly(file);
  } finally {
    unlinkQuietly(mutex);
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
