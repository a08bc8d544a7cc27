import type { PinnedVersion } from "@/lib/releases/read-versions-at";
import type { VersionChange } from "./history-types";

/**
 * The version changes between two readings of a stack, by service name (the alias, else the chart), sorted by service.
 *
 * A service is known by its name only: renaming one (a new alias over the same chart) shows as the old name removed
 * and the new one added, not as a rename — the chart alone cannot tell a rename from one service replacing another
 * (two aliases may share a chart). A changed chart under the same name is a change, with `fromChart`.
 */
export function diffPinnedVersions(
  before: ReadonlyMap<string, PinnedVersion>,
  after: ReadonlyMap<string, PinnedVersion>,
): VersionChange[] {
  const changes: VersionChange[] = [];
  for (const [service, next] of after) {
    const previous = before.get(service);
    if (!previous) {
      changes.push({ service, chart: next.chart, kind: "added", from: null, to: next.version });
    } else if (previous.version !== next.version || previous.chart !== next.chart) {
      changes.push({
        service,
        chart: next.chart,
        kind: "changed",
        from: previous.version,
        to: next.version,
        ...(previous.chart !== next.chart && { fromChart: previous.chart }),
      });
    }
  }
  for (const [service, previous] of before) {
    if (!after.has(service)) changes.push({ service, chart: previous.chart, kind: "removed", from: previous.version, to: null });
  }
  return changes.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}
