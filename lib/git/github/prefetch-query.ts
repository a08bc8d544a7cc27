/**
 * The GraphQL query a refresh's prefetch sends: per repository one alias, per branch one `ref` alias inside it, and
 * per wanted file one `file(path:)` alias on the branch's head commit, so one query reads the heads and chart files of
 * many repositories. Names and paths travel as variables, never spliced into the query text. Pure: built and read
 * here, sent by branch-prefetch.ts.
 */
import type { GitCommit } from "../git-provider";

export interface PrefetchRepository {
  owner: string;
  name: string;
  /**
   * `history`: the newest commits from the head too, and those touching each of `paths` (stack folders), for release
   * history's first listing.
   */
  branches: { branch: string; paths: string[]; history?: { paths: string[] } }[];
}

export interface PrefetchQuery {
  query: string;
  variables: Record<string, string>;
}

/**
 * What Slipway reads of a file: enough to tell a text blob it may keep (size, binary, truncated) from one the REST path
 * must decide on (a symlink, a blob too large or binary). No connections anywhere, so GitHub scores the query 1 point.
 */
const FILE_FRAGMENT = "fragment StackFile on TreeEntry { type mode object { ... on Blob { byteSize isBinary isTruncated text } } }";

/**
 * Commits of history read with a head: as many as "list commits" serves a page. Each one's parents are a connection,
 * so GitHub scores a branch's history about 1 point (100 requests / 100) where heads and files alone cost nothing.
 */
export const HISTORY_WINDOW = 100;
/** Parents asked per commit: a merge of more (an octopus beyond 20) makes the window unusable, and REST lists instead. */
const MAX_PARENTS = 20;
const HISTORY_FRAGMENT = `fragment HistoryCommit on Commit { oid message committedDate author { name email } parents(first: ${MAX_PARENTS}) { totalCount nodes { oid } } }`;

export const repositoryAlias = (r: number) => `r${r}`;
export const branchAlias = (b: number) => `b${b}`;
export const fileAlias = (f: number) => `f${f}`;
export const touchingAlias = (t: number) => `t${t}`;

export function buildPrefetchQuery(repositories: PrefetchRepository[]): PrefetchQuery {
  const variables: Record<string, string> = {};
  const declarations: string[] = [];
  // GraphQL refuses a fragment the query does not use: each goes along only where it is spread.
  let wantsFiles = false;
  let wantsHistory = false;
  const variable = (name: string, value: string) => {
    variables[name] = value;
    declarations.push(`$${name}: String!`);
    return `$${name}`;
  };
  const selections = repositories.map((repo, r) => {
    const refs = repo.branches.map(({ branch, paths, history }, b) => {
      const files = paths.map((path, f) => `${fileAlias(f)}: file(path: ${variable(`p${r}_${b}_${f}`, path)}) { ...StackFile }`);
      if (files.length > 0) wantsFiles = true;
      if (history) {
        wantsHistory = true;
        files.push(`h: history(first: ${HISTORY_WINDOW}) { pageInfo { hasNextPage } nodes { ...HistoryCommit } }`);
        history.paths.forEach((path, t) => {
          const filter = variable(`t${r}_${b}_${t}`, path);
          files.push(`${touchingAlias(t)}: history(first: ${HISTORY_WINDOW}, path: ${filter}) { pageInfo { hasNextPage } nodes { oid } }`);
        });
      }
      return (
        `${branchAlias(b)}: ref(qualifiedName: ${variable(`q${r}_${b}`, `refs/heads/${branch}`)}) ` +
        `{ target { ... on Commit { oid committedDate ${files.join(" ")} } } }`
      );
    });
    return `${repositoryAlias(r)}: repository(owner: ${variable(`o${r}`, repo.owner)}, name: ${variable(`n${r}`, repo.name)}) { ${refs.join(" ")} }`;
  });
  const fragments = [wantsFiles && FILE_FRAGMENT, wantsHistory && HISTORY_FRAGMENT].filter(Boolean).join(" ");
  const query = `query SlipwayPrefetch(${declarations.join(", ")}) { ${selections.join(" ")} rateLimit { cost remaining } } ${fragments}`;
  return { query, variables };
}

/** One file as the query returns it; `object` is empty for a tree or submodule (only Blob fields are asked for). */
export interface PrefetchedFileEntry {
  type: string;
  mode: number;
  object: { byteSize?: number; isBinary?: boolean | null; isTruncated?: boolean; text?: string | null } | null;
}

interface PrefetchedTarget {
  oid?: string;
  committedDate?: string;
  [alias: string]: unknown;
}

export type PrefetchData = Record<string, Record<string, { target: PrefetchedTarget | null } | null> | null | unknown>;

/** A file as Slipway keeps it: its text, missing (undefined), or not decided here (the REST path reads it). */
export type PrefetchedFile = { kind: "text"; text: string } | { kind: "missing" } | { kind: "undecided" };

/** Git's mode for a symbolic link (0o120000), as GraphQL reports modes: in decimal. */
const SYMLINK_MODE = 0o120000;

/**
 * A tree entry → what readFiles would return for it. A directory or submodule is no file (REST: undefined too). A
 * symlink, a binary or truncated blob and one over `maxBytes` are left to the REST path, which answers them as it
 * always has (a target file, an error naming the size).
 */
