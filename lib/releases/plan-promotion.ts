import type { EnvironmentConfig, WorkspaceConfig } from "@/lib/config/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { type PreparedUpgrade, type ReleaseDeps, type ReleasePurpose, planUpgrade } from "./plan-upgrade";
import { snapshotMergeBlocker, snapshotMergeHistoryBlocker } from "./plan-snapshot-merge";
import { listSnapshots } from "./snapshots";
import { readVersionsForPlan, samePinnedVersion as sameVersion, setAsideUnpublished } from "./read-versions-at";

/** What promoting one environment's versions onto another would do, before anyone chooses anything. */
export interface PromotionPreview {
  /** The target: the environment whose chart changes. */
  environment: string;
  /** The target's branch head the preview was made on. */
  baseSha: string;
  /** The source, at its branch head or at one of its snapshots (`snapshot`, the tag). */
  from: { environment: string; sha: string; snapshot?: string };
  /** Services both run, at other versions: the target would run the source's. */
  changes: { service: string; chart: string; from: string; to: string }[];
  /** Services only the source runs: never added silently (a promotion moves versions, not the list of services). */
  onlyInSource: { service: string; version: string }[];
  /** Services only the target runs: they stay as they are. */
  onlyInTarget: { service: string; version: string }[];
  /** Services that differ but cannot be promoted exactly (a range nothing locks, on either side). */
  unresolved: { service: string; reason: string }[];
  /**
   * A snapshot promoted onto another branch of the same repository is a merge of its tag when every service moves
   * (`mergeBlocker` unset); otherwise the equivalent version edit, and `mergeBlocker` says why.
   */
  mergeBlocker?: string;
}

/** How the promotion is written: a merge of the snapshot's tag where one is possible ("auto"), or a version edit. */
export type PromotionMode = "auto" | "versions";


/**
 * What `target` would change to run the versions `source` runs now (both branch heads), service by service: the
 * services both have, at other versions. Services only one side has are listed, never added or dropped silently.
 */
export async function previewPromotion(
  deps: ReleaseDeps,
  source: EnvironmentConfig,
  target: EnvironmentConfig,
  snapshot?: string,
): Promise<PromotionPreview> {
  if (source.name === target.name) throw new ValidationError(`${source.name} cannot be promoted onto itself: choose another target.`);
  const [sourceSha, targetHead] = await Promise.all([
    snapshot === undefined ? deps.git.branchHead(source.repo, source.branch).then((head) => head.sha) : snapshotSha(deps, source, snapshot),
    deps.git.branchHead(target.repo, target.branch),
  ]);
  const [from, to] = await Promise.all([
    readVersionsForPlan(deps.git, source, sourceSha, snapshot === undefined ? `the head of ${source.name}` : `snapshot ${snapshot}`),
    readVersionsForPlan(deps.git, target, targetHead.sha, `the head of ${target.name}`),
  ]);
  const preview: PromotionPreview = {
    environment: target.name,
    baseSha: targetHead.sha,
    from: { environment: source.name, sha: sourceSha, ...(snapshot !== undefined && { snapshot }) },
    changes: [],
    onlyInSource: [],
    onlyInTarget: [],
    unresolved: [],
  };
  for (const [service, wanted] of from) {
    const current = to.get(service);
    if (!current) {
      preview.onlyInSource.push({ service, version: wanted.version });
      continue;
    }
    if (current.chart !== wanted.chart) {
      preview.unresolved.push({ service, reason: `it is the chart ${wanted.chart} in ${source.name} but ${current.chart} in ${target.name}` });
      continue;
    }
    if (sameVersion(current, wanted)) continue;
    if (current.unpinned || wanted.unpinned) {
      const where = wanted.unpinned ? `${source.name} pins "${wanted.version}"` : `${target.name} pins "${current.version}"`;
      preview.unresolved.push({ service, reason: `${where}, not an exact version, and nothing locks it, so there is no exact version to promote` });
      continue;
    }
    preview.changes.push({ service, chart: current.chart, from: current.version, to: wanted.version });
  }
  // A version the target's registry does not publish could not be installed there: listed with why, not offered.
  await setAsideUnpublished(deps, preview, to);
  for (const [service, current] of to) {
    if (!from.has(service)) preview.onlyInTarget.push({ service, version: current.version });
  }
  if (snapshot !== undefined) {
    const blocker = snapshotMergeBlocker(source, target, preview) ?? (await snapshotMergeHistoryBlocker(deps.git, target, targetHead.sha, preview.from));
    if (blocker) preview.mergeBlocker = blocker;
  }
  return preview;
}

