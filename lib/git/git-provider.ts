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

export interface GitProvider {
  readonly kind: string;
  /** The commit at the head of `branch`; throws GitError when the repository or branch does not exist. */
  branchHead(repo: string, branch: string): Promise<BranchHead>;
  /** Reads several files at one commit in one go; a missing file maps to undefined. */
  readFiles(repo: string, commitSha: string, paths: string[]): Promise<Map<string, string | undefined>>;
  /** Commits reachable from `ref`, newest first; with `firstParent`, the merge history of a branch. */
  listHistory(repo: string, ref: string, options?: { limit?: number; firstParent?: boolean; path?: string }): Promise<GitCommit[]>;
  /** Tags of a repository with the commit they point at. */
  listTags(repo: string): Promise<Map<string, string>>;
}
