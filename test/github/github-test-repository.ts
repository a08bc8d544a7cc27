import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import {
  commitTree,
  gitBuffer,
  gitText,
  resolveCommit,
  updateRef,
  writeTree,
  ZERO_SHA,
  type Identity,
} from "./github-test-git";

export interface TestRepositoryOptions {
  defaultBranch?: string;
  private?: boolean;
  /** Logins that may be requested as reviewers. */
  collaborators?: string[];
  /** Team slugs of the owning organization with access, requestable as team reviewers. */
  teams?: string[];
}

export interface SeedCommit {
  branch: string;
  /** Path → new content; null deletes the path. */
  files?: Record<string, string | null>;
  message: string;
  author?: Identity;
  /** Both author and committer date (ISO); spread commits apart to keep GitHub's date order deterministic. */
  date?: string;
  /** Defaults to the branch head (none for a new branch). */
  parents?: string[];
}

const DEFAULT_AUTHOR: Identity = { name: "Dev One", email: "dev.one@example.com" };

/**
 * One repository the GitHub test server hosts: a bare git repository on disk (what GitHub keeps), with seeding helpers
 * built on plumbing so no work tree ever goes stale when the server moves a branch.
 */
export class TestRepository {
  readonly owner: string;
  readonly name: string;
  readonly dir: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly collaborators: Set<string>;
  readonly teams: Set<string>;
  /** Label name → id, created on first use like GitHub's "add labels" does. */
  readonly labels = new Map<string, { id: number; color: string; description: string | null }>();
  readonly createdAt = new Date();

  private constructor(
    readonly fullName: string,
    readonly id: number,
    root: string,
    options: TestRepositoryOptions,
  ) {
    [this.owner, this.name] = fullName.split("/") as [string, string];
    this.dir = path.join(root, `${this.owner}__${this.name}.git`);
    this.defaultBranch = options.defaultBranch ?? "main";
    this.private = options.private ?? false;
    this.collaborators = new Set(options.collaborators ?? []);
    this.teams = new Set(options.teams ?? []);
  }

  static async create(fullName: string, id: number, root: string, options: TestRepositoryOptions = {}): Promise<TestRepository> {
    if (!/^[\w.-]+\/[\w.-]+$/.test(fullName)) throw new Error(`repository name must be owner/name, got ${fullName}`);
    const repo = new TestRepository(fullName, id, root, options);
    mkdirSync(repo.dir, { recursive: true });
    await gitText(repo.dir, ["init", "--bare", "--quiet", `--initial-branch=${repo.defaultBranch}`]);
    return repo;
  }

  git(...args: string[]): Promise<string> {
    return gitText(this.dir, args);
  }

  async rev(ref: string): Promise<string> {
    const sha = await resolveCommit(this.dir, ref);
    if (!sha) throw new Error(`${this.fullName}: no commit for ${ref}`);
    return sha;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.git("for-each-ref", "--count=1", "refs/heads")).trim() === "";
  }

  /** One commit on `branch` changing `files`; returns its sha. */
  async commit(seed: SeedCommit): Promise<string> {
    const ref = `refs/heads/${seed.branch}`;
    const head = await resolveCommit(this.dir, ref);
    const parents = seed.parents ?? (head ? [head] : []);
    const baseTree = parents[0] ? (await this.git("rev-parse", `${parents[0]}^{tree}`)).trim() : undefined;
    const entries = await Promise.all(
      Object.entries(seed.files ?? {}).map(async ([file, content]) => ({
        path: file,
        sha: content === null ? null : (await gitText(this.dir, ["hash-object", "-w", "--stdin"], { input: content })).trim(),
      })),
    );
    const tree = await writeTree(this.dir, baseTree, entries);
    const author = { ...(seed.author ?? DEFAULT_AUTHOR), ...(seed.date ? { date: seed.date } : {}) };
    const sha = await commitTree(this.dir, tree, parents, seed.message, author);
    await updateRef(this.dir, ref, sha, head ?? ZERO_SHA);
    return sha;
  }

  /**
   * Many commits on one branch in one `git fast-import` process (250 commits in well under a second), each changing
   * `file`, with committer dates a minute apart starting at `startDate`.
   */
  async commitSeries(options: {
    branch: string;
    count: number;
    message: (index: number) => string;
    file?: string;
    startDate?: Date;
    author?: Identity;
  }): Promise<string> {
    const ref = `refs/heads/${options.branch}`;
    const head = await resolveCommit(this.dir, ref);
    const author = options.author ?? DEFAULT_AUTHOR;
    const start = Math.floor((options.startDate ?? new Date("2024-01-01T00:00:00Z")).getTime() / 1000);
    const chunks: Buffer[] = [];
    const push = (text: string) => chunks.push(Buffer.from(text, "utf8"));
    const data = (text: string) => {
      const bytes = Buffer.from(text, "utf8");
      push(`data ${bytes.length}\n`);
      chunks.push(bytes);
      push("\n");
    };
    for (let index = 0; index < options.count; index++) {
      const when = `${start + index * 60} +0000`;
      push(`commit ${ref}\nmark :${index + 1}\n`);
      push(`author ${author.name} <${author.email}> ${when}\ncommitter ${author.name} <${author.email}> ${when}\n`);
      data(options.message(index));
      if (index === 0 && head) push(`from ${head}\n`);
      push(`M 100644 inline ${options.file ?? "series.txt"}\n`);
      data(`${index}\n`);
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn("git", ["fast-import", "--quiet"], { cwd: this.dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed: ${stderr}`))));
      child.stdin.end(Buffer.concat(chunks));
    });
    return this.rev(ref);
  }

  /** A real merge commit of `from` into `into` (like a merged pull request); returns its sha. */
  async merge(options: { into: string; from: string; message?: string; date?: string; author?: Identity }): Promise<string> {
    const base = await this.rev(`refs/heads/${options.into}`);
    const head = await this.rev(options.from);
    return this.mergeCommits(options.into, base, head, options.message ?? `Merge ${options.from} into ${options.into}`, {
      ...(options.author ?? DEFAULT_AUTHOR),
      ...(options.date ? { date: options.date } : {}),
    });
  }

  /** @internal used by the server's pull request merge too. */
  async mergeCommits(branch: string, base: string, head: string, message: string, author: Identity, squash = false): Promise<string> {
    let tree: string;
    try {
      tree = (await gitText(this.dir, ["merge-tree", "--write-tree", base, head])).split("\n")[0]!.trim();
    } catch (error) {
      throw new Error(`${this.fullName}: ${head} does not merge cleanly into ${branch}: ${String(error)}`);
    }
    const sha = await commitTree(this.dir, tree, squash ? [base] : [base, head], message, author);
    await updateRef(this.dir, `refs/heads/${branch}`, sha, base);
    return sha;
  }

  async branch(name: string, ref: string): Promise<void> {
    await updateRef(this.dir, `refs/heads/${name}`, await this.rev(ref), ZERO_SHA);
  }

  /** Many lightweight tags in one `git update-ref --stdin`. */
  async tagMany(tags: { name: string; sha: string }[]): Promise<void> {
    const input = tags.map((tag) => `create refs/tags/${tag.name} ${tag.sha}\n`).join("");
    await gitText(this.dir, ["update-ref", "--stdin"], { input });
  }

  /** A lightweight tag, or an annotated one with `message`. */
  async tag(name: string, ref: string, message?: string): Promise<void> {
    const sha = await this.rev(ref);
    if (message === undefined) await this.git("tag", name, sha);
    else await gitBuffer(this.dir, ["tag", "-a", name, "-m", message, sha]);
  }
}
