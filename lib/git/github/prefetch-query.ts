/**
 * The GraphQL query a refresh's prefetch sends: per repository one alias, per branch one `ref` alias inside it, and
 * per wanted file one `file(path:)` alias on the branch's head commit, so one query reads the heads and chart files of
 * many repositories. Names and paths travel as variables, never spliced into the query text. Pure: built and read
 * here, sent by branch-prefetch.ts.
 */

export interface PrefetchRepository {
  owner: string;
  name: string;
  branches: { branch: string; paths: string[] }[];
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

export const repositoryAlias = (r: number) => `r${r}`;
export const branchAlias = (b: number) => `b${b}`;
export const fileAlias = (f: number) => `f${f}`;

export function buildPrefetchQuery(repositories: PrefetchRepository[]): PrefetchQuery {
  const variables: Record<string, string> = {};
  const declarations: string[] = [];
  const variable = (name: string, value: string) => {
    variables[name] = value;
    declarations.push(`$${name}: String!`);
    return `$${name}`;
  };
  const selections = repositories.map((repo, r) => {
    const refs = repo.branches.map(({ branch, paths }, b) => {
      const files = paths.map((path, f) => `${fileAlias(f)}: file(path: ${variable(`p${r}_${b}_${f}`, path)}) { ...StackFile }`);
      return (
        `${branchAlias(b)}: ref(qualifiedName: ${variable(`q${r}_${b}`, `refs/heads/${branch}`)}) ` +
        `{ target { ... on Commit { oid committedDate ${files.join(" ")} } } }`
      );
    });
    return `${repositoryAlias(r)}: repository(owner: ${variable(`o${r}`, repo.owner)}, name: ${variable(`n${r}`, repo.name)}) { ${refs.join(" ")} }`;
  });
  const query = `query SlipwayPrefetch(${declarations.join(", ")}) { ${selections.join(" ")} rateLimit { cost remaining } } ${FILE_FRAGMENT}`;
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

export interface PrefetchedBranch {
  /** Undefined when the repository or the branch was not found (or not readable): branchHead will say which. */
  head?: { sha: string; date: Date };
  files: PrefetchedFile[];
}

/** The answer for branch `b` of repository `r` in the query's data. */
export function readPrefetchedBranch(data: PrefetchData | null | undefined, r: number, b: number, fileCount: number, maxBytes: number): PrefetchedBranch {
  const repository = (data as Record<string, unknown> | null | undefined)?.[repositoryAlias(r)] as Record<string, unknown> | null | undefined;
  const ref = repository?.[branchAlias(b)] as { target?: PrefetchedTarget | null } | null | undefined;
  const target = ref?.target;
  if (!target || typeof target.oid !== "string" || typeof target.committedDate !== "string") return { files: [] };
  const date = new Date(target.committedDate);
  if (Number.isNaN(date.getTime())) return { files: [] };
  const files = Array.from({ length: fileCount }, (_, f) => readPrefetchedFile(target[fileAlias(f)] as PrefetchedFileEntry | null, maxBytes));
  return { head: { sha: target.oid, date }, files };
}
