import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PlannedFile, ReleaseKind, ReleaseRequestView, ReleaseState } from "./release-types";

const include = { items: { orderBy: { id: "asc" as const } } };
type Row = Prisma.ReleaseRequestGetPayload<{ include: typeof include }>;

function toView(viewer: Viewer, row: Row): ReleaseRequestView {
  const environment = viewer.environments.find((e) => e.name === row.environment);
  const mayApprove = Boolean(environment && can(viewer.principal, "approve", viewer.access, environment));
  const isRequester = row.requester === viewer.principal.username;
  const open = row.state === "open";
  return {
    id: row.id,
    kind: row.kind as ReleaseKind,
    environment: row.environment,
    // "raising", "merging" and "failed" are passing or internal states; the page shows them as open.
    state: (row.state === "merged" || row.state === "closed" ? row.state : "open") as ReleaseState,
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
    canMerge: open && row.provider === "local" && mayApprove && !isRequester,
    // A pull request is merged or closed on GitHub; the refresher's sync brings its state here.
    canClose: open && row.provider === "local" && (mayApprove || isRequester),
  };
}

/** One release request, for a viewer who may see its environment. */
export async function readReleaseRequest(viewer: Viewer, id: number): Promise<ReleaseRequestView> {
  const row = await getDb().releaseRequest.findUnique({ where: { id }, include });
  if (!row) throw new NotFoundError(`There is no change request #${id}.`);
  if (!viewer.environments.some((e) => e.name === row.environment)) {
    throw new ForbiddenError(`${viewer.principal.username} may not view ${row.environment}.`);
  }
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
    state: filters.state === "open" ? { in: ["open", "raising", "merging", "failed"] } : filters.state,
    kind: filters.kind,
  };
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.releaseRequest.count({ where }),
    db.releaseRequest.findMany({ where, include, orderBy: { id: "desc" }, skip: (filters.page - 1) * filters.pageSize, take: filters.pageSize }),
  ]);
  return { total, requests: rows.map((row) => toView(viewer, row)) };
}
