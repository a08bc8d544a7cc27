/** What a commit subject says about the change behind it. */
export interface ChangeReference {
  /** A GitHub pull request number. */
  pullRequest?: number;
  /** A Slipway change request id (plain git: Slipway merges with "Merge change request #7: …"). */
  changeRequest?: number;
}

/** Postgres `integer`: a subject naming a larger number is not a reference worth storing. */
const MAX_REFERENCE = 2_147_483_647;

const MERGE_PULL_REQUEST = /^Merge pull request #(\d{1,10}) from /;
/** GitHub's squash merge appends ` (#12)` to the pull request's title. */
const SQUASH_SUFFIX = /\(#(\d{1,10})\)\s*$/;
const MERGE_CHANGE_REQUEST = /^Merge change request #(\d{1,10})\b/;

export function parseChangeReference(subject: string): ChangeReference {
  const changeRequest = number(MERGE_CHANGE_REQUEST.exec(subject)?.[1]);
  if (changeRequest !== undefined) return { changeRequest };
  const pullRequest = number(MERGE_PULL_REQUEST.exec(subject)?.[1] ?? SQUASH_SUFFIX.exec(subject)?.[1]);
  return pullRequest !== undefined ? { pullRequest } : {};
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return value > 0 && value <= MAX_REFERENCE ? value : undefined;
}
