import { ChartReadError, type StackFiles } from "@/lib/charts/types";
import { pinnedVersions } from "@/lib/releases/read-versions-at";
import type { StackState } from "./history-types";

/**
 * A commit's stack files as history sees them. No Chart.yaml is no chart at all (before the environment was added, or
 * after its folder was removed), not an unreadable one; a chart readUmbrellaChart refuses is unreadable, with why.
 */
export function readStackState(files: StackFiles): StackState {
  if (files.chartYaml === undefined) return { kind: "absent" };
  try {
    return { kind: "pinned", versions: pinnedVersions(files) };
  } catch (error) {
    if (error instanceof ChartReadError) return { kind: "unreadable", error: error.message };
    throw error;
  }
}
