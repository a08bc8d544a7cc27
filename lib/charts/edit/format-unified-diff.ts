/**
 * A unified diff (`diff -u` / `git diff` layout, three lines of context) of one small text file, for showing a
 * planned chart edit before it becomes a pull request. Returns "" when nothing changed.
 *
 * Lines are compared with their line endings, but a trailing "\r" is not printed, so a CRLF file reads like any
 * other; a change of line ending alone therefore shows as a line removed and added with the same text.
 */
export function formatUnifiedDiff(
  path: string,
  before: string,
  after: string,
  options: { context?: number } = {},
): string {
  if (before === after) return "";
  const context = options.context ?? 3;
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  const ops = diffLines(oldLines, newLines);

  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const hunk of groupHunks(ops, context)) {
    const oldCount = hunk.filter((op) => op.kind !== "+").length;
    const newCount = hunk.filter((op) => op.kind !== "-").length;
    const first = hunk[0]!;
    out += `@@ -${range(first.oldIndex, oldCount)} +${range(first.newIndex, newCount)} @@\n`;
    for (const op of hunk) {
      const line = op.kind === "+" ? newLines[op.newIndex]! : oldLines[op.oldIndex]!;
      out += `${op.kind}${line.text.replace(/\r$/, "")}\n`;
      if (!line.newline) out += "\\ No newline at end of file\n";
    }
  }
  return out;
}

interface Line {
  text: string;
  /** False only for the last line of a file that does not end with a newline. */
  newline: boolean;
}

interface DiffOp {
  kind: " " | "-" | "+";
  /** Index in the old file of this line, or for "+" of the old line it is inserted before. */
  oldIndex: number;
  /** Index in the new file of this line, or for "-" of the new line it is removed before. */
  newIndex: number;
}

function splitLines(text: string): Line[] {
  if (text === "") return [];
  const parts = text.split("\n");
  const endsWithNewline = parts[parts.length - 1] === "";
  if (endsWithNewline) parts.pop();
  return parts.map((part, i) => ({ text: part, newline: endsWithNewline || i < parts.length - 1 }));
}

function sameLine(a: Line, b: Line): boolean {
  return a.text === b.text && a.newline === b.newline;
}

/** Above this many cells the middle is shown as replaced wholesale: still a correct diff, just not a minimal one. */
const MAX_LCS_CELLS = 4_000_000;

/** Longest common subsequence over lines, after trimming the common head and tail (where chart edits leave most). */
function diffLines(a: readonly Line[], b: readonly Line[]): DiffOp[] {
  let head = 0;
  while (head < a.length && head < b.length && sameLine(a[head]!, b[head]!)) head++;
  let tail = 0;
  const tailMatches = () => sameLine(a[a.length - 1 - tail]!, b[b.length - 1 - tail]!);
  while (tail < a.length - head && tail < b.length - head && tailMatches()) tail++;

  const ops: DiffOp[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: " ", oldIndex: i, newIndex: i });

  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n * m > MAX_LCS_CELLS) {
    for (let i = 0; i < n; i++) ops.push({ kind: "-", oldIndex: head + i, newIndex: head });
    for (let j = 0; j < m; j++) ops.push({ kind: "+", oldIndex: head + n, newIndex: head + j });
  } else {
    // lengths[i][j] = LCS length of a[head+i..] and b[head+j..], flattened.
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * width + j] = sameLine(a[head + i]!, b[head + j]!)
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && sameLine(a[head + i]!, b[head + j]!)) {
        ops.push({ kind: " ", oldIndex: head + i++, newIndex: head + j++ });
      } else if (i < n && (j === m || lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)) {
        // Removals before additions, as diff and git print a replaced line.
        ops.push({ kind: "-", oldIndex: head + i++, newIndex: head + j });
      } else {
        ops.push({ kind: "+", oldIndex: head + i, newIndex: head + j++ });
      }
    }
  }

  for (let k = tail; k > 0; k--) ops.push({ kind: " ", oldIndex: a.length - k, newIndex: b.length - k });
  return ops;
}

/** Changed lines with `context` unchanged lines around them; changes closer than 2×context share a hunk. */
function groupHunks(ops: readonly DiffOp[], context: number): DiffOp[][] {
  const changed = ops.flatMap((op, index) => (op.kind === " " ? [] : [index]));
  const hunks: DiffOp[][] = [];
  let start = -1;
  let end = -1;
  for (const index of changed) {
    if (start >= 0 && index - end - 1 <= 2 * context) {
      end = index;
      continue;
    }
    if (start >= 0) hunks.push(ops.slice(Math.max(0, start - context), Math.min(ops.length, end + context + 1)));
    start = index;
    end = index;
  }
  if (start >= 0) hunks.push(ops.slice(Math.max(0, start - context), Math.min(ops.length, end + context + 1)));
  return hunks;
}

/** `start,count` as diff prints it: 1-based, ",count" left out when it is 1, an empty side starting a line earlier. */
function range(index: number, count: number): string {
  if (count === 0) return `${index},0`;
  return count === 1 ? `${index + 1}` : `${index + 1},${count}`;
}
