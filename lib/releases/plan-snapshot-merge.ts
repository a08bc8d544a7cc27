import { formatUnifiedDiff } from "@/lib/charts/edit/format-unified-diff";
import type { StackFiles } from "@/lib/charts/types";
import type { EnvironmentConfig } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";
import type { GitProvider } from "@/lib/git/git-provider";
import type { PlannedFile } from "./release-types";
import { readStackFiles, stackFilePath } from "./read-stack-files";

/**
 * Promoting a snapshot the way a branch-per-environment GitOps flow does it: `git checkout release/staging && git merge
 * <tag>`, raised as a change request instead of pushed. It is offered only where it means exactly what the reviewer is
 * shown: both environments in one repository and folder, every service moving, none added or removed, and the target's
 * chart untouched since it last took the source's history, so git's merge gives the target the snapshot's chart files
 * byte for byte. Anywhere else the promotion is the equivalent version edit, and this says why.
 */

/** What the promotion preview knows that decides whether a merge is possible. */
export interface SnapshotMergeCandidate {
  from: { environment: string; sha: string; snapshot?: string };
  changes: { service: string }[];
  onlyInSource: { service: string }[];
  onlyInTarget: { service: string }[];
  unresolved: { service: string }[];
}

/** Why promoting this preview cannot be a merge of the snapshot's tag (undefined: it can). */
export function snapshotMergeBlocker(
  source: Pick<EnvironmentConfig, "name" | "repo" | "path" | "branch">,
  target: Pick<EnvironmentConfig, "name" | "repo" | "path" | "branch">,
  preview: SnapshotMergeCandidate,
  services?: readonly string[],
): string | undefined {
  if (!preview.from.snapshot) return "only a snapshot is promoted by merging its tag; the live state is promoted as a version edit";
  if (source.repo !== target.repo) return `${source.name} and ${target.name} live in separate repositories, so the snapshot is promoted as a version edit`;
  if (source.path !== target.path) return `${source.name} and ${target.name} keep their charts in different folders, so a merge would not move ${target.name}'s chart`;
  if (source.branch === target.branch) return `${source.name} and ${target.name} share the branch ${target.branch}: there is nothing to merge`;
  const names = (list: { service: string }[]) => list.map((s) => s.service).join(", ");
  if (preview.onlyInSource.length > 0) return `the merge would add ${names(preview.onlyInSource)}, which ${target.name} does not run`;
  if (preview.onlyInTarget.length > 0) return `the merge would remove ${names(preview.onlyInTarget)}, which ${source.name} does not run`;
  if (preview.unresolved.length > 0) return `the merge would move ${names(preview.unresolved)}, which cannot be promoted exactly`;
  if (services && (services.length !== preview.changes.length || !preview.changes.every((c) => services.includes(c.service)))) {
    return "a merge carries every service that differs; to promote only some, promote their versions instead";
  }
  return undefined;
}

const CHART_FILES: (keyof StackFiles)[] = ["chartYaml", "chartLock", "requirementsYaml", "requirementsLock"];
const FILE_NAMES: Record<keyof StackFiles, string> = {
  chartYaml: "Chart.yaml",
  chartLock: "Chart.lock",
  requirementsYaml: "requirements.yaml",
  requirementsLock: "requirements.lock",
  valuesYaml: "values.yaml",
};

interface MergeStacks {
  base: string;
  atBase: StackFiles;
  atHead: StackFiles;
  atSnapshot: StackFiles;
}

/**
 * The target's stack at the merge base, at its head and at the snapshot; or why git's merge would not give the target
 * exactly the snapshot's chart: no shared history, already merged, or the target's chart changed on its own since the
 * merge base (a hotfix), so git would combine the two instead of taking the snapshot's versions.
 */
async function readMergeStacks(
  git: GitProvider,
  env: EnvironmentConfig,
  headSha: string,
  from: { environment: string; sha: string; snapshot?: string },
): Promise<MergeStacks | { blocker: string }> {
  const tag = from.snapshot ?? from.sha.slice(0, 12);
  const base = await git.mergeBase(env.repo, headSha, from.sha);
  if (!base) return { blocker: `${env.branch} and snapshot ${tag} share no history, so the tag cannot be merged` };
  if (base === from.sha) return { blocker: `${env.branch} already contains snapshot ${tag}, so there is nothing to merge` };
  const read = (sha: string) => readStackFiles(git, env, sha, { values: true });
  const [atBase, atHead, atSnapshot] = await Promise.all([read(base), read(headSha), read(from.sha)]);
  const changedHere = CHART_FILES.filter((key) => atBase[key] !== atHead[key]);
  if (changedHere.length > 0) {
    return {
      blocker:
        `${env.name} changed ${changedHere.map((key) => FILE_NAMES[key]).join(" and ")} on ${env.branch} since it last took ${from.environment}'s ` +
        `history (${base.slice(0, 8)}), so merging snapshot ${tag} would not give it exactly the snapshot's versions`,
    };
  }
  return { base, atBase, atHead, atSnapshot };
}

/** Why git's merge of the snapshot would not give the target exactly its chart (undefined: it would). */
export async function snapshotMergeHistoryBlocker(
  git: GitProvider,
  env: EnvironmentConfig,
  headSha: string,
  from: { environment: string; sha: string; snapshot?: string },
): Promise<string | undefined> {
  const stacks = await readMergeStacks(git, env, headSha, from);
  return "blocker" in stacks ? stacks.blocker : undefined;
}

/**
 * The stack files the merge of the snapshot into the target's head gives, as diffs for the review, checked as above.
 * values.yaml comes along as git merges it, shown when the target left it alone. A merge that is no longer exact (the
 * branch moved since the preview) is a ValidationError that says to promote the versions instead.
 */
export async function planSnapshotMerge(
  git: GitProvider,
  env: EnvironmentConfig,
  headSha: string,
  from: { environment: string; sha: string; snapshot?: string },
): Promise<{ files: PlannedFile[]; notes: string[] }> {
  const stacks = await readMergeStacks(git, env, headSha, from);
  if ("blocker" in stacks) throw new ValidationError(`${stacks.blocker}: promote the versions instead.`);
  const { base, atBase, atHead, atSnapshot } = stacks;
  const tag = from.snapshot ?? from.sha.slice(0, 12);
  const files: PlannedFile[] = [];
  for (const key of [...CHART_FILES, "valuesYaml" as const]) {
    const before = atHead[key];
    // values.yaml is merged by git: both sides' changes come together, so only a file the target left alone is shown.
    const after = key === "valuesYaml" && atBase[key] !== before ? undefined : atSnapshot[key];
    if (after === undefined || before === after) continue;
    const filePath = stackFilePath(env, FILE_NAMES[key]);
    files.push({ path: filePath, diff: formatUnifiedDiff(filePath, before ?? "", after) });
  }
  const notes = [
    `Raised as a merge of snapshot ${tag} into ${env.branch}, as \`git merge ${tag}\` would: the stack as the snapshot holds it ` +
      `comes along, values and any other files ${from.environment} changed since ${base.slice(0, 8)} included.`,
  ];
  if (atBase.valuesYaml !== atHead.valuesYaml && atBase.valuesYaml !== atSnapshot.valuesYaml) {
    notes.push(`values.yaml changed on both sides since ${base.slice(0, 8)}: git merges the two; check the merge commit's diff.`);
  }
  return { files, notes };
}