export function readPrefetchedFile(entry: PrefetchedFileEntry | null | undefined, maxBytes: number): PrefetchedFile {
  if (!entry) return { kind: "missing" };
  if (entry.type === "tree" || entry.type === "commit") return { kind: "missing" };
  if (entry.type !== "blob" || entry.mode === SYMLINK_MODE) return { kind: "undecided" };
  const blob = entry.object;
  if (!blob || typeof blob.byteSize !== "number" || blob.byteSize > maxBytes) return { kind: "undecided" };
  if (blob.isBinary !== false || blob.isTruncated !== false || typeof blob.text !== "string") return { kind: "undecided" };
  return { kind: "text", text: blob.text };
}

/**
 * The newest commits from a head, in "list commits" order, as far as the window reached; `complete` when that is the
 * whole history. `touching`: per path asked, the same for the commits touching it.
 */
export interface PrefetchedHistory {
  commits: GitCommit[];
  complete: boolean;
  touching: Map<string, { shas: string[]; complete: boolean }>;
}

export interface PrefetchedBranch {
  /** Undefined when the repository or the branch was not found (or not readable): branchHead will say which. */
  head?: { sha: string; date: Date };
  files: PrefetchedFile[];
  /** Undefined when not asked for, or not usable (a malformed answer, a merge of more parents than were asked). */
  history?: PrefetchedHistory;
}

interface HistoryNode {
  oid?: unknown;
  message?: unknown;
  committedDate?: unknown;
  author?: { name?: unknown; email?: unknown } | null;
  parents?: { totalCount?: unknown; nodes?: ({ oid?: unknown } | null)[] | null } | null;
}

interface HistoryPage<T> {
  pageInfo?: { hasNextPage?: unknown } | null;
  nodes?: (T | null)[] | null;
}

/** One listed commit → the port's GitCommit, as the REST adapter reads one (committer date, message without trailing newlines). */
function toHistoryCommit(node: HistoryNode | null): GitCommit | undefined {
  if (!node || typeof node.oid !== "string" || typeof node.message !== "string" || typeof node.committedDate !== "string") return undefined;
  const date = new Date(node.committedDate);
  // A hostile or broken answer may hold more than was asked: then it is not the answer to this query.
  if ((node.parents?.nodes?.length ?? 0) > MAX_PARENTS) return undefined;
  const parents = node.parents?.nodes?.map((parent) => parent?.oid);
  if (Number.isNaN(date.getTime()) || !parents || !parents.every((oid): oid is string => typeof oid === "string")) return undefined;
  if (node.parents?.totalCount !== parents.length) return undefined;
  const message = node.message.trimEnd();
  return {
    sha: node.oid,
    subject: message.split("\n")[0] ?? "",
    message,
    authorName: typeof node.author?.name === "string" ? node.author.name : "",
    authorEmail: typeof node.author?.email === "string" ? node.author.email : "",
    date,
    parents,
  };
}

function readHistory(target: PrefetchedTarget, paths: string[]): PrefetchedHistory | undefined {
  const listed = target.h as HistoryPage<HistoryNode> | null | undefined;
  if (!listed?.nodes || listed.nodes.length > HISTORY_WINDOW || typeof listed.pageInfo?.hasNextPage !== "boolean") return undefined;
  const commits = listed.nodes.map(toHistoryCommit);
  if (!commits.every((commit): commit is GitCommit => commit !== undefined) || commits[0]?.sha !== target.oid) return undefined;
  const touching = new Map<string, { shas: string[]; complete: boolean }>();
  for (const [t, path] of paths.entries()) {
    const page = target[touchingAlias(t)] as HistoryPage<{ oid?: unknown }> | null | undefined;
    if ((page?.nodes?.length ?? 0) > HISTORY_WINDOW) return undefined;
    const shas = page?.nodes?.map((node) => node?.oid);
    if (!shas || typeof page?.pageInfo?.hasNextPage !== "boolean" || !shas.every((oid): oid is string => typeof oid === "string")) return undefined;
    touching.set(path, { shas, complete: !page.pageInfo.hasNextPage });
  }
  return { commits, complete: !listed.pageInfo.hasNextPage, touching };
}

/** The answer for branch `b` of repository `r` in the query's data. */
export function readPrefetchedBranch(
  data: PrefetchData | null | undefined,
  r: number,
  b: number,
  asked: { fileCount: number; history?: { paths: string[] } },
  maxBytes: number,
): PrefetchedBranch {
  const repository = (data as Record<string, unknown> | null | undefined)?.[repositoryAlias(r)] as Record<string, unknown> | null | undefined;
  const ref = repository?.[branchAlias(b)] as { target?: PrefetchedTarget | null } | null | undefined;
  const target = ref?.target;
  if (!target || typeof target.oid !== "string" || typeof target.committedDate !== "string") return { files: [] };
  const date = new Date(target.committedDate);
  if (Number.isNaN(date.getTime())) return { files: [] };
  const files = Array.from({ length: asked.fileCount }, (_, f) => readPrefetchedFile(target[fileAlias(f)] as PrefetchedFileEntry | null, maxBytes));
  const history = asked.history ? readHistory(target, asked.history.paths) : undefined;
  return { head: { sha: target.oid, date }, files, ...(history && { history }) };
}
