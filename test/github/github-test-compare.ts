import { gitText } from "./github-test-git";
import type { UrlRoots } from "./github-test-json";
import type { TestRepository } from "./github-test-repository";

/**
 * The `files` of GitHub's compare answer, from `git diff -M` between the merge base and the head: each with its
 * status (added, removed, modified, renamed, changed for a mode change), the blob sha (of the head side; of the base
 * side for a removed file) and, for a rename, `previous_filename`.
 */
const STATUS: Record<string, string> = { A: "added", D: "removed", M: "modified", R: "renamed", T: "changed", C: "copied" };

interface RawEntry {
  oldSha: string;
  newSha: string;
  status: string;
  path: string;
  previous?: string;
}

/** `git diff --raw -z`: ":old new oldSha newSha STATUS\0path\0" (and a second path for renames and copies). */
function parseRaw(out: string): RawEntry[] {
  const fields = out.split("\0");
  const entries: RawEntry[] = [];
  for (let index = 0; index < fields.length - 1; ) {
    const meta = fields[index++]!;
    if (!meta.startsWith(":")) continue;
    const [, , oldSha, newSha, status] = meta.slice(1).split(" ") as [string, string, string, string, string];
    const letter = status[0]!;
    if (letter === "R" || letter === "C") {
      const previous = fields[index++]!;
      entries.push({ oldSha, newSha, status: letter, path: fields[index++]!, previous });
    } else {
      entries.push({ oldSha, newSha, status: letter, path: fields[index++]! });
    }
  }
  return entries;
}

/** `git diff --numstat -z`: "added\tdeleted\tpath\0", or "added\tdeleted\t\0old\0new\0" for renames. */
function parseNumstat(out: string): Map<string, { additions: number; deletions: number }> {
  const fields = out.split("\0");
  const counts = new Map<string, { additions: number; deletions: number }>();
  for (let index = 0; index < fields.length - 1; ) {
    const [added, deleted, path] = fields[index++]!.split("\t") as [string, string, string];
    const file = path === "" ? (index++, fields[index++]!) : path;
    counts.set(file, { additions: Number(added) || 0, deletions: Number(deleted) || 0 });
  }
  return counts;
}

export async function compareFiles(ctx: UrlRoots, repo: TestRepository, mergeBase: string, head: string) {
  const [raw, numstat] = await Promise.all([
    gitText(repo.dir, ["diff", "--raw", "--no-abbrev", "-M", "-z", mergeBase, head]),
    gitText(repo.dir, ["diff", "--numstat", "-M", "-z", mergeBase, head]),
  ]);
  const counts = parseNumstat(numstat);
  return parseRaw(raw).map((entry) => {
    const { additions, deletions } = counts.get(entry.path) ?? { additions: 0, deletions: 0 };
    const sha = entry.status === "D" ? entry.oldSha : entry.newSha;
    const ref = entry.status === "D" ? mergeBase : head;
    return {
      sha,
      filename: entry.path,
      status: STATUS[entry.status] ?? "modified",
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${ctx.web}/${repo.fullName}/blob/${ref}/${entry.path}`,
      raw_url: `${ctx.web}/${repo.fullName}/raw/${ref}/${entry.path}`,
      contents_url: `${ctx.api}/repos/${repo.fullName}/contents/${entry.path}?ref=${ref}`,
      ...(entry.previous !== undefined ? { previous_filename: entry.previous } : {}),
    };
  });
}
