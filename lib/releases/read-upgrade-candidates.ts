import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { parseRepositoryRef } from "@/lib/charts/parse-repository-ref";
import { NotFoundError } from "@/lib/errors";
import { getServerClients } from "@/lib/server-clients";
import { locateChartRegistry } from "@/lib/registry/locate-chart-registry";
import { readEnvironmentDetail } from "@/lib/snapshots/read-environment-detail";
import { isChartVersion, isPrereleaseVersion } from "@/lib/versions/chart-version";
import type { UpgradeCandidate } from "./release-types";

/**
 * The services of an environment as the upgrade page offers them: status from the snapshot, and every published
 * version (newest first) from the registry client, whose index is already cached by the refresher.
 */
export async function readUpgradeCandidates(viewer: Viewer, environment: string): Promise<UpgradeCandidate[]> {
  const detail = await readEnvironmentDetail(viewer, environment);
  const deps = getServerClients();
  const env = deps.config.environments.find((e) => e.name === environment);
  if (!env) throw new NotFoundError(`There is no environment named "${environment}".`);
  const stats = { requests: 0, notModified: 0, bytes: 0 };
  return Promise.all(
    detail.services.map(async (service): Promise<UpgradeCandidate> => {
      const source = locateChartRegistry(parseRepositoryRef(service.repository) ?? { kind: "none" }, deps.endpoints, deps.config.registryPolicy);
      const published =
        source.kind === "registry" ? await deps.registries.listChartVersions(source.endpoint, service.chart, stats).catch(() => undefined) : undefined;
      const versions = (published ?? [])
        .filter((v) => !v.deprecated && isChartVersion(v.version) && (env.includePrereleases || !isPrereleaseVersion(v.version)))
        .map((v) => v.version);
      return {
        service: service.service,
        chart: service.chart,
        running: service.running,
        latest: service.latest,
        status: service.status,
        badgeColor: service.badgeColor,
        badgeLevel: service.badgeLevel,
        badgeLabel: service.badgeLabel,
        versions,
      };
    }),
  );
}
