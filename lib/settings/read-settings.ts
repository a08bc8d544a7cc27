import "server-only";
import type { Viewer } from "@/lib/auth/authorize";
import { readEnvironment } from "@/lib/config/environment";
import { getWorkspace } from "@/lib/config/workspace";
import { getDb } from "@/lib/db";
import { readIntegrations } from "@/lib/follow-through/integration-status";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ReleaseKind } from "@/lib/releases/release-types";
import { type IntegrationCard, describeIntegrations } from "./describe-integrations";
import { type FollowThroughPreview, type PreviewRequest, previewFollowThrough } from "./preview-follow-through";

/**
 * The settings page's data, for an admin (the caller has authorized settings.view): the integration cards, the
 * newest release requests the viewer can see, and for one of them what the follow-through would send. Plain data,
 * without a secret's value.
 */

export const RECENT_REQUESTS = 20;

export interface RecentRequest {
  id: number;
  label: string;
}

export interface SettingsView {
  integrations: IntegrationCard[];
  recent: RecentRequest[];
  /** The request previewed (the one asked for, or the newest). */
  selected?: number;
  /** The one asked for is not there (or not visible): the newest is shown instead. */
  missing?: number;
  preview?: FollowThroughPreview;
}

const include = { items: { orderBy: { id: "asc" as const } } };
type Row = Prisma.ReleaseRequestGetPayload<{ include: typeof include }>;

export async function readSettings(viewer: Viewer, requestId?: number): Promise<SettingsView> {
  const { config } = getWorkspace();
  const environment = readEnvironment();
  const db = getDb();
  const visible = { in: viewer.environments.map((e) => e.name) };
  const recentRows = await db.releaseRequest.findMany({
    where: { environment: visible },
    orderBy: { id: "desc" },
    take: RECENT_REQUESTS,
    select: { id: true, kind: true, environment: true, title: true, state: true },
  });
  const asked = requestId === undefined ? null : await db.releaseRequest.findFirst({ where: { id: requestId, environment: visible }, include });
  const row = asked ?? (recentRows[0] ? await db.releaseRequest.findUnique({ where: { id: recentRows[0].id }, include }) : null);

  const recent = recentRows.map((r) => ({ id: r.id, label: `#${r.id} ${r.kind} in ${r.environment} (${r.state}): ${r.title}` }));
  // One asked for beyond the newest twenty stays selectable.
  if (row && !recent.some((r) => r.id === row.id)) recent.push({ id: row.id, label: `#${row.id} ${row.kind} in ${row.environment} (${row.state}): ${row.title}` });

  return {
    integrations: describeIntegrations(config, environment.secret),
    recent,
    ...(row ? { selected: row.id } : {}),
    ...(requestId !== undefined && !asked ? { missing: requestId } : {}),
    ...(row
      ? {
          preview: previewFollowThrough({
            request: previewRequest(row),
            config,
            status: readIntegrations(config, environment.secret).status,
            appUrl: environment.nextAuthUrl,
            now: new Date(),
          }),
        }
      : {}),
  };
}

/** A stored request as the follow-through plan reads it (as lib/follow-through/record-release-event.ts does). */
function previewRequest(row: Row): PreviewRequest {
  return {
    id: row.id,
    kind: (["upgrade", "rollback", "promotion"].includes(row.kind) ? row.kind : "upgrade") as ReleaseKind,
    environment: row.environment,
    title: row.title,
    requester: row.requester,
    state: row.state,
    ...(row.url ? { url: row.url } : {}),
    ...(row.number !== null ? { number: row.number } : {}),
    items: row.items.map((item) => ({ service: item.service, chart: item.chart, from: item.fromVersion, to: item.toVersion, tickets: item.tickets })),
    createdAt: row.createdAt,
    ...(row.mergedAt ? { mergedAt: row.mergedAt } : {}),
    ...(row.closedAt ? { closedAt: row.closedAt } : {}),
  };
}