/**
 * Why the promotion is raised as it is: a merge of the snapshot's tag when it is a snapshot, the mode allows it and
 * the chosen services are all that differ; else a version edit, with the reason (none for the live state).
 */
export function promotionPurpose(
  source: EnvironmentConfig,
  target: EnvironmentConfig,
  preview: PromotionPreview,
  services: readonly string[] | undefined,
  mode: PromotionMode = "auto",
): { purpose: ReleasePurpose & { kind: "promotion" }; editReason?: string } {
  const blocker = mode === "versions" ? "the requester chose a version edit" : (preview.mergeBlocker ?? snapshotMergeBlocker(source, target, preview, services));
  return {
    purpose: { kind: "promotion", from: preview.from, ...(blocker ? {} : { merge: true }) },
    ...(blocker && preview.from.snapshot ? { editReason: blocker } : {}),
  };
}

/**
 * Plans the promotion as a release request of kind "promotion" on the target: the chosen services (default: every
 * one that differs) move to the source's versions, with the same edit, changelog, review and idempotency as an
 * upgrade.
 */
export async function planPromotion(
  deps: ReleaseDeps,
  source: EnvironmentConfig,
  target: EnvironmentConfig,
  services?: string[],
  snapshot?: string,
  mode: PromotionMode = "auto",
): Promise<PreparedUpgrade & { preview: PromotionPreview; purpose: ReleasePurpose }> {
  const preview = await previewPromotion(deps, source, target, snapshot);
  const chosen = chooseServices(preview, services);
  const { purpose, editReason } = promotionPurpose(source, target, preview, services, mode);
  const prepared = await planUpgrade(
    deps,
    target,
    chosen.map((change) => ({ service: change.service, version: change.to })),
    purpose,
  );
  if (editReason) prepared.plan.notes.unshift(`Promoted as a version edit, not a merge of the tag: ${editReason}.`);
  return { ...prepared, preview, purpose };
}

/** The environment of that name, or a NotFoundError naming the known ones. */
export function environmentNamed(config: Pick<WorkspaceConfig, "environments">, name: string): EnvironmentConfig {
  const env = config.environments.find((e) => e.name === name);
  if (!env) throw new NotFoundError(`unknown environment "${name}"; known: ${config.environments.map((e) => e.name).join(", ")}`);
  return env;
}

function chooseServices(preview: PromotionPreview, services: string[] | undefined): PromotionPreview["changes"] {
  const { from, environment } = preview;
  if (services === undefined) {
    if (preview.changes.length > 0) return preview.changes;
    throw new ValidationError(`${environment} already runs every version ${from.environment} runs for the services both have: there is nothing to promote.`);
  }
  if (services.length === 0) throw new ValidationError("Choose at least one service to promote.");
  const byService = new Map(preview.changes.map((change) => [change.service, change]));
  return services.map((service) => {
    const change = byService.get(service);
    if (change) return change;
    if (preview.onlyInSource.some((s) => s.service === service)) {
      throw new ValidationError(`${environment} has no service ${service}: a promotion moves versions; add the service to its chart first.`);
    }
    const unresolved = preview.unresolved.find((u) => u.service === service);
    if (unresolved) throw new ValidationError(`${service} cannot be promoted: ${unresolved.reason}.`);
    const choices = preview.changes.map((c) => c.service).join(", ") || "none";
    throw new ValidationError(`${service} runs the same version in both; the services that differ are: ${choices}.`);
  });
}

/** The commit a snapshot of `source` tags; a tag that is not one of its snapshots is bad input. */
async function snapshotSha(deps: ReleaseDeps, source: EnvironmentConfig, tag: string): Promise<string> {
  if (!source.snapshots) throw new ValidationError(`${source.name} takes no snapshots (no snapshots.tagPattern in slipway.yaml).`);
  const snapshot = (await listSnapshots(deps.git, source)).find((s) => s.tag === tag);
  if (!snapshot) throw new ValidationError(`${source.name} has no snapshot "${tag.slice(0, 100)}".`);
  return snapshot.sha;
}
