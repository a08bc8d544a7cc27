import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catFileBatch, runGit } from "./run-git";

let repo: string;
let commit: string;

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "slipway-run-git-"));
  const git = (args: string[], input?: string) => execFileSync("git", args, { cwd: repo, input }).toString().trim();
  git(["init", "-q", "--bare"]);
  const small = git(["hash-object", "-w", "--stdin"], "name: stack\n");
  const large = git(["hash-object", "-w", "--stdin"], "x".repeat(5000));
  const tree = git(["mktree"], `100644 blob ${small}\tChart.yaml\n100644 blob ${large}\tvalues.yaml\n`);
  commit = git(["commit-tree", tree, "-m", "stack"], undefined);
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("catFileBatch", () => {
  it("reads blobs up to the limit, and reports larger ones by size without reading them", async () => {
    const names = ["Chart.yaml", "values.yaml", "missing.yaml", ""].map((file) => `${commit}:${file}`);
    const blobs = await catFileBatch(repo, names, 4096);
    expect(blobs.get(names[0]!)).toEqual({ kind: "blob", content: Buffer.from("name: stack\n") });
    expect(blobs.get(names[1]!)).toEqual({ kind: "too-large", size: 5000 });
    expect(blobs.get(names[2]!)).toEqual({ kind: "missing" });
    // The root folder: a tree, not a file.
    expect(blobs.get(names[3]!)).toEqual({ kind: "missing" });
  });
});

describe("runGit", () => {
  it("stops git past the output limit, saying so", async () => {
    await expect(runGit(["cat-file", "-p", `${commit}:values.yaml`], { cwd: repo, maxOutputBytes: 1000 })).rejects.toThrow(
      "git cat-file printed more than 1 KB, the most Slipway reads from one git command",
    );
    await expect(runGit(["cat-file", "-p", `${commit}:values.yaml`], { cwd: repo })).resolves.toHaveLength(5000);
  });
});
