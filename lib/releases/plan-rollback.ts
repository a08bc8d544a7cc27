import type { EnvironmentConfig } from "@/lib/config/schema";
import { ValidationError, hasErrorName } from "@/lib/errors";
import type { GitCommit } from "@/lib/git/git-provider";
import { type PreparedUpgrade, type ReleaseDeps, type ReleasePurpose, type UpgradeTarget, planUpgrade } from "./plan-upgrade";
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
  /** Services added since that commit: they stay, unless the rollback is asked to remove them (`remove`). */
  addedSince: { service: string; chart: string; version: string }[];
  /**
   * Services removed since that commit: they stay removed, unless the rollback is asked to bring them back
   * (`restore`). `unavailable` says why one cannot be (a range nothing locked then, a version no longer published).
   */
  removedSince: { service: string; chart: string; version: string; unavailable?: string }[];
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
      preview.addedSince.push({ service, chart: current.chart, version: current.version });
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
  await findRemovedSince(deps, preview, now, then, target.sha);
  const differs = preview.changes.length + preview.unresolved.length + preview.addedSince.length + preview.removedSince.length;
  if (differs === 0) {
    throw new ValidationError(
      `${env.name} already runs the versions it ran at ${target.sha.slice(0, 8)} (${target.subject}): there is nothing to roll back.`,
    );
  }
  return preview;
}

/**
 * What the person chose: `services` to go back to their earlier versions (default: every one that changes), and,
 * one by one, services added since to `remove` and services removed since to `restore`. Nothing is removed or brought
 * back unless named here.
 */
export interface RollbackChoice {
  to: string;
  services?: string[];
  remove?: string[];
  restore?: string[];
}

/**
 * Plans the rollback as a release request of kind "rollback": the chosen services go back to the versions of that
 * commit, and the chosen services added or removed since are taken out or brought back, in one edit (one commit),
 * with the same changelog (run backwards: the commits and tickets taken out), review and idempotency as an upgrade.
 */
export async function planRollback(
  deps: ReleaseDeps,
  env: EnvironmentConfig,
  input: RollbackChoice,
): Promise<PreparedUpgrade & { preview: RollbackPreview }> {
  const preview = await previewRollback(deps, env, input.to);
  const { targets, purpose } = chooseRollback(preview, input);
  const prepared = await planUpgrade(deps, env, targets, purpose);
  return { ...prepared, preview };
}

/**
 * The upgrade targets and purpose a choice makes of a preview, every name checked against it: the rollback page's
 * raise action and the CLI raise exactly what was planned.
 */
export function chooseRollback(
  preview: RollbackPreview,
  input: Omit<RollbackChoice, "to">,
): { targets: UpgradeTarget[]; purpose: Extract<ReleasePurpose, { kind: "rollback" }> } {
  const remove = unique(input.remove ?? []);
  const restore = unique(input.restore ?? []);
  const changes = chooseServices(preview, input.services, remove.length + restore.length > 0);
  for (const service of remove) {
    if (preview.addedSince.some((s) => s.service === service)) continue;
    throw new ValidationError(`${service} was not added since ${preview.to.sha.slice(0, 8)}, so this rollback does not remove it${listOf(" the services added since are", preview.addedSince)}.`);
  }
  for (const service of restore) {
    const removed = preview.removedSince.find((s) => s.service === service);
    if (!removed) {
      throw new ValidationError(`${service} was not removed since ${preview.to.sha.slice(0, 8)}, so there is nothing to bring back${listOf(" the services removed since are", preview.removedSince)}.`);
    }
    if (removed.unavailable) throw new ValidationError(`${service} cannot be brought back: ${removed.unavailable}.`);
  }
  return {
    targets: changes.map((change) => ({ service: change.service, version: change.to })),
    purpose: {
      kind: "rollback",
      to: { sha: preview.to.sha, subject: preview.to.subject },
      ...(remove.length > 0 && { remove }),
      ...(restore.length > 0 && { restore }),
    },
  };
}

function chooseServices(preview: RollbackPreview, services: string[] | undefined, membership: boolean): RollbackPreview["changes"] {
  if (services === undefined) {
    if (preview.changes.length === 0 && !membership) throw new ValidationError(describeNothingChosen(preview));
    return preview.changes;
  }
  if (services.length === 0 && !membership) throw new ValidationError("Choose at least one service to roll back.");
  const byService = new Map(preview.changes.map((change) => [change.service, change]));
  return unique(services).map((service) => {
    const change = byService.get(service);
    if (change) return change;
    const unresolved = preview.unresolved.find((u) => u.service === service);
    if (unresolved) throw new ValidationError(`${service} cannot be rolled back: ${unresolved.reason}.`);
    if (preview.addedSince.some((s) => s.service === service)) {
      throw new ValidationError(`${service} was added since ${preview.to.sha.slice(0, 8)}: it has no earlier version to go back to. Choose to remove it instead, if it should go.`);
    }
    if (preview.removedSince.some((s) => s.service === service)) {
      throw new ValidationError(`${service} was removed since ${preview.to.sha.slice(0, 8)}: choose to bring it back instead, if it should return.`);
    }
    const choices = preview.changes.map((c) => c.service).join(", ") || "none";
    throw new ValidationError(`${service} does not change in this rollback; the services that do are: ${choices}.`);
  });
}

function describeNothingChosen(preview: RollbackPreview): string {
  if (preview.unresolved.length > 0) {
    return `Nothing can be rolled back exactly: ${preview.unresolved.map((u) => `${u.service} (${u.reason})`).join("; ")}.`;
  }
  return (
    `${preview.environment} already runs the versions it ran at ${preview.to.sha.slice(0, 8)}; only services were added or removed since. ` +
    "Choose which to remove or bring back: none is changed unless chosen."
  );
}

/**
 * Services of the target commit that are gone now, each with why it could not be brought back, if it could not: a
 * range nothing locked, or a version its registry no longer publishes.
 */
async function findRemovedSince(
  deps: ReleaseDeps,
  preview: RollbackPreview,
  now: Map<string, PinnedVersion>,
  then: Map<string, PinnedVersion>,
  sha: string,
): Promise<void> {
  const gone = [...then.values()].filter((pinned) => !now.has(pinned.service));
  const check = {
    changes: gone.filter((p) => !p.unpinned).map((p) => ({ service: p.service, chart: p.chart, to: p.version })),
    unresolved: [] as { service: string; reason: string }[],
  };
  await setAsideUnpublished(deps, check, then);
  for (const pinned of gone) {
    const unpublished = check.unresolved.find((u) => u.service === pinned.service)?.reason;
    const unavailable = pinned.unpinned
      ? `at ${sha.slice(0, 8)} it pinned "${pinned.version}", not an exact version, and nothing locked it, so there is no exact version to bring back`
      : unpublished;
    preview.removedSince.push({ service: pinned.service, chart: pinned.chart, version: pinned.version, ...(unavailable && { unavailable }) });
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function listOf(prefix: string, services: readonly { service: string }[]): string {
  return services.length > 0 ? `;${prefix}: ${services.map((s) => s.service).join(", ")}` : "";
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

