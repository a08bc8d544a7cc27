import { structuredPatch } from "diff";

/**
 * A unified diff (`diff -u` / `git diff` layout, three lines of context) of one small text file, for showing a
 * planned chart edit before it becomes a pull request. Returns "" when nothing changed. The diffing is jsdiff's
 * (`structuredPatch`); only the layout is ours, to print exactly what `git diff` prints.
 *
 * Lines are compared with their line endings, but a trailing "\r" is not printed, so a CRLF file reads like any
 * other; a change of line ending alone therefore shows as a line removed and added with the same text.
 */
export function formatUnifiedDiff(path: string, before: string, after: string, options: { context?: number } = {}): string {
  if (before === after) return "";
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: options.context ?? 3 });
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const hunk of patch.hunks) {
    out += `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@\n`;
    for (const line of hunk.lines) out += `${line.replace(/\r$/, "")}\n`;
  }
  return out;
}

/** `start,count` as diff prints it: ",count" left out when it is 1; an empty side names the line before it. */
function range(start: number, count: number): string {
  // jsdiff numbers an empty side from the line it would start at; diff and git name the line before it.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}
