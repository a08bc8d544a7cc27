import { open, stat } from "node:fs/promises";
import path from "node:path";
import type { BranchHead } from "../git-provider";
import { runGit } from "./run-git";

/**
 * Branch heads as git last resolved them, each kept under what the files git resolves it from held at the time: the
 * branch's loose ref files (their content), `packed-refs` and a reftable's `tables.list` (their inode, size and
 * times; git replaces them whole on every change). While those are as they were, the branch has not moved, and its
 * head costs a few file reads instead of a git process. That matters because starting a process is not cheap for a
 * large one: fork copies the parent's page tables on its event loop, ~20 ms a process here with the embedded
 * database open, and a refresh asks for every environment's head.
 *
 * Whenever the files cannot vouch for the ref — a symbolic ref, a ref name that is not a plain path, a read that
 * fails oddly — git is asked, as it is the first time; a head read while git was changing the ref is kept under the
 * files as they were before, so the next read asks git again.
 */
export interface BranchHeadMemory {
  /**
   * The head git gave for the first of `refs` that exists in the repository at `dir`, if none of the files behind them
   * changed since; otherwise undefined, and `remember` keeps git's new answer under the files as read now.
   */
  recall(dir: string, refs: readonly string[]): Promise<{ head?: BranchHead; remember: (head: BranchHead) => void }>;
}

/** Heads kept at most: one per environment branch, far more than any workspace has. */
const MAX_REMEMBERED = 10_000;

export function createBranchHeadMemory(): BranchHeadMemory {
  const commonDirs = new Map<string, Promise<string>>();
  const heads = new Map<string, { files: string; head: BranchHead }>();

  /** Where the refs live: the repository's .git folder, the bare repository itself, or a worktree's main .git. */
  function commonDirOf(dir: string): Promise<string> {
    let known = commonDirs.get(dir);
    if (!known) {
      known = runGit(["rev-parse", "--git-common-dir"], { cwd: dir }).then((out) => path.resolve(dir, out.trim()));
      known.catch(() => commonDirs.delete(dir));
      commonDirs.set(dir, known);
    }
    return known;
  }

  return {
    async recall(dir, refs) {
      const key = `${dir}\0${refs.join("\0")}`;
      const files = refs.every(isPlainRefPath) ? await readRefFiles(await commonDirOf(dir), refs).catch(() => undefined) : undefined;
      const kept = heads.get(key);
      const remember = (head: BranchHead) => {
        if (files === undefined) return;
        if (!heads.has(key) && heads.size >= MAX_REMEMBERED) heads.clear();
        heads.set(key, { files, head: copyOf(head) });
      };
      return { head: files !== undefined && kept?.files === files ? copyOf(kept.head) : undefined, remember };
    },
  };
}

/** What the ref files hold now, as one string; undefined when they cannot vouch for the refs (a symbolic ref). */
async function readRefFiles(commonDir: string, refs: readonly string[]): Promise<string | undefined> {
  const parts = await Promise.all([
    ...refs.map((ref) => readRefFile(path.join(commonDir, ref)).catch(absentAs)),
    statOf(path.join(commonDir, "packed-refs")),
    statOf(path.join(commonDir, "reftable", "tables.list")),
  ]);
  return parts.some((part) => part.startsWith("ref:") || part === TOO_LONG) ? undefined : parts.join("\n");
}

/** Longer than any loose ref (a SHA-256 id and a newline): such a file is not one git wrote, and is not read whole. */
const MAX_REF_FILE_BYTES = 128;
const TOO_LONG = "too long";

async function readRefFile(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(MAX_REF_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead > MAX_REF_FILE_BYTES ? TOO_LONG : buffer.toString("utf8", 0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function statOf(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (error) {
    return absentAs(error);
  }
}

/** A missing file (or a folder where a ref's file would be) is a fact about the refs too; any other failure is not. */
function absentAs(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return `-${code}`;
  throw error;
}

/** refs/heads/… and refs/remotes/… names that are a path under the refs folder and nothing else. */
function isPlainRefPath(ref: string): boolean {
  return /^refs\/[\w./-]+$/.test(ref) && !ref.split("/").some((part) => part === "" || part === "." || part === "..") && ref.length <= 1024;
}

function copyOf(head: BranchHead): BranchHead {
  return { ...head, date: new Date(head.date) };
}
