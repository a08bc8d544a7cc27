import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditEntry } from "./record-audit-event";
import { recordAuditEvent } from "./record-audit-event";

/** Within this window the same denial (actor, action, environment, target) is recorded once. */
export const DENIAL_WINDOW_MS = 10 * 60_000;
/** And one actor's denials stop being recorded past this many in the window: a flood cannot bury the trail. */
export const MAX_DENIALS_PER_ACTOR = 50;

export interface Denial {
  actor: AuditEntry["actor"];
  /** The policy action that was refused, e.g. release.merge. */
  action: string;
  environment?: string;
  target?: string;
  status: number;
  reason: string;
  origin?: AuditEntry["origin"];
}

/**
 * Records a refused attempt in the audit trail as `access.denied`, throttled: a script hammering one endpoint leaves
 * one entry per window, not thousands, so what else happened stays readable. Returns whether a row was written.
 */
export async function recordDenial(db: PrismaClient, denial: Denial, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - DENIAL_WINDOW_MS);
  const base = { action: "access.denied", actor: denial.actor.username, actorSource: denial.actor.source, at: { gte: since } };
  const [same, byActor] = await Promise.all([
    db.auditEvent.findFirst({
      where: { ...base, environment: denial.environment ?? null, target: denial.target ?? null, detail: { path: ["action"], equals: denial.action } },
      select: { id: true },
    }),
    db.auditEvent.count({ where: base }),
  ]);
  if (same || byActor >= MAX_DENIALS_PER_ACTOR) return false;
  await recordAuditEvent(db, {
    actor: denial.actor,
    action: "access.denied",
    environment: denial.environment,
    target: denial.target,
    detail: { action: denial.action, status: denial.status, reason: denial.reason },
    origin: denial.origin,
  });
  return true;
}
