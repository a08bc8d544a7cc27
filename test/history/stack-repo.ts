import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { devNull } from "node:os";
import path from "node:path";

/** A dependency of the test stack's umbrella chart (Helm 3, locked when `locked` is set). */
export interface StackDependency {
  name: string;
  version: string;
  alias?: string;
  locked?: string;
}

const REPO_URL = "https://charts.example.com";

/**
 * A real git repository with an umbrella chart in `stack/`, written commit by commit with the git command line, for
 * the history reader's tests. Dates advance a minute per commit, so the order never depends on the clock.
 */
export class StackRepo {
  private clock = Date.parse("2026-01-05T09:00:00Z");

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.git("-c", "init.defaultBranch=main", "init", "-q");
  }

  git(...args: string[]): string {
    const when = new Date(this.clock).toISOString();
    return execFileSync("git", args, {
      cwd: this.dir,
      env: {
        // A run from inside a git hook inherits GIT_DIR and friends and would write into the wrong repository.
        ...(Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("GIT_"))) as NodeJS.ProcessEnv),
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: devNull,
        GIT_AUTHOR_NAME: "Dana Delivery",
        GIT_AUTHOR_EMAIL: "dana@example.com",
        GIT_COMMITTER_NAME: "Dana Delivery",
        GIT_COMMITTER_EMAIL: "dana@example.com",
        GIT_AUTHOR_DATE: when,
        GIT_COMMITTER_DATE: when,
      },
    })
      .toString()
      .trim();
  }

  /** Writes stack/Chart.yaml (and Chart.lock when something is locked) and commits them; returns the sha. */
  commitChart(dependencies: StackDependency[], subject: string): string {
    const list = dependencies
      .map((d) => [`  - name: ${d.name}`, ...(d.alias ? [`    alias: ${d.alias}`] : []), `    version: "${d.version}"`, `    repository: ${REPO_URL}`].join("\n"))
      .join("\n");
    const files: Record<string, string> = { "stack/Chart.yaml": `apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies:\n${list}\n` };
    const locked = dependencies.filter((d) => d.locked);
    if (locked.length > 0) {
      const entries = locked.map((d) => `- name: ${d.name}\n  repository: ${REPO_URL}\n  version: ${d.locked}`).join("\n");
      files["stack/Chart.lock"] = `dependencies:\n${entries}\ndigest: sha256:0000\ngenerated: "2026-01-01T00:00:00Z"\n`;
    }
    return this.commitFiles(files, subject);
  }

  commitFiles(files: Record<string, string>, subject: string): string {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
      writeFileSync(path.join(this.dir, file), content);
    }
    this.git("add", "-A");
    this.clock += 60_000;
    this.git("commit", "-q", "--allow-empty", "-m", subject);
    return this.head();
  }

  /** A feature branch off main with its own commits, merged back with a merge commit; returns the merge's sha. */
  mergeBranch(branch: string, subject: string, work: () => void): string {
    this.git("checkout", "-q", "-b", branch);
    work();
    this.git("checkout", "-q", "main");
    this.clock += 60_000;
    this.git("merge", "-q", "--no-ff", "-m", subject, branch);
    return this.head();
  }

  head(): string {
    return this.git("rev-parse", "HEAD");
  }
}
