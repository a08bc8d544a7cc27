import { extractJiraKeys } from "@/lib/changelog/extract-jira-keys";
import { tagName } from "@/lib/changelog/build-changelog";
import type { EnvironmentConfig, ServiceConfig, WorkspaceConfig } from "@/lib/config/schema";
import { ValidationError, errorMessage } from "@/lib/errors";
import type { GitCommit, GitProvider } from "@/lib/git/git-provider";
import { compareChartVersions, parseChartVersionText } from "@/lib/versions/chart-version";
import { readVersionsAt } from "./read-versions-at";

/** How far back a service's history is searched for commits naming a ticket. */
const TICKET_SEARCH_LIMIT = 2000;

const TICKET = /^[A-Z][A-Z0-9]{1,19}-[1-9][0-9]{0,8}$/;
const COMMIT = /^[0-9a-f]{7,40}$/;

export type Containment = "yes" | "no" | "partly" | "unknown";

/** Whether one environment's running version of one service contains the ticket or commit. */
export interface WhereRunningCell {
  environment: string;
  service: string;
  running?: string;
  contains: Containment;
  /** Why the answer is unknown (a tag missing, a range nothing locks, a repository that cannot be read). */
  reason?: string;
}

export interface WhereRunningAnswer {
  query: string;
  kind: "ticket" | "commit";
  /** Per service whose repository has the ticket's or commit's commits: where they are, and since which version. */
  services: {
    service: string;
    repo: string;
    /** The commits found: for a ticket, every commit naming it (newest first); for a commit, that commit. */
    commits: { sha: string; subject: string }[];
    /** The first released version containing all of them, when one is known. */
    since?: string;
    environments: WhereRunningCell[];
  }[];
  /** Services whose repository could not be searched, and why. */
  problems: { service: string; error: string }[];
}

export interface WhereRunningDeps {
  config: WorkspaceConfig;
  git: GitProvider;
}

/**
 * "Where is it running?": for a Jira key (`PAY-123`) or a commit, each environment that runs a service whose
 * repository has it, and whether the running version contains it: a commit is in a version when it is an ancestor of
 * that version's release tag (the service's `tagPattern`); a ticket is in it when all of its commits are ("partly"
 * when some are). `environments` are those the caller may see; what each runs is read from its branch head.
 */
export async function findWhereRunning(deps: WhereRunningDeps, environments: EnvironmentConfig[], query: string): Promise<WhereRunningAnswer> {
  const text = query.trim();
  const kind = TICKET.test(text.toUpperCase()) ? "ticket" : COMMIT.test(text.toLowerCase()) ? "commit" : undefined;
  if (!kind) throw new ValidationError(`"${text.slice(0, 60)}" is neither a Jira key (like PAY-123) nor a commit id (7 to 40 hex digits).`);
  const wanted = kind === "ticket" ? text.toUpperCase() : text.toLowerCase();

  const running = await runningVersions(deps, environments);
  const answer: WhereRunningAnswer = { query: wanted, kind, services: [], problems: [] };
  for (const [service, config] of Object.entries(deps.config.services)) {
    if (!config.repo) continue;
    const versions = running.get(service) ?? running.get(config.chart ?? service);
    if (!versions || versions.size === 0) continue;
    try {
      const found = await searchService(deps.git, service, config, versions, kind, wanted);
      if (found) answer.services.push(found);
    } catch (error) {
      answer.problems.push({ service, error: errorMessage(error) });
    }
  }
  return answer;
}

/** service → environment → running version (exact versions only; a range nothing locks is kept as written). */
async function runningVersions(deps: WhereRunningDeps, environments: EnvironmentConfig[]): Promise<Map<string, Map<string, { version: string; exact: boolean }>>> {
  const byService = new Map<string, Map<string, { version: string; exact: boolean }>>();
  await Promise.all(
    environments.map(async (env) => {
      let pins;
      try {
        const head = await deps.git.branchHead(env.repo, env.branch);
        pins = await readVersionsAt(deps.git, env, head.sha);
      } catch {
        return; // an environment that cannot be read says nothing about where a commit runs
      }
      for (const pin of pins.values()) {
        for (const key of new Set([pin.service, pin.chart])) {
          const envs = byService.get(key) ?? new Map();
          envs.set(env.name, { version: pin.version, exact: !pin.unpinned });
          byService.set(key, envs);
        }
      }
    }),
  );
  return byService;
}

