import { blockedAttemptCounts } from "@/lib/auth/sign-in-throttle";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface AuditFilters {
  actor?: string;
  action?: string;
  environment?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  actorSource: string;
  action: string;
  environment?: string;
  target?: string;
  detail?: string;
  ip?: string;
  userAgent?: string;
}

/**
 * One page of the audit trail, newest first, filtered in the database. Filters arrive validated (no control
 * characters: the page drops those). A rate-limited sign-in entry stands for every refusal of its lock and window:
 * its detail shows how many there were so far (`attempts`) and the last one (`lastAt`), counted in SignInBlock.
 */
export async function listAuditEvents(db: PrismaClient, filters: AuditFilters): Promise<{ total: number; events: AuditEventView[]; actions: string[] }> {
  const where = {
    actor: filters.actor ? { contains: filters.actor, mode: "insensitive" as const } : undefined,
    action: filters.action || undefined,
    environment: filters.environment || undefined,
    at: filters.from || filters.to ? { gte: filters.from, lte: filters.to } : undefined,
  };
  const [total, rows, actions] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (filters.page - 1) * filters.pageSize,
      take: filters.pageSize,
    }),
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  const blockIds = rows.map((r) => blockIdOf(r.detail)).filter((id): id is number => id !== undefined);
  const blocks = await blockedAttemptCounts(db, blockIds);
  const detailOf = (detail: unknown) => {
    const block = blocks.get(blockIdOf(detail) ?? -1);
    return block ? { ...(detail as object), attempts: block.count, lastAt: block.lastAt.toISOString() } : detail;
  };
  return {
    total,
    actions: actions.map((a) => a.action),
    events: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      actorSource: r.actorSource,
      action: r.action,
      environment: r.environment ?? undefined,
      target: r.target ?? undefined,
      detail: r.detail === null ? undefined : JSON.stringify(detailOf(r.detail)),
      ip: r.ip ?? undefined,
      userAgent: r.userAgent ?? undefined,
    })),
  };
}

function blockIdOf(detail: unknown): number | undefined {
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return undefined;
  const { reason, block } = detail as { reason?: unknown; block?: unknown };
  return reason === "rate-limited" && typeof block === "number" ? block : undefined;
}
