import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { Principal } from "@/lib/auth/principal";

export type AuditAction =
  | "sign-in.success"
  | "sign-in.failure"
  | "sign-out"
  | "refresh.requested"
  | "user.created"
  | "release.raised"
  | "release.approved"
  | "release.merged"
  | "release.closed"
  | "release.merge-refused"
  | "access.denied"
  | "settings.changed"
  | "integration.tested";

export interface AuditEntry {
  actor: Pick<Principal, "username" | "source">;
  action: AuditAction;
  environment?: string;
  target?: string;
  detail?: Prisma.InputJsonValue;
  /** Where the request came from: client address and user agent. */
  origin?: { ip?: string; userAgent?: string };
}

/** Appends one entry to the audit trail. There is deliberately no function to change or remove one. */
export async function recordAuditEvent(db: PrismaClient, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actor: entry.actor.username,
      actorSource: entry.actor.source,
      action: entry.action,
      environment: entry.environment ?? null,
      target: entry.target ?? null,
      detail: entry.detail,
      ip: entry.origin?.ip?.slice(0, 100) ?? null,
      userAgent: entry.origin?.userAgent?.slice(0, 300) ?? null,
    },
  });
}