async function searchService(
  git: GitProvider,
  service: string,
  config: ServiceConfig,
  running: Map<string, { version: string; exact: boolean }>,
  kind: "ticket" | "commit",
  wanted: string,
): Promise<WhereRunningAnswer["services"][number] | undefined> {
  const repo = config.repo!;
  const tags = await git.listTags(repo);
  const tagOf = (version: string) => tagName(config.tagPattern, version);
  // Released versions with a tag, oldest first: where to look for "since".
  const released = [...tags.keys()]
    .flatMap((tag) => {
      const version = versionOfTag(config.tagPattern, tag);
      return version && parseChartVersionText(version) ? [version] : [];
    })
    .sort((a, b) => compareChartVersions(a, b) ?? 0);
  const newest = released.at(-1);
  if (!newest) return undefined;

  const commits = kind === "commit" ? await findCommit(git, repo, tagOf(newest), wanted) : await findTicketCommits(git, repo, tagOf(newest), wanted, config.jiraProject);
  if (commits.length === 0) return undefined;

  // A release contains a commit when the commit is an ancestor of its tag: nothing reachable from the commit is
  // missing from the tag.
  const cache = new Map<string, Promise<boolean>>();
  const contains = (tag: string, sha: string) => {
    const key = `${tag}\u0000${sha}`;
    if (!cache.has(key)) cache.set(key, git.listCommitsBetween(repo, tag, sha, { limit: 1 }).then((missing) => missing.length === 0));
    return cache.get(key)!;
  };
  const containsAll = async (tag: string) => (await Promise.all(commits.map((c) => contains(tag, c.sha)))).every(Boolean);

  const environments: WhereRunningCell[] = [];
  for (const [environment, { version, exact }] of running) {
    const base = { environment, service, running: version };
    if (!exact) {
      environments.push({ ...base, contains: "unknown", reason: `"${version}" is not an exact version and nothing locks it, so what runs is not known` });
      continue;
    }
    const tag = tagOf(version);
    if (!tags.has(tag)) {
      environments.push({ ...base, contains: "unknown", reason: `${repo} has no tag ${tag}` });
      continue;
    }
    const inside = await Promise.all(commits.map((c) => contains(tag, c.sha)));
    const count = inside.filter(Boolean).length;
    environments.push({ ...base, contains: count === commits.length ? "yes" : count === 0 ? "no" : "partly" });
  }

  // Containment only grows along a line of releases, so the first containing release is found by bisection.
  let since: string | undefined;
  if (await containsAll(tagOf(newest))) {
    let [low, high] = [0, released.length - 1];
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (await containsAll(tagOf(released[middle]!))) high = middle;
      else low = middle + 1;
    }
    since = released[low];
  }
  return {
    service,
    repo,
    commits: commits.map((c) => ({ sha: c.sha, subject: c.subject })),
    ...(since !== undefined && { since }),
    environments: environments.sort((a, b) => a.environment.localeCompare(b.environment)),
  };
}

async function findCommit(git: GitProvider, repo: string, ref: string, wanted: string): Promise<GitCommit[]> {
  // Newest release first: a commit that is in no release is searched for among everything since the oldest too.
  const commits = await git.listHistory(repo, ref, { limit: TICKET_SEARCH_LIMIT });
  return commits.filter((commit) => commit.sha.startsWith(wanted)).slice(0, 1);
}

async function findTicketCommits(git: GitProvider, repo: string, ref: string, key: string, project?: string): Promise<GitCommit[]> {
  const commits = await git.listHistory(repo, ref, { limit: TICKET_SEARCH_LIMIT });
  return commits.filter((commit) => extractJiraKeys(commit.message, project ? [project] : undefined).includes(key));
}

/** The version a tag names under `pattern` ("v{version}", "v1.2.3" → "1.2.3"), or undefined. */
function versionOfTag(pattern: string, tag: string): string | undefined {
  const [before, after] = pattern.split("{version}") as [string, string];
  if (!tag.startsWith(before) || !tag.endsWith(after) || tag.length <= before.length + after.length) return undefined;
  return tag.slice(before.length, tag.length - after.length);
}
