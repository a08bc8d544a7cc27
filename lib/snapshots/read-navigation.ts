import "server-only";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { ConfigError } from "@/lib/errors";
import type { Navigation, NavigationGroup } from "./dashboard-types";

/** The left navigation: environments under the values of the first group dimension slipway.yaml uses. */
export async function readNavigation(): Promise<Navigation> {
  let workspace;
  try {
    workspace = getWorkspace();
  } catch (error) {
    if (error instanceof ConfigError) return { groups: [], ungrouped: [], configError: error.message };
    throw error;
  }
  const db = getDb();
  const [snapshots, worst] = await Promise.all([
    db.environmentSnapshot.findMany({ select: { environment: true, error: true } }),
    db.serviceSnapshot.groupBy({ by: ["environment"], _max: { badgeLevel: true } }),
  ]);
  const errors = new Set(snapshots.filter((s) => s.error).map((s) => s.environment));
  const levels = new Map(worst.map((w) => [w.environment, w._max.badgeLevel ?? -1]));

  const environments = workspace.config.environments;
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
