import "server-only";
import type { EnvironmentConfig, WorkspaceConfig } from "@/lib/config/schema";
import type { ChartVersionLookup } from "@/lib/releases/read-environment-status";
import type { RegistryClient } from "@/lib/registry/registry-client";
import type { FetchStats, RegistryEndpoint } from "@/lib/registry/types";

/**
 * What each environment's last read depended on — its branch head, its settings and the registry indexes it looked
 * charts up in — so that a refresh can skip an environment none of them changed for: its snapshot would come out the
 * same. A warm refresh of fifty unchanged environments then costs a head check each and one conditional request per
 * registry, instead of parsing fifty charts and rewriting 4,000 rows.
 *
 * Kept in memory beside the long-lived registry client whose cached indexes it points at: a new process (or a new
 * leader) reads everything once, then skips again. An index is "the same" when the client hands back the very parse
 * it cached (a 304, or an unchanged file): a registry without validators never lets an environment be skipped, and
 * neither does an OCI chart, whose tag list has no validator to compare.
 */
interface ReadInputs {
  headSha: string;
  settings: string;
  indexes: { endpoint: RegistryEndpoint; id: number }[];
  readAt: number;
}

/** Even unchanged, an environment is read again after this long: "days behind" and the badge level grow with time. */
export const MAX_SKIP_AGE_MS = 60 * 60 * 1000;

const memories = new WeakMap<object, Map<string, ReadInputs>>();
const indexIds = new WeakMap<object, number>();
let nextIndexId = 1;

function identify(index: object): number {
  let id = indexIds.get(index);
  if (id === undefined) {
    id = nextIndexId++;
    indexIds.set(index, id);
  }
  return id;
}

export interface EnvironmentReadMemory {
  /** True when the environment's head, settings and every index it used are what its last saved read saw. */
  isUnchanged(env: EnvironmentConfig, headSha: string, now: number): Promise<boolean>;
  /** A lookup that notes which indexes an environment's read uses; `remember` stores them once its snapshot is saved. */
  track(env: EnvironmentConfig): { lookup: ChartVersionLookup; remember(headSha: string, now: number): Promise<void> };
  forget(env: EnvironmentConfig): void;
}

/**
 * The memory of the refresher that owns `registries` (the process's long-lived client), checked through `scoped`
 * (this refresh's view of it, which asks each index once).
 */
export function environmentReadMemory(
  registries: RegistryClient,
  scoped: RegistryClient,
  config: WorkspaceConfig,
  stats: FetchStats,
): EnvironmentReadMemory {
  let memory = memories.get(registries);
  if (!memory) {
    memory = new Map();
    memories.set(registries, memory);
  }
  const inputs = memory;
  const settingsOf = (env: EnvironmentConfig) =>
    JSON.stringify([env, config.farBehindReleases, config.registryPolicy, config.registries]);

  async function currentIndexId(endpoint: RegistryEndpoint): Promise<number> {
    try {
      return identify(await scoped.loadIndex(endpoint, stats));
    } catch {
      return -1;
    }
  }

  return {
    async isUnchanged(env, headSha, now) {
      const last = inputs.get(env.name);
      if (!last || last.headSha !== headSha || now - last.readAt > MAX_SKIP_AGE_MS || last.settings !== settingsOf(env)) return false;
      for (const { endpoint, id } of last.indexes) {
        if ((await currentIndexId(endpoint)) !== id) return false;
      }
      return true;
    },

    track(env) {
      const used = new Map<string, { endpoint: RegistryEndpoint; id: Promise<number> }>();
      let skippable = true;
      const lookup: ChartVersionLookup = {
        listChartVersions(endpoint, chart, lookupStats) {
          if (endpoint.url.startsWith("oci://")) skippable = false;
          else if (!used.has(endpoint.name)) used.set(endpoint.name, { endpoint, id: currentIndexId(endpoint) });
          return scoped.listChartVersions(endpoint, chart, lookupStats);
        },
      };
      return {
        lookup,
        async remember(headSha, now) {
          const entries = [...used.values()];
          const ids = await Promise.all(entries.map((e) => e.id));
          // A registry that failed, or an OCI tag list, leaves nothing to compare with next time: read again then.
          if (!skippable || ids.includes(-1)) inputs.delete(env.name);
          else inputs.set(env.name, { headSha, settings: settingsOf(env), readAt: now, indexes: entries.map((e, i) => ({ endpoint: e.endpoint, id: ids[i]! })) });
        },
      };
    },

    forget(env) {
      inputs.delete(env.name);
    },
  };
}
