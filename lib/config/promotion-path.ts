import type { EnvironmentConfig, WorkspaceConfig } from "./schema";

/** The environment after `environment` in its promotion path (slipway.yaml `promotions`), if any. */
export function nextStage(config: Pick<WorkspaceConfig, "promotions" | "environments">, environment: string): EnvironmentConfig | undefined {
  for (const path of config.promotions) {
    const at = path.indexOf(environment);
    if (at >= 0 && at < path.length - 1) return config.environments.find((e) => e.name === path[at + 1]);
  }
  return undefined;
}
