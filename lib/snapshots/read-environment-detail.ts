import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { allowedActions, type Action } from "@/lib/auth/permissions";
import { readDiscoveryStatus } from "@/lib/config/discover-environments";
import { type DiscoveredFrom, discoverySource } from "@/lib/config/schema";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { nextStage } from "@/lib/config/promotion-path";
import { listSnapshots } from "@/lib/releases/snapshots";
import { getServerClients } from "@/lib/server-clients";
import { NotFoundError } from "@/lib/errors";
import type { LockSyncReport } from "@/lib/charts/check-lock-sync";
import type { EnvironmentSummary, ServiceCell } from "./dashboard-types";
import { serviceDashboardLink } from "./service-dashboard-link";
import { summarizeEnvironments, toServiceCell } from "./summarize-environments";

export interface ServiceDetail extends ServiceCell {
  repository: string;
  constraint: string;
  resolvedFrom?: string;
  imageTag?: string;
  sourceRepo?: string;
  /** The service's own grafanaDashboard in slipway.yaml. */
  grafanaDashboard?: string;
  /** Its dashboard link: grafana.dashboardUrlTemplate filled in for this environment and service, else grafanaDashboard. */
  dashboardUrl?: string;
}

export interface EnvironmentDetail {
  environment: EnvironmentSummary;
  path: string;
  includePrereleases: boolean;
  /** The lock report of the last read of the chart; undefined before the first read. */
  lock?: LockSyncReport;
  services: ServiceDetail[];
  /** What this viewer may do here, so the page can offer only that (the actions check again). */
  allowed: Action[];
  /** The next stage of this environment's promotion path, and how many services both run at other versions. */
  promotion?: { to: string; differ: number };
  /** The newest snapshots (tags of deployment commits), when the environment takes them; see lib/releases/snapshots. */
  snapshots?: { tag: string; sha: string }[];
  /** Where a discovered environment was found and what its release file says; admins also see the file's problems. */
  discovered?: DiscoveredFrom & { error?: string; problems?: string[] };
}

/** One environment's page data; the caller has authorized "view" on it (lib/auth/authorize). */
export async function readEnvironmentDetail(viewer: Viewer, name: string): Promise<EnvironmentDetail> {
  const { config } = getWorkspace();
  const env = viewer.environments.find((e) => e.name === name);
  if (!env) throw new NotFoundError(`There is no environment named "${name}".`);
  const db = getDb();
  const [snapshot, rows] = await Promise.all([
    db.environmentSnapshot.findUnique({ where: { environment: name } }),
    db.serviceSnapshot.findMany({ where: { environment: name }, orderBy: { service: "asc" } }),
  ]);
  const [summary] = summarizeEnvironments([env], snapshot ? [snapshot] : [], rows);
  const services = rows.map((row): ServiceDetail => {
    const serviceConfig = config.services[row.service] ?? Object.entries(config.services).find(([, s]) => s.chart === row.chart)?.[1];
    const dashboardUrl = serviceDashboardLink(config.grafana?.dashboardUrlTemplate, { environment: name, service: row.service }, serviceConfig?.grafanaDashboard);
    return {
      ...toServiceCell(row),
      repository: row.repository,
      constraint: row.constraint,
      resolvedFrom: row.resolvedFrom ?? undefined,
      imageTag: row.imageTag ?? undefined,
      sourceRepo: serviceConfig?.repo,
      grafanaDashboard: serviceConfig?.grafanaDashboard,
      ...(dashboardUrl ? { dashboardUrl } : {}),
    };
  });
  const allowed = allowedActions(viewer.principal, viewer.access, env);
  return {
    environment: summary!,
    path: env.path,
    includePrereleases: env.includePrereleases,
    ...(isLockSyncReport(snapshot?.lockReport) && { lock: snapshot.lockReport }),
    services,
    allowed,
    ...(await readPromotionOffer(viewer, name, rows)),
    ...(env.discovered && { discovered: { ...env.discovered, ...(allowed.includes("admin") && (await readDiscoveryProblems(env.discovered))) } }),
    ...(env.snapshots ? { snapshots: await listSnapshots(getServerClients().git, env).then((all) => all.slice(0, 5), () => []) } : {}),
  };
}

/** From the snapshots, so the page stays a database read: the next stage and how many versions differ from it. */
async function readPromotionOffer(
  viewer: Viewer,
  name: string,
  rows: { service: string; running: string | null }[],
): Promise<{ promotion?: { to: string; differ: number } }> {
  const next = nextStage(getWorkspace().config, name);
  // Offered to those who may raise requests on the next stage (the promote page and its actions check again).
  if (!next || !viewer.environments.some((e) => e.name === next.name)) return {};
  if (!allowedActions(viewer.principal, viewer.access, next).includes("request")) return {};
  const theirs = await getDb().serviceSnapshot.findMany({ where: { environment: next.name }, select: { service: true, running: true } });
  const running = new Map(theirs.map((row) => [row.service, row.running]));
  const differ = rows.filter((row) => running.has(row.service) && row.running !== null && running.get(row.service) !== row.running).length;
  return { promotion: { to: next.name, differ } };
}

/** The last read of the release file this environment came from: an error, and entries that were skipped. */
async function readDiscoveryProblems(from: DiscoveredFrom): Promise<{ error?: string; problems: string[] }> {
  const source = discoverySource({ repo: from.repo, file: from.file, branch: from.fileBranch });
  const status = (await readDiscoveryStatus(getDb(), getWorkspace().config)).find((s) => s.source === source);
  return { error: status?.error, problems: status?.problems ?? [] };
}

/** The stored report, written by saveEnvironmentSnapshot; a row from before the column existed holds null. */
function isLockSyncReport(value: unknown): value is LockSyncReport {
  return typeof value === "object" && value !== null && typeof (value as { state?: unknown }).state === "string" &&
    typeof (value as { summary?: unknown }).summary === "string";
}
