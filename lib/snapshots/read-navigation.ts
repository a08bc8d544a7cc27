import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import type { Navigation, NavigationGroup } from "./dashboard-types";
import { readSnapshotData } from "./read-snapshot-data";

/** The left navigation: the environments this viewer may see, under the values of the first group dimension. */
export async function readNavigation(viewer: Viewer): Promise<Navigation> {
  const { snapshots, rows } = await readSnapshotData();
  const errors = new Set(snapshots.filter((s) => s.error).map((s) => s.environment));
  const levels = new Map<string, number>();
  for (const row of rows) levels.set(row.environment, Math.max(levels.get(row.environment) ?? -1, row.badgeLevel));

  const environments = viewer.environments;
  const dimension = environments.flatMap((e) => Object.keys(e.groups))[0];
  const groups = new Map<string, NavigationGroup>();
  const ungrouped: Navigation["ungrouped"] = [];
  for (const env of environments) {
    const item = { name: env.name, worstLevel: levels.get(env.name) ?? -1, error: errors.has(env.name) };
    const value = dimension ? env.groups[dimension] : undefined;
    if (!dimension || !value) {
      ungrouped.push(item);
      continue;
    }
    const group = groups.get(value) ?? { dimension, value, environments: [] };
    group.environments.push(item);
    groups.set(value, group);
  }
  return { groups: [...groups.values()], ungrouped };
}
