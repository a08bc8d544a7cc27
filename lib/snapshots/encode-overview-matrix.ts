import type { SemverStep, VersionStatusKind } from "@/lib/versions/types";
import type { OverviewMatrix } from "./filter-overview";

/**
 * The overview matrix as its client component receives it. The matrix is the largest thing Slipway renders (4,000
 * cells at 50 × 80, 10,000 at 125 × 80), and Next sends a client component's props inline in the page beside the
 * HTML they render: as objects with named fields they would outweigh the HTML. So each cell is a run of numbers in
 * its row, and every version string is sent once.
 */
export interface CompactMatrix {
  columns: { name: string; groups: string; error?: string }[];
  /** Service names, in row order. */
  rows: string[];
  versions: string[];
  /** cells[row] holds CELL_WIDTH numbers per column (see decodeCell); an empty cell has status -1. */
  cells: number[][];
  /**
   * Names this content among the matrices the server process that made it computed (lib/snapshots/read-overview.ts):
   * the server renders a matrix's HTML from a copy of it that arrives anew with every request, so the HTML is kept
   * under this name (components/status-matrix-body.ts).
   */
  id?: string;
}

export const STATUS_KINDS: readonly VersionStatusKind[] = [
  "current", "behind", "far-behind", "ahead", "not-in-registry", "vendored", "unparseable", "unknown",
];
export const STEPS: readonly SemverStep[] = ["none", "patch", "minor", "major", "prerelease"];
export const CELL_WIDTH = 7;

export interface MatrixCell {
  running?: string;
  latest?: string;
  status: VersionStatusKind;
  level: number;
  releasesBehind: number;
  step: SemverStep;
  daysBehind?: number;
}

export function encodeOverviewMatrix(matrix: OverviewMatrix): CompactMatrix {
  const versions: string[] = [];
  const versionIndex = new Map<string, number>();
  const indexOf = (version: string | undefined) => {
    if (version === undefined) return -1;
    let at = versionIndex.get(version);
    if (at === undefined) {
      at = versions.push(version) - 1;
      versionIndex.set(version, at);
    }
    return at;
  };
  const cells = matrix.services.map((service) =>
    matrix.environments.flatMap((env) => {
      const cell = matrix.cells[env.name]?.[service];
      if (!cell) return [-1, -1, -1, 0, 0, 0, -1];
      return [
        indexOf(cell.running),
        indexOf(cell.latest),
        Math.max(0, STATUS_KINDS.indexOf(cell.status)),
        cell.badgeLevel,
        cell.releasesBehind,
        Math.max(0, STEPS.indexOf(cell.step as SemverStep)),
        cell.daysBehind ?? -1,
      ];
    }),
  );
  return {
    columns: matrix.environments.map((env) => ({
      name: env.name,
      groups: Object.values(env.groups).join(" · "),
      ...(env.error ? { error: env.error } : {}),
    })),
    rows: matrix.services,
    versions,
    cells,
  };
}

/** One cell back from its numbers; undefined when the environment does not deploy the service. */
export function decodeCell(matrix: CompactMatrix, row: number, column: number): MatrixCell | undefined {
  const values = matrix.cells[row];
  const at = column * CELL_WIDTH;
  if (!values || at + CELL_WIDTH > values.length) return undefined;
  const [running, latest, status, level, releasesBehind, step, days] = values.slice(at, at + CELL_WIDTH) as number[];
  const kind = STATUS_KINDS[status!];
  if (!kind) return undefined;
  return {
    running: matrix.versions[running!],
    latest: matrix.versions[latest!],
    status: kind,
    level: level!,
    releasesBehind: releasesBehind!,
    step: STEPS[step!] ?? "none",
    ...(days! >= 0 ? { daysBehind: days } : {}),
  };
}
