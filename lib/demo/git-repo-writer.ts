import { execFile } from "node:child_process";
import { appendFile, mkdir } from "node:fs/promises";
import { devNull } from "node:os";
import path from "node:path";

/**
 * Writes whole git histories in one `git fast-import` run per repository, so a workspace of a few hundred
 * commits takes a handful of process spawns instead of one per commit. Dates and identities are part of the
 * stream, which makes the result depend only on the input (not on the clock or on anyone's git config).
 */

export interface GitPerson {
  name: string;
  email: string;
}

export interface CommitInput {
  /** Full ref, e.g. `refs/heads/main`. */
  ref: string;
  author: GitPerson;
  /** Defaults to the author. */
  committer?: GitPerson;
  date: Date;
  message: string;
  /** Path → new content; `null` deletes the file. Files not listed keep their content from the parent. */
  files: Record<string, string | Buffer | null>;
  /** Parent commit mark; defaults to the ref's previous commit in this stream (none for the first). */
  parent?: number;
  /** Second parent, for a merge commit. */
  mergeParent?: number;
}

const utf8 = (s: string | Buffer): Buffer => (typeof s === "string" ? Buffer.from(s, "utf8") : s);

const rawDate = (date: Date): string => `${Math.floor(date.getTime() / 1000)} +0000`;

const ident = (p: GitPerson, date: Date): string => `${p.name} <${p.email}> ${rawDate(date)}`;

export class FastImportStream {
  private readonly chunks: Buffer[] = [];
  private nextMark = 1;
  private readonly tips = new Map<string, number>();

  private data(content: string | Buffer): void {
    const bytes = utf8(content);
    this.chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from("\n"));
  }

  private line(text: string): void {
    this.chunks.push(Buffer.from(`${text}\n`));
  }

  /** Adds a commit and returns its mark. */
  commit(input: CommitInput): number {
    const mark = this.nextMark++;
    const parent = input.parent ?? this.tips.get(input.ref);
    this.line(`commit ${input.ref}`);
    this.line(`mark :${mark}`);
    this.line(`author ${ident(input.author, input.date)}`);
    this.line(`committer ${ident(input.committer ?? input.author, input.date)}`);
    this.data(input.message.endsWith("\n") ? input.message : `${input.message}\n`);
    if (parent !== undefined) this.line(`from :${parent}`);
    if (input.mergeParent !== undefined) this.line(`merge :${input.mergeParent}`);
    for (const [file, content] of Object.entries(input.files)) {
      if (content === null) {
        this.line(`D ${file}`);
      } else {
        this.line(`M 100644 inline ${file}`);
        this.data(content);
      }
    }
    this.line("");
    this.tips.set(input.ref, mark);
    return mark;
  }

  /** Mark of the last commit written to `ref`, if any. */
  tip(ref: string): number | undefined {
    return this.tips.get(ref);
  }

  annotatedTag(name: string, target: number, tagger: GitPerson, date: Date, message: string): void {
    this.line(`tag ${name}`);
    this.line(`from :${target}`);
    this.line(`tagger ${ident(tagger, date)}`);
    // Unlike commit, tag takes no trailing blank line: fast-import would read it as an empty command.
    this.data(message.endsWith("\n") ? message : `${message}\n`);
  }

  lightweightTag(name: string, target: number): void {
    this.line(`reset refs/tags/${name}`);
    this.line(`from :${target}`);
    this.line("");
  }

  toBuffer(): Buffer {
    return Buffer.concat([...this.chunks, Buffer.from("done\n")]);
  }
}

/** Environment for every git call: no system or global config, fixed identity, and no inherited repository. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A test run from inside a git hook inherits these and would write into the wrong repository.
  for (const key of Object.keys(env)) {
    if (key.startsWith("GIT_")) delete env[key];
  }
  const when = "2020-01-01T00:00:00Z";
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: devNull,
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Slipway Demo",
    GIT_AUTHOR_EMAIL: "demo@slipway.invalid",
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_NAME: "Slipway Demo",
    GIT_COMMITTER_EMAIL: "demo@slipway.invalid",
    GIT_COMMITTER_DATE: when,
    LC_ALL: "C",
  };
}

export function runGit(cwd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      { cwd, env: gitEnv(), maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`git ${args.join(" ")} failed in ${cwd}: ${stderr.trim() || error.message}`));
        } else {
          resolve(stdout);
        }
      },
    );
    child.stdin?.on("error", () => {
      // git exited before reading all input; the exit callback reports the real error.
    });
    child.stdin?.end(input ?? "");
  });
}

export interface WriteRepositoryOptions {
  /** Branch HEAD points at and that is checked out in the working tree. */
  head?: string;
  /**
   * Let `git push` update the checked-out branch (and its working tree when clean), so the repository can
   * stand in for a remote that clones push release branches to.
   */
  acceptPushesToCheckedOutBranch?: boolean;
}

/** Creates a non-bare repository at `dir` holding the stream's history, with `head` checked out. */
export async function writeRepository(
  dir: string,
  stream: FastImportStream,
  options: WriteRepositoryOptions = {},
): Promise<void> {
  const head = options.head ?? "main";
  await mkdir(dir, { recursive: true });
  await runGit(dir, ["-c", `init.defaultBranch=${head}`, "init", "--quiet"]);
  await runGit(dir, ["fast-import", "--quiet", "--done"], stream.toBuffer());
  if (options.acceptPushesToCheckedOutBranch) {
    await appendFile(path.join(dir, ".git", "config"), "[receive]\n\tdenyCurrentBranch = updateInstead\n");
  }
  await runGit(dir, ["reset", "--quiet", "--hard", head]);
}
