import type { LockSyncReport } from "./check-lock-sync";

/** The umbrella chart model: what an environment's stack repository pins, independent of Helm 2 or 3 layout. */

export type ChartFormat = "helm3" | "helm2";

/** How a dependency's `repository` field points at its chart. */
export type RepositoryRef =
  | { kind: "http"; url: string } // https:// or http:// Helm repository (index.yaml)
  | { kind: "oci"; url: string } // oci://host/path — the chart is <url>/<chart name>
  | { kind: "file"; path: string } // file://../sub — a chart vendored in the stack repo
  | { kind: "alias"; name: string } // "@name" or "alias:name" — a repository added with `helm repo add name`
  | { kind: "none" }; // empty: chart expected under charts/

export interface ChartDependency {
  /** Chart name in the registry. */
  chart: string;
  alias?: string;
  /** Name the dashboard shows: alias when set, else the chart name. Unique within one umbrella chart. */
  service: string;
  repository: RepositoryRef;
  /** The raw `repository:` string as written. */
  repositoryRaw: string;
  /** The `version:` field as written: an exact version or a semver range; "" when absent, which Helm reads as "*". */
  constraint: string;
  condition?: string;
  tags: string[];
  /** Version recorded in Chart.lock / requirements.lock, when there is one for this dependency. */
  lockedVersion?: string;
  /** Position of that lock entry in the lock file's `dependencies:` list: the entry the edit planner rewrites. */
  lockIndex?: number;
}

export interface UmbrellaChart {
  format: ChartFormat;
  name: string;
  version: string;
  /** Path of the file that holds the dependencies (Chart.yaml or requirements.yaml), relative to the stack folder. */
  dependencyFile: string;
  /** Lock file path when present. */
  lockFile?: string;
  dependencies: ChartDependency[];
  /** Image tag overrides from values.yaml, keyed by service (alias or chart name). */
  imageTags: Record<string, string>;
  /** Per-dependency problems that did not stop the rest of the chart from being read. */
  problems: ChartProblem[];
  /** Whether the lock matches the dependencies, as `helm dependency build` judges it. */
  lockReport: LockSyncReport;
}

export interface ChartProblem {
  /** The service the problem belongs to; absent for problems with the chart as a whole (a bad lock file, say). */
  service?: string;
  message: string;
}

/** Where the running version came from. */
export type ResolutionSource = "lock" | "pin" | "range";

export type ResolvedVersion =
  | {
      ok: true;
      version: string;
      source: ResolutionSource;
      /** True when nothing pins the version: a range with no lock, resolved against the registry. */
      unpinned: boolean;
    }
  | { ok: false; message: string };

/** The files of one stack folder, as read from git. Missing files are `undefined`. */
export interface StackFiles {
  chartYaml?: string;
  chartLock?: string;
  requirementsYaml?: string;
  requirementsLock?: string;
  valuesYaml?: string;
}

/** Thrown when the environment's chart cannot be read at all (the dashboard shows it as the environment's error). */
export class ChartReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChartReadError";
  }
}
