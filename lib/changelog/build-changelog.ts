import { parseChartVersionText } from "@/lib/versions/chart-version";
import { compareHelmVersions } from "@/lib/versions/helm-semver";
import { ConfigError } from "@/lib/errors";
import type { GitProvider } from "@/lib/git/git-provider";
import { extractJiraKeys } from "./extract-jira-keys";

export interface ChangelogInput {
  git: GitProvider;
  /** The service's source repository, as the git provider names repositories. */
  repo: string;
  /** How release tags are named, e.g. "v{version}" or "release-{version}". */
  tagPattern: string;
  /** Chart version running now. */
  from: string;
  /** Chart version the release request moves to. */
  to: string;
  /**
   * Only keys of this Jira project count as tickets; without it, any key-shaped token does except standards written
   * like keys, such as JDK-17 or SQL-92 (see extractJiraKeys).
   */
  jiraProject?: string;
  /** Jira base URL, for ticket links (`<base>/browse/KEY-1`). */
  jiraBaseUrl?: string;
  commitUrl?: (sha: string) => string | undefined;
  /** At most this many commits are listed (default 500); `truncated` says when there were more. */
  limit?: number;
}

export interface ChangelogCommit {
  sha: string;
  subject: string;
  author: string;
  date: Date;
  url?: string;
  jiraKeys: string[];
}

export interface ChangelogTicket {
  key: string;
  url?: string;
  /** Shas of the commits that mention it, in the order of `commits`. */
  commits: string[];
}

export interface Changelog {
  from: string;
  to: string;
  fromTag: string;
  toTag: string;
  direction: "upgrade" | "downgrade" | "same";
  /**
   * What the listed commits mean for the environment: an upgrade adds them, a downgrade removes them (they are the
   * commits in `from` that are not in `to`), and "same" lists none.
   */
  effect: "added" | "removed" | "none";
  /** Newest first. */
  commits: ChangelogCommit[];
  /** Tickets in order of first appearance in `commits`. */
  tickets: ChangelogTicket[];
  /** Shas of the commits that mention no ticket. */
  unticketed: string[];
  /** Release tags that the source repository does not have; the changelog is then empty. */
  missing?: { tag: string; reason: string }[];
  /** Why no commits are shown, for the UI to print instead of the list. */
  fallback?: string;
  truncated: boolean;
}

export const DEFAULT_CHANGELOG_LIMIT = 500;

/**
 * The commits between two released versions of a service, from its source repository's release tags, with the Jira
 * tickets they mention. A missing tag is not an error — a service may have been released before its tags were
 * pushed — it is reported in `missing` and `fallback` with an empty list. A repository that cannot be read at all
 * throws the git provider's GitError.
 */
export async function buildChangelog(input: ChangelogInput): Promise<Changelog> {
  const limit = input.limit ?? DEFAULT_CHANGELOG_LIMIT;
  const fromTag = tagName(input.tagPattern, input.from);
  const toTag = tagName(input.tagPattern, input.to);
  const direction = compareVersions(input.from, input.to);
  const base = { from: input.from, to: input.to, fromTag, toTag, direction };
  const empty = { commits: [], tickets: [], unticketed: [], truncated: false };

  if (direction === "same") return { ...base, effect: "none", ...empty };
  const effect = direction === "upgrade" ? "added" : "removed";

  const tags = await input.git.listTags(input.repo);
  const missing = [fromTag, toTag]
    .filter((tag) => !tags.has(tag))
    .map((tag) => ({ tag, reason: `tag ${tag} not found in ${input.repo}` }));
  if (missing.length > 0) {
    const tagsNotFound = missing.map(({ tag }) => `tag ${tag}`).join(" and ");
    const fallback = `${tagsNotFound} not found in ${input.repo}; showing no commits`;
    return { ...base, effect, ...empty, missing, fallback };
  }

  // A downgrade removes what `from` has and `to` has not: the same range, read the other way round.
  const [older, newer] = direction === "upgrade" ? [fromTag, toTag] : [toTag, fromTag];
  const listed = await input.git.listCommitsBetween(input.repo, older, newer, { limit: limit + 1 });
  const truncated = listed.length > limit;
  const projects = input.jiraProject ? [input.jiraProject] : undefined;

  const commits: ChangelogCommit[] = listed.slice(0, limit).map((commit) => {
    const url = input.commitUrl?.(commit.sha);
    return {
      sha: commit.sha,
      subject: commit.subject,
      author: commit.authorName,
      date: commit.date,
      ...(url !== undefined && { url }),
      jiraKeys: extractJiraKeys(commit.message, projects),
    };
  });

  const tickets = new Map<string, ChangelogTicket>();
  for (const commit of commits) {
    for (const key of commit.jiraKeys) {
      let ticket = tickets.get(key);
      if (!ticket) {
        const url = ticketUrl(input.jiraBaseUrl, key);
        ticket = { key, ...(url !== undefined && { url }), commits: [] };
        tickets.set(key, ticket);
      }
      ticket.commits.push(commit.sha);
    }
  }

  return {
    ...base,
    effect,
    commits,
    tickets: [...tickets.values()],
    unticketed: commits.filter((commit) => commit.jiraKeys.length === 0).map((commit) => commit.sha),
    truncated,
  };
}

/** The release tag of `version` under `pattern` ("v{version}" → "v1.2.3"). */
export function tagName(pattern: string, version: string): string {
  if (!pattern.includes("{version}")) {
    throw new ConfigError(`tagPattern "${pattern}" must contain {version}, as in "v{version}" or "release-{version}"`);
  }
  return pattern.replaceAll("{version}", version);
}

/**
 * Helm's order when both are versions (`v1.2.3` and `1.2.3` are the same; builds of one version are ordered by their
 * metadata text, so moving between them is a change); otherwise only "same" or not, and a move is read as an upgrade.
 */
function compareVersions(from: string, to: string): Changelog["direction"] {
  const [a, b] = [parseChartVersionText(from), parseChartVersionText(to)];
  if (a && b) {
    const order = compareHelmVersions(a, b) || (a.metadata < b.metadata ? -1 : a.metadata > b.metadata ? 1 : 0);
    return order === 0 ? "same" : order < 0 ? "upgrade" : "downgrade";
  }
  return from === to ? "same" : "upgrade";
}

function ticketUrl(base: string | undefined, key: string): string | undefined {
  if (!base) return undefined;
  return `${base.replace(/\/+$/, "")}/browse/${encodeURIComponent(key)}`;
}
