import type { EnvironmentConfig } from "@/lib/config/schema";
import { hasErrorName } from "@/lib/errors";
import type { GitProvider } from "@/lib/git/git-provider";

/** A snapshot: a tag on a deployment commit of an environment's branch, the state of its whole stack then. */
export interface Snapshot {
  tag: string;
  sha: string;
}

/** How many names are tried when another process takes the next number first. */
const CREATE_ATTEMPTS = 5;

/** The UTC day as the pattern's {date}: 2026.12.02. */
export function snapshotDate(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, ".");
}

/** A regular expression for the tags a pattern makes; {date} and {n} become their captured groups. */
function patternRegex(pattern: string): RegExp {
  const parts = pattern.split(/(\{date\}|\{n\})/).map((part) =>
    part === "{date}" ? "(?<date>\\d{4}\\.\\d{2}\\.\\d{2})" : part === "{n}" ? "(?<n>[1-9]\\d{0,5})" : part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"),
  );
  return new RegExp(`^${parts.join("")}$`);
}

/** The environment's snapshots, newest first (by date, then number), from the tags of its stack repository. */
export async function listSnapshots(git: GitProvider, env: EnvironmentConfig): Promise<Snapshot[]> {
  if (!env.snapshots) return [];
  const regex = patternRegex(env.snapshots.tagPattern);
  const found: (Snapshot & { date: string; n: number })[] = [];
  for (const [tag, sha] of await git.listTags(env.repo)) {
    const match = regex.exec(tag);
    if (match) found.push({ tag, sha, date: match.groups?.date ?? "", n: Number(match.groups?.n ?? 0) });
  }
  found.sort((a, b) => (a.date === b.date ? b.n - a.n : a.date < b.date ? 1 : -1));
  return found.map(({ tag, sha }) => ({ tag, sha }));
}

/**
 * Tags `sha` as the environment's next snapshot of `date`'s day, if the environment takes snapshots: the first
 * free number, retried when another process took it meanwhile (a tag is never moved). Returns the snapshot, or
 * undefined when the environment takes none.
 */
export async function createSnapshot(git: GitProvider, env: EnvironmentConfig, sha: string, date: Date): Promise<Snapshot | undefined> {
  if (!env.snapshots) return undefined;
  const pattern = env.snapshots.tagPattern;
  const day = snapshotDate(date);
  const regex = patternRegex(pattern);
  const taken = [...(await git.listTags(env.repo)).keys()].flatMap((tag) => {
    const match = regex.exec(tag);
    return match && (match.groups?.date ?? day) === day ? [Number(match.groups?.n)] : [];
  });
  let n = Math.max(0, ...taken) + 1;
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++, n++) {
    const tag = pattern.replaceAll("{date}", day).replaceAll("{n}", String(n));
    try {
      await git.createTag(env.repo, tag, sha);
      return { tag, sha };
    } catch (error) {
      if (!(hasErrorName(error, "GitError") && /already exists/.test((error as Error).message))) throw error;
    }
  }
  throw new Error(`no free snapshot name for ${env.name} on ${day} after ${CREATE_ATTEMPTS} attempts`);
}

/** The environment whose snapshot pattern names `tag` (for `promote --from TAG`), with the snapshot. */
export async function findSnapshot(git: GitProvider, environments: EnvironmentConfig[], tag: string): Promise<{ env: EnvironmentConfig; snapshot: Snapshot } | undefined> {
  for (const env of environments) {
    if (!env.snapshots || !patternRegex(env.snapshots.tagPattern).test(tag)) continue;
    const sha = (await git.listTags(env.repo)).get(tag);
    if (sha) return { env, snapshot: { tag, sha } };
  }
  return undefined;
}
