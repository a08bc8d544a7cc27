import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { allows } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { deferredMessage } from "./raise-upgrade";
import type { PlannedFile, ReleaseKind, ReleaseRequestView, ReleaseState } from "./release-types";

const include = { items: { orderBy: { id: "asc" as const } } };
type Row = Prisma.ReleaseRequestGetPayload<{ include: typeof include }>;

function toView(viewer: Viewer, row: Row): ReleaseRequestView {
  const environment = viewer.environments.find((e) => e.name === row.environment);
  const may = (action: "release.merge" | "release.close") => allows(viewer.principal, action, { type: "release", request: row, environment }, viewer.access);
  return {
    id: row.id,
    kind: row.kind as ReleaseKind,
    environment: row.environment,
    state: viewState(row.state),
    error:
      row.state === "failed"
        ? (row.error ?? "Raising it failed; the server log has the details.")
        : row.state === "deferred" && row.retryAfter
          ? deferredMessage(row.id, row.environment, row.retryAfter)
          : undefined,
    title: row.title,
    body: row.body,
    requester: row.requester,
    provider: row.provider === "github" ? "github" : "local",
    repo: row.repo,
    baseBranch: row.baseBranch,
    branch: row.branch,
    url: row.url ?? undefined,
    number: row.number ?? undefined,
    createdAt: row.createdAt.toISOString(),
    approvedBy: row.approvedBy ?? undefined,
    mergedBy: row.mergedBy ?? undefined,
    mergedAt: row.mergedAt?.toISOString(),
    closedAt: row.closedAt?.toISOString(),
    items: row.items.map((i) => ({ service: i.service, chart: i.chart, from: i.fromVersion, to: i.toVersion, tickets: i.tickets })),
    files: (row.files as unknown as PlannedFile[]) ?? [],
    // The policy decides (lib/auth/policy.ts): the same answer the actions will give.
    canMerge: may("release.merge"),
    canClose: may("release.close"),
    followUps: Array.isArray(row.followUps) ? (row.followUps as unknown as ReleaseRequestView["followUps"]) : [],
  };
}

/**
 * "raising" and "merging" are passing states: the request is still open. A failed raise is shown as failed, with why;
 * a deferred one (waiting out a GitHub rate limit) as deferred, with when it resumes.
 */
function viewState(state: string): ReleaseState {
  return state === "merged" || state === "closed" || state === "failed" || state === "deferred" ? state : "open";
}

/** One release request, for a viewer who may see its environment. */
export async function readReleaseRequest(viewer: Viewer, id: number): Promise<ReleaseRequestView> {
  const row = await getDb().releaseRequest.findUnique({ where: { id }, include });
  if (!row) throw new NotFoundError(`There is no change request #${id}.`);
  // Invisible is the same answer as missing (lib/auth/policy.ts).
  if (!viewer.environments.some((e) => e.name === row.environment)) throw new NotFoundError(`There is no change request #${id}.`);
  return toView(viewer, row);
}

/** The release history across the environments the viewer may see, newest first. */
export async function listReleaseRequests(
  viewer: Viewer,
  filters: { environment?: string; state?: ReleaseState; kind?: ReleaseKind; page: number; pageSize: number },
): Promise<{ total: number; requests: ReleaseRequestView[] }> {
  const visible = viewer.environments.map((e) => e.name);
  // Filtering by an environment the viewer cannot see shows nothing, not an error: links may be shared.
  if (filters.environment && !visible.includes(filters.environment)) return { total: 0, requests: [] };
  const where: Prisma.ReleaseRequestWhereInput = {
    environment: filters.environment ?? { in: visible },
    state: filters.state === "open" ? { in: ["open", "raising", "merging"] } : filters.state,
    kind: filters.kind,
  };
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.releaseRequest.count({ where }),
    db.releaseRequest.findMany({ where, include, orderBy: { id: "desc" }, skip: (filters.page - 1) * filters.pageSize, take: filters.pageSize }),
  ]);
  return { total, requests: rows.map((row) => toView(viewer, row)) };
}
