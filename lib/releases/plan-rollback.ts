import type { EnvironmentConfig } from "@/lib/config/schema";
import { ValidationError, hasErrorName } from "@/lib/errors";
import type { GitCommit } from "@/lib/git/git-provider";
import { type PreparedUpgrade, type ReleaseDeps, planUpgrade } from "./plan-upgrade";
import {
  type PinnedVersion,
  setAsideUnpublished,
  readVersionsAt,
  readVersionsForPlan,
  samePinnedVersion as sameVersion,
} from "./read-versions-at";

/** How far back along the branch a rollback target is looked for. */
export const ROLLBACK_HISTORY_LIMIT = 5000;
/** How far back "the previous version of one service" is looked for, commit by commit. */
const PREVIOUS_VERSION_LIMIT = 200;

const SHA = /^[0-9a-f]{7,40}$/;
const TAG = /^(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

export interface RollbackTarget {
  sha: string;
  subject: string;
  author: string;
  date: string;
}

/** What rolling the environment back to a commit would do, before anyone chooses anything. */
export interface RollbackPreview {
  environment: string;
  /** The environment branch head the preview was made on. */
  baseSha: string;
  to: RollbackTarget;
  /** Services that ran another version then, and would go back to it. */
  changes: { service: string; chart: string; from: string; to: string }[];
  /** Services added since that commit: a rollback of versions leaves them as they are. */
  addedSince: { service: string; version: string }[];
  /** Services removed since that commit: a rollback of versions does not bring them back. */
  removedSince: { service: string; version: string }[];
  /** Services that differ but cannot be rolled back precisely (a range nothing locked, on either side). */
  unresolved: { service: string; reason: string }[];
}

/**
 * What rolling `env` back to `ref` (a commit of its branch, full or abbreviated, or a tag) would change: the versions
 * pinned at that commit against the branch head, service by service. Services added or removed since are listed, never
 * dropped silently. Bad input is a ValidationError that says what was wrong, and nothing is written.
 */
export async function previewRollback(deps: ReleaseDeps, env: EnvironmentConfig, ref: string): Promise<RollbackPreview> {
  const head = await deps.git.branchHead(env.repo, env.branch);
  const target = await findBranchCommit(deps, env, ref.trim(), head.sha);
  if (target.sha === head.sha) {
    throw new ValidationError(`${target.sha.slice(0, 8)} is the head of ${env.branch}: ${env.name} already runs that state.`);
  }
  const [now, then] = await Promise.all([
    readVersionsForPlan(deps.git, env, head.sha, "the branch head"),
    readVersionsForPlan(deps.git, env, target.sha, target.sha.slice(0, 8)),
  ]);

  const preview: RollbackPreview = {
    environment: env.name,
    baseSha: head.sha,
    to: { sha: target.sha, subject: target.subject, author: target.authorName, date: target.date.toISOString() },
    changes: [],
    addedSince: [],
    removedSince: [],
    unresolved: [],
  };
  for (const [service, current] of now) {
    const earlier = then.get(service);
    if (!earlier) {
      preview.addedSince.push({ service, version: current.version });
      continue;
    }
    if (sameVersion(current, earlier)) continue;
    if (current.unpinned || earlier.unpinned) {
      const side = earlier.unpinned ? `at ${target.sha.slice(0, 8)} it pinned "${earlier.version}"` : `it pins "${current.version}" now`;
      preview.unresolved.push({ service, reason: `${side}, not an exact version, and nothing locks it, so there is no exact version to go back to` });
      continue;
    }
    preview.changes.push({ service, chart: earlier.chart, from: current.version, to: earlier.version });
  }
  // Versions the registry no longer publishes cannot be gone back to: listed with why, not offered.
  await setAsideUnpublished(deps, preview, now);
  for (const [service, earlier] of then) {
    if (!now.has(service)) preview.removedSince.push({ service, version: earlier.version });
  }
  if (preview.changes.length === 0 && preview.unresolved.length === 0) {
    throw new ValidationError(
      `${env.name} already runs the versions it ran at ${target.sha.slice(0, 8)} (${target.subject}): there is nothing to roll back.`,
    );
  }
  return preview;
}

/**
 * Plans the rollback as a release request of kind "rollback": the chosen services (default: every one that changes)
 * go back to the versions of that commit, through the same edit, changelog (run backwards: the commits and tickets
 * taken out), review and idempotency as an upgrade.
 */
export async function planRollback(
  deps: ReleaseDeps,
  env: EnvironmentConfig,
  input: { to: string; services?: string[] },
): Promise<PreparedUpgrade & { preview: RollbackPreview }> {
  const preview = await previewRollback(deps, env, input.to);
  const chosen = chooseServices(preview, input.services);
  const prepared = await planUpgrade(
    deps,
    env,
    chosen.map((change) => ({ service: change.service, version: change.to })),
    { kind: "rollback", to: { sha: preview.to.sha, subject: preview.to.subject } },
  );
  return { ...prepared, preview };
}

function chooseServices(preview: RollbackPreview, services: string[] | undefined): RollbackPreview["changes"] {
  if (services === undefined) {
    if (preview.changes.length === 0) throw new ValidationError(describeUnresolved(preview));
    return preview.changes;
  }
  if (services.length === 0) throw new ValidationError("Choose at least one service to roll back.");
  const byService = new Map(preview.changes.map((change) => [change.service, change]));
  return services.map((service) => {
    const change = byService.get(service);
    if (change) return change;
    const unresolved = preview.unresolved.find((u) => u.service === service);
    if (unresolved) throw new ValidationError(`${service} cannot be rolled back: ${unresolved.reason}.`);
    const choices = preview.changes.map((c) => c.service).join(", ") || "none";
    throw new ValidationError(`${service} does not change in this rollback; the services that do are: ${choices}.`);
  });
}

function describeUnresolved(preview: RollbackPreview): string {
  return `Nothing can be rolled back exactly: ${preview.unresolved.map((u) => `${u.service} (${u.reason})`).join("; ")}.`;
}

/**
 * The most recent earlier commit of the branch where `service` ran another version: "its previous version", for
 * rolling back one service in one click. Undefined when the last commits touching the stack never changed it.
 */
export async function findPreviousVersion(
  deps: ReleaseDeps,
  env: EnvironmentConfig,
  service: string,
): Promise<{ sha: string; version: string } | undefined> {
  const head = await deps.git.branchHead(env.repo, env.branch);
  const current = (await readVersionsForPlan(deps.git, env, head.sha, "the branch head")).get(service);
  if (!current) throw new ValidationError(`${env.name} has no service "${service}".`);
  const commits = await deps.git.listHistory(env.repo, head.sha, {
    firstParent: true,
    limit: PREVIOUS_VERSION_LIMIT,
    ...(env.path ? { path: env.path } : {}),
  });
  for (const commit of commits) {
    if (commit.sha === head.sha) continue;
    let earlier: PinnedVersion | undefined;
    try {
      earlier = (await readVersionsAt(deps.git, env, commit.sha)).get(service);
    } catch {
      continue; // an unreadable chart at some commit says nothing about this service
    }
    if (earlier && !sameVersion(current, earlier)) return { sha: commit.sha, version: earlier.version };
  }
  return undefined;
}

/**
 * The commit `ref` names on the environment's own branch (first-parent, within ROLLBACK_HISTORY_LIMIT merges): a full
 * or abbreviated id, or a tag. Anything else — another branch's commit, an unknown one, junk — is a ValidationError.
 */
export async function findBranchCommit(deps: Pick<ReleaseDeps, "git">, env: EnvironmentConfig, ref: string, headSha: string): Promise<GitCommit> {
  if (!SHA.test(ref) && !TAG.test(ref)) {
    throw new ValidationError(`"${ref.slice(0, 80)}" is neither a commit id (7 to 40 hex digits) nor a tag name.`);
  }
  let wanted = ref;
  if (!SHA.test(ref)) {
    const tagged = (await deps.git.listTags(env.repo)).get(ref);
    if (!tagged) throw new ValidationError(`${env.repo} has no tag "${ref}".`);
    wanted = tagged;
  }
  const history = await deps.git.listHistory(env.repo, headSha, { firstParent: true, limit: ROLLBACK_HISTORY_LIMIT });
  const matches = history.filter((commit) => commit.sha.startsWith(wanted));
  if (matches.length > 1) throw new ValidationError(`"${ref}" names more than one commit of ${env.branch}: give more digits.`);
  if (matches[0]) return matches[0];
  // Not on the branch: a commit of another branch, or no commit at all.
  const exists = await deps.git.listHistory(env.repo, wanted, { limit: 1 }).then(
    (commits) => commits.length > 0,
    (error: unknown) => (hasErrorName(error, "GitError") ? false : Promise.reject(error)),
  );
  throw new ValidationError(
    exists
      ? `${ref} is not a commit of ${env.branch} (within its last ${ROLLBACK_HISTORY_LIMIT} merges): only the environment's own branch counts.`
      : `${env.repo} has no commit ${ref}.`,
  );
}

