import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotesCommand } from "@/lib/cli/run-notes-command";
import { type Workspace, loadWorkspaceConfig } from "@/lib/config/load-workspace-config";
import { createDemoWorkspace } from "@/lib/demo/create-demo-workspace";
import { createLocalGitProvider } from "@/lib/git/local/local-git-provider";
import { environmentNamed } from "@/lib/releases/plan-promotion";
import { readVersionsAt } from "@/lib/releases/read-versions-at";
import { buildReleaseNotes, formatReleaseNotes } from "@/lib/releases/release-notes";

let root: string;
let config: string;
let workspace: Workspace;
let git: ReturnType<typeof createLocalGitProvider>;
const stackGit = (...args: string[]) => execFileSync("git", args, { cwd: path.join(workspace.baseDir, "repos/stacks/payments-eu") }).toString().trim();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slipway-notes-"));
  config = (await createDemoWorkspace(root)).configPath;
  workspace = loadWorkspaceConfig(config);
  git = createLocalGitProvider({ baseDir: workspace.baseDir, cacheDir: path.join(root, "cache") });
  process.env.SLIPWAY_CACHE_DIR = path.join(root, "cache");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("release notes", () => {
  it("lists per service every version it went through and its tickets, and every ticket once", async () => {
    const env = environmentNamed(workspace.config, "payments-eu");
    const from = stackGit("rev-list", "--first-parent", "--skip=5", "-1", "main");
    const notes = await buildReleaseNotes({ config: workspace.config, git }, env, { from });
    expect(notes.from.sha).toBe(from);
    expect(notes.to.sha).toBe(stackGit("rev-parse", "main"));
    expect(notes.entries.length).toBeGreaterThan(0);
    expect(notes.entries.length).toBeLessThanOrEqual(5);

    // Each service's versions start where `from` pinned it and end where the head pins it.
    const [then, now] = await Promise.all([readVersionsAt(git, env, from), readVersionsAt(git, env, notes.to.sha)]);
    expect(notes.services.length).toBeGreaterThan(0);
    for (const service of notes.services) {
      expect(service.versions[0]).toBe(then.get(service.service)?.version);
      expect(service.versions.at(-1)).toBe(now.get(service.service)?.version);
    }
    const keys = notes.services.flatMap((s) => s.tickets.map((t) => t.key));
    expect(keys.length).toBeGreaterThan(0);
    expect(notes.tickets.map((t) => t.key).sort()).toEqual([...new Set(keys)].sort());

    for (const service of notes.services.filter((s) => s.versions.length > 1 && s.versions[0] === s.versions.at(-1))) {
      expect(service.notes).toContainEqual(expect.stringMatching(/^Back where it started: .* went out and was rolled back\.$/));
    }
    const markdown = formatReleaseNotes(notes);
    expect(markdown).toMatch(/^# payments-eu: release notes$/m);
    expect(markdown).toMatch(/^## \S+: [^\n]+ → [^\n]+$/m);
    expect(markdown).toMatch(/^## Tickets$/m);
  });

  it("starts from a day, and refuses an empty range and a ref that is not on the branch", async () => {
    const env = environmentNamed(workspace.config, "payments-eu");
    const notes = await buildReleaseNotes({ config: workspace.config, git }, env, { from: "2000-01-01" }).catch((e: Error) => e);
    expect(notes).toBeInstanceOf(Error);
    expect((notes as Error).message).toMatch(/has no commit before 2000-01-01/);
    const head = stackGit("rev-parse", "main");
    await expect(buildReleaseNotes({ config: workspace.config, git }, env, { from: head })).rejects.toThrow(/The range is empty/);
    await expect(buildReleaseNotes({ config: workspace.config, git }, env, { from: "nope-tag" })).rejects.toThrow(/has no tag "nope-tag"/);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const sinceWeek = await buildReleaseNotes({ config: workspace.config, git }, env, { from: weekAgo });
    expect(new Date(sinceWeek.from.date).getTime()).toBeLessThan(new Date(`${weekAgo}T00:00:00Z`).getTime());
  });

  it("prints the same from the CLI, as Markdown or JSON", async () => {
    process.env.SLIPWAY_USER = "dana";
    const from = stackGit("rev-list", "--first-parent", "--skip=3", "-1", "main");
    expect(await runNotesCommand({ config, env: "payments-eu", from })).toMatch(/^# payments-eu: release notes/);
    const json = JSON.parse(await runNotesCommand({ config, env: "payments-eu", from, format: "json" }));
    expect(json).toMatchObject({ schemaVersion: 1, environment: "payments-eu", from: { sha: from } });
    await expect(runNotesCommand({ config, env: "payments-eu", from, format: "pdf" })).rejects.toThrow(/--format is md or json/);
  });
});
