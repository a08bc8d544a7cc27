import type { EnvironmentSummary, ServiceCell } from "./dashboard-types";

export interface OverviewFilters {
  /** "dimension:value", e.g. "brand:shop". */
  group?: string;
  services: string[];
  onlyBehind: boolean;
}

export interface OverviewMatrix {
  environments: EnvironmentSummary[];
  /** Row order: service names, alphabetical. */
  services: string[];
  /** cells[environment][service]; absent when the environment does not deploy the service. */
  cells: Record<string, Record<string, ServiceCell>>;
}

const BEHIND = new Set(["behind", "far-behind"]);

/**
 * The overview's filters, applied to everything the snapshots hold: group narrows the columns, service and
 * "only behind" narrow the rows. An environment with an error stays visible so its error is never filtered away.
 */
export function filterOverview(
  environments: EnvironmentSummary[],
  cells: { environment: string; cell: ServiceCell }[],
  filters: OverviewFilters,
): OverviewMatrix {
  const [dimension, value] = filters.group ? splitGroup(filters.group) : [];
  const shown = environments.filter((env) => !dimension || env.groups[dimension] === value);
  const shownNames = new Set(shown.map((e) => e.name));
  const wanted = filters.services.length > 0 ? new Set(filters.services) : undefined;

  const matrix: OverviewMatrix["cells"] = {};
  const behindServices = new Set<string>();
  const allServices = new Set<string>();
  for (const { environment, cell } of cells) {
    if (!shownNames.has(environment) || (wanted && !wanted.has(cell.service))) continue;
    (matrix[environment] ??= {})[cell.service] = cell;
    allServices.add(cell.service);
    if (BEHIND.has(cell.status)) behindServices.add(cell.service);
  }
  const services = [...(filters.onlyBehind ? behindServices : allServices)].sort((a, b) => a.localeCompare(b));
  return { environments: shown, services, cells: matrix };
}

export function splitGroup(group: string): [string, string] | [] {
  const at = group.indexOf(":");
  return at > 0 ? [group.slice(0, at), group.slice(at + 1)] : [];
}
