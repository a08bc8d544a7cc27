import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatUnifiedDiff } from "./format-unified-diff";

const scratch = mkdtempSync(path.join(tmpdir(), "slipway-diff-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Applies `diff` to `before` with git's own patch reader, so the format is checked by a real consumer. */
function applyWithGit(before: string, diff: string): string {
  const dir = mkdtempSync(path.join(scratch, "apply-"));
  writeFileSync(path.join(dir, "Chart.yaml"), before);
  writeFileSync(path.join(dir, "change.diff"), diff);
  execFileSync("git", ["apply", "--whitespace=nowarn", "change.diff"], { cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
  return readFileSync(path.join(dir, "Chart.yaml"), "utf8");
}

/** What `diff -u` prints for the same files, from the first hunk on (its header carries file names and dates). */
function diffU(before: string, after: string): string {
  const dir = mkdtempSync(path.join(scratch, "diffu-"));
  writeFileSync(path.join(dir, "a"), before);
  writeFileSync(path.join(dir, "b"), after);
  try {
    execFileSync("diff", ["-u", "a", "b"], { cwd: dir });
    return "";
  } catch (error) {
    const out = String((error as { stdout: Buffer }).stdout);
    return out.slice(out.indexOf("@@"));
  }
}

const chart = `apiVersion: v2
name: stack
version: 1.0.0
dependencies:
  - name: orders
    version: 1.2.0
    repository: https://charts.example.com
  - name: billing
    version: 2.0.0
    repository: https://charts.example.com
  - name: search
    version: 3.1.4
    repository: https://charts.example.com
`;

describe("formatUnifiedDiff", () => {
  it("is empty when nothing changed", () => {
    expect(formatUnifiedDiff("Chart.yaml", chart, chart)).toBe("");
  });

  it("prints one hunk with three lines of context, like diff -u", () => {
    const after = chart.replace("version: 2.0.0", "version: 2.1.0");
    const diff = formatUnifiedDiff("stack/Chart.yaml", chart, after);
    expect(diff).toBe(`--- a/stack/Chart.yaml
+++ b/stack/Chart.yaml
@@ -6,7 +6,7 @@
     version: 1.2.0
     repository: https://charts.example.com
   - name: billing
-    version: 2.0.0
+    version: 2.1.0
     repository: https://charts.example.com
   - name: search
     version: 3.1.4
`);
    expect(diff.slice(diff.indexOf("@@"))).toBe(diffU(chart, after));
  });

  it("merges nearby changes into one hunk and keeps distant ones apart", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    const before = `${lines.join("\n")}\n`;
    const after = before.replace("line 3\n", "line three\n").replace("line 8\n", "line eight\n").replace("line 30\n", "");
    const diff = formatUnifiedDiff("f", before, after);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain("@@ -1,11 +1,11 @@");
    expect(diff).toContain("@@ -27,7 +27,6 @@");
    expect(diff.slice(diff.indexOf("@@"))).toBe(diffU(before, after));
  });

  it("marks a missing newline at the end of either side", () => {
    const before = "a: 1\nversion: 1.0.0";
    const diff = formatUnifiedDiff("Chart.yaml", before, "a: 1\nversion: 1.1.0");
    expect(diff).toBe(
      "--- a/Chart.yaml\n+++ b/Chart.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-version: 1.0.0\n\\ No newline at end of file\n" +
        "+version: 1.1.0\n\\ No newline at end of file\n",
    );
    expect(applyWithGit(before, diff)).toBe("a: 1\nversion: 1.1.0");
    const addNewline = formatUnifiedDiff("Chart.yaml", before, `${before}\n`);
    expect(addNewline).toContain("-version: 1.0.0\n\\ No newline at end of file\n+version: 1.0.0\n");
    expect(applyWithGit(before, addNewline)).toBe(`${before}\n`);
  });

  it("handles files that start or end empty", () => {
    expect(formatUnifiedDiff("x", "", "a\n")).toBe("--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n");
    expect(formatUnifiedDiff("x", "a\nb\n", "")).toBe("--- a/x\n+++ b/x\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  });

  it("does not print the carriage return of CRLF lines", () => {
    const before = "a: 1\r\nversion: 1.0.0\r\n";
    const diff = formatUnifiedDiff("Chart.yaml", before, before.replace("1.0.0", "1.0.1"));
    expect(diff).toBe("--- a/Chart.yaml\n+++ b/Chart.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-version: 1.0.0\n+version: 1.0.1\n");
  });

  it("round-trips random edits through git apply", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 60; round++) {
      const lines = Array.from({ length: 5 + random(30) }, () => `k${random(6)}: ${random(4)}`);
      const edited = [...lines];
      for (let edits = random(6); edits > 0; edits--) {
        const at = random(edited.length + 1);
        const op = random(3);
        if (op === 0) edited.splice(at, 1);
        else if (op === 1) edited.splice(at, 0, `new: ${random(100)}`);
        else if (at < edited.length) edited[at] = `changed: ${random(100)}`;
      }
      const before = `${lines.join("\n")}\n`;
      const after = edited.length > 0 ? `${edited.join("\n")}${random(4) === 0 ? "" : "\n"}` : "";
      const diff = formatUnifiedDiff("Chart.yaml", before, after);
      if (before === after) expect(diff).toBe("");
      else expect(applyWithGit(before, diff), `round ${round}\n${diff}`).toBe(after);
    }
  });
});
