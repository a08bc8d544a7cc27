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

/** One page of the audit trail, newest first, filtered in the database. */
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
      detail: r.detail === null ? undefined : JSON.stringify(r.detail),
      ip: r.ip ?? undefined,
      userAgent: r.userAgent ?? undefined,
    })),
  };
}
