/**
 * The port every git host sits behind. Stack and service repositories are named by `repo` strings from
 * slipway.yaml; each adapter decides what they mean (a path or git URL for `local`, owner/name for GitHub).
 * Domain code depends on this interface only, never on an adapter's types.
 */
export interface GitCommit {
  sha: string;
  /** First line of the message. */
  subject: string;
  message: string;
  authorName: string;
  authorEmail: string;
  date: Date;
  parents: string[];
}

export interface BranchHead {
  sha: string;
  date: Date;
}

export interface FileChange {
  /** Path from the repository root. */
  path: string;
  content: string;
}

export interface NewBranchCommit {
  /** Commit the new branch starts from (usually the environment branch head the plan was made on). */
  baseSha: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
  files: FileChange[];
  /**
   * Makes the commit a merge of `baseSha` and this commit (a tag's or another branch's), as `git merge` would: its tree
   * is git's three-way merge of the two, its parents both. A conflict is a GitError naming the paths, and nothing is
   * created. `files` must be empty then: a merge carries exactly what it merges.
   */
  mergeOf?: string;
}

export interface ListHistoryOptions {
  limit?: number;
  firstParent?: boolean;
  path?: string;
  until?: string;
}

export interface PrefetchBranch {
  repo: string;
  branch: string;
  /** Files the refresh will read at the head, from the repository root. */
  paths: string[];
  /**
   * Release history will list first-parent commits from the head, filtered by this stack folder (none: the whole
   * repository): an adapter may read the newest of them in the same go.
   */
  history?: { path?: string };
}

export interface GitProvider {
  readonly kind: string;
  /** The commit at the head of `branch`; throws GitError when the repository or branch does not exist. */
  branchHead(repo: string, branch: string): Promise<BranchHead>;
  /**
   * Optional: reads the heads of many branches, and the named files at those heads, in as few requests as the host
   * allows, before a refresh reads its environments one by one. What it read answers that refresh's branchHead and
   * readFiles calls (a head once, then it is asked again; files at a commit for as long as they are kept), and the first
   * listHistory from a head it read with `history` when what it read answers it whole. Failures are
   * the adapter's to swallow: a branch it could not read is simply asked for again by branchHead.
   */
  prefetchBranches?(branches: PrefetchBranch[]): Promise<void>;
  /** Reads several files at one commit in one go; a missing file maps to undefined. */
  readFiles(repo: string, commitSha: string, paths: string[]): Promise<Map<string, string | undefined>>;
  /**
   * The same files at many commits, commit sha → path → content (missing: undefined). Optional: release history reads
   * a stack at hundreds of commits, which plain git does in a few processes instead of two per commit; callers fall
   * back to readFiles per commit where an adapter lacks it.
   */
  readFilesAtCommits?(repo: string, commitShas: string[], paths: string[]): Promise<Map<string, Map<string, string | undefined>>>;
  /**
   * Commits reachable from `ref`, newest first; with `firstParent`, the merge history of a branch. `until`: the caller
   * looks for this commit and needs nothing older, so the listing may end once it is listed (a hint: adapters for
   * which listing is cheap ignore it).
   */
  listHistory(repo: string, ref: string, options?: ListHistoryOptions): Promise<GitCommit[]>;
  /** Tags of a repository with the commit they point at. */
  listTags(repo: string): Promise<Map<string, string>>;
  /** Commits reachable from `head` but not from `base` (`git log base..head`), newest first. */
  listCommitsBetween(repo: string, base: string, head: string, options?: { limit?: number }): Promise<GitCommit[]>;
  /**
   * Creates `branch` at one new commit on top of `baseSha` holding every file change: one atomic commit, never one
   * per file. Throws GitError when the branch already exists.
   */
  createBranchWithCommit(repo: string, commit: NewBranchCommit): Promise<{ sha: string }>;
  /** The best common ancestor of two commits (`git merge-base`), or undefined when they share no history. */
  mergeBase(repo: string, a: string, b: string): Promise<string | undefined>;
  /** Creates a lightweight tag at `sha`. Throws GitError when the tag already exists (never moves one). */
  createTag(repo: string, name: string, sha: string): Promise<void>;
  /**
   * Moves `branch` forward to `sha`, creating it if it does not exist. Never rewrites: a branch holding commits `sha`
   * lacks is a GitError (not a fast-forward), and it is left as it is.
   */
  advanceBranch(repo: string, branch: string, sha: string): Promise<"created" | "fast-forwarded" | "unchanged">;
}
