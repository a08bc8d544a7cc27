import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHelmIndex } from "@/test/support/generate-helm-index";

/**
 * Hostile inputs from the issue, each read in a process of its own (read-in-child.ts) so that its peak resident
 * memory can be compared with a normal read of the same kind. Each must end in an error that names the file and
 * the limit, costing at most twice what the normal read costs (before the fix they cost 1.2 GB, 4.4 GB and a dead
 * process, several GB, and endless growth).
 */

const MB = 1024 * 1024;
const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const child = path.join(__dirname, "read-in-child.ts");

interface ChildResult {
  outcome?: string;
  error?: string;
  peakRssKb: number;
}

function readInChild(scenario: string, target: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      tsx,
      ["--conditions=react-server", child, scenario, target],
      // A FIFO that blocks the open, or /dev/zero read to the end, would otherwise hang the test.
      { cwd: root, timeout: 60_000, maxBuffer: MB, env: { ...process.env, NODE_OPTIONS: "" } },
      (error, stdout, stderr) => {
        const line = stdout.trim().split("\n").pop() ?? "";
        if (!line.startsWith("{")) return reject(new Error(`${scenario} ${target} died: ${error?.message ?? ""} ${stderr.slice(-2000)}`));
        resolve(JSON.parse(line) as ChildResult);
      },
    );
  });
}

const figures: string[] = [];

/** Two child processes per test on a shared machine; a read that hangs fails at the child's own 60 s timeout. */
const TEST_TIMEOUT_MS = 180_000;

/** Runs the normal and the hostile read; the hostile one must fail with `message` within twice the normal peak. */
async function expectRefusedCheaply(scenario: string, normal: string, hostile: string, message: RegExp): Promise<void> {
  const baseline = await readInChild(scenario, normal);
  expect(baseline.error).toBeUndefined();
  const attack = await readInChild(scenario, hostile);
  figures.push(
    `${scenario} ${path.basename(hostile)}: peak RSS ${(attack.peakRssKb / 1024).toFixed(0)} MB ` +
      `(normal read ${(baseline.peakRssKb / 1024).toFixed(0)} MB) — ${attack.error ?? attack.outcome}`,
  );
  expect(attack.error).toMatch(message);
  expect(attack.peakRssKb).toBeLessThan(2 * baseline.peakRssKb);
}

const git = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, {
    cwd,
    input,
    env: { ...process.env, GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@example.com", GIT_CONFIG_NOSYSTEM: "1" },
  })
    .toString()
    .trim();

/** A repository whose `main` holds Chart.yaml as the blob `blob` (an object id already in it). */
function commitChart(repo: string, blob: string): void {
  const tree = git(repo, ["mktree"], `100644 blob ${blob}\tChart.yaml\n`);
  const commit = git(repo, ["commit-tree", tree, "-m", "stack"]);
  git(repo, ["update-ref", "refs/heads/main", commit]);
}

/** `git hash-object -w` of `bytes` zero bytes streamed in: 500 MB is written as a half-megabyte object, never held in JS. */
function writeZeroBlob(repo: string, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = spawn("git", ["hash-object", "-w", "--stdin"], { cwd: repo });
    let oid = "";
    hash.stdout.on("data", (chunk: Buffer) => (oid += chunk.toString()));
    hash.on("error", reject);
    hash.on("close", (code) => (code === 0 ? resolve(oid.trim()) : reject(new Error(`git hash-object exited ${code}`))));
    const zeros = spawn("head", ["-c", String(bytes), "/dev/zero"]);
    zeros.stdout.pipe(hash.stdin);
  });
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "slipway-hostile-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`Peak memory of hostile reads:\n  ${figures.join("\n  ")}`);
});

describe("hostile YAML", () => {
  it("refuses a 2 MB Chart.yaml of nested brackets before parsing it", async () => {
    // Normal: ordinary YAML just under the 2 MB limit.
    const ordinary = generateHelmIndex({ charts: 40, versionsPerChart: 40 });
    const normal = path.join(dir, "normal-Chart.yaml");
    writeFileSync(normal, ordinary.slice(0, ordinary.lastIndexOf("\n  service-", 2 * MB - 1) + 1));
    const head = "apiVersion: v2\nname: stack\nversion: 1.0.0\ndependencies: ";
    const levels = Math.floor((2 * MB - head.length - 1) / 2);
    const nested = path.join(dir, "nested-Chart.yaml");
    writeFileSync(nested, `${head}${"[".repeat(levels)}${"]".repeat(levels)}\n`);

    await expectRefusedCheaply("chart-yaml", normal, nested, /^Chart\.yaml nests deeper than 100 levels at line 4$/);
  }, TEST_TIMEOUT_MS);

  it("refuses an 8 MB index.yaml of nested brackets before the fallback parser sees it", async () => {
    const normal = path.join(dir, "normal-index.yaml");
    writeFileSync(normal, generateHelmIndex({ charts: 100, versionsPerChart: 70 }));
    const head = "apiVersion: v1\nentries:\n  web: ";
    const levels = Math.floor((8 * MB - head.length) / 2);
    const nested = path.join(dir, "nested-index.yaml");
    writeFileSync(nested, `${head}${"[".repeat(levels)}${"]".repeat(levels)}`);

    await expectRefusedCheaply("helm-index", normal, nested, /^index\.yaml nests deeper than 100 levels at line 3$/);
  }, TEST_TIMEOUT_MS);
});

describe("hostile git repository", () => {
  it("refuses a 500 MB Chart.yaml blob from its size, without reading it", async () => {
    const normal = path.join(dir, "normal-repo");
    const hostile = path.join(dir, "hostile-repo");
    for (const repo of [normal, hostile]) git(dir, ["-c", "init.defaultBranch=main", "init", "-q", "--bare", repo]);
    commitChart(normal, git(normal, ["hash-object", "-w", "--stdin"], "apiVersion: v2\nname: stack\nversion: 1.0.0\n"));
    commitChart(hostile, await writeZeroBlob(hostile, 500 * MB));

    await expectRefusedCheaply("git-chart", normal, hostile, /^Chart\.yaml is 500\.0 MB; Slipway reads chart files up to 2 MB$/);
  }, TEST_TIMEOUT_MS);
});

describe("hostile file:// registry", () => {
  let normal: string;

  beforeAll(() => {
    normal = path.join(dir, "registry");
    mkdirSync(normal);
    writeFileSync(path.join(normal, "index.yaml"), generateHelmIndex({ charts: 20, versionsPerChart: 20 }));
  });

  it("refuses /dev/zero: a file with no end", async () => {
    await expectRefusedCheaply("file-registry", normal, "/dev/zero", /^index\.yaml of registry charts is not a regular file \(\/dev\/zero\)/);
  }, TEST_TIMEOUT_MS);

  it("refuses a FIFO, even one no process writes to", async () => {
    const fifo = path.join(dir, "fifo-registry");
    mkdirSync(fifo);
    execFileSync("mkfifo", [path.join(fifo, "index.yaml")]);
    await expectRefusedCheaply("file-registry", normal, fifo, /^index\.yaml of registry charts is not a regular file \(.*fifo-registry\/index\.yaml\)/);
  }, TEST_TIMEOUT_MS);
});
