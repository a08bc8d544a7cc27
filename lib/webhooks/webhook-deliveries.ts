import "server-only";
import { isUniqueViolation } from "@/lib/db-errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Which deliveries Slipway has acted on, by X-GitHub-Delivery id. GitHub's signature covers the body and no timestamp,
 * so a captured delivery stays valid forever: the id is what tells a replay (or a redelivery of a delivery that
 * already worked) from news. The effects themselves are guarded by the release request's state too, so a replay that
 * slipped past this — the same body under a new id — changes nothing either; this table spares the refresh.
 */
export type DeliveryOutcome = "processing" | "processed" | "failed";

/** A claim older than this whose outcome never arrived belonged to a process that died: a redelivery may take it. */
const STALE_CLAIM_MS = 10 * 60_000;
/** Kept well past the 3 days in which GitHub lets a delivery be redelivered. */
export const DELIVERY_RETENTION_DAYS = 30;

export type DeliveryClaim = { claimed: true } | { claimed: false; outcome: string };

/**
 * Claims a delivery before acting on it: the insert of its id is the lock, so of two identical deliveries arriving at
 * once (or at two instances) one acts. A delivery that failed may be claimed again — GitHub's "Redeliver" resends it
 * under the same id, and what failed (a database or GitHub outage) may work now; every step it takes is idempotent.
 */
export async function claimWebhookDelivery(db: PrismaClient, delivery: { id: string; event: string }, now: Date): Promise<DeliveryClaim> {
  try {
    await db.webhookDelivery.create({ data: { id: delivery.id, event: delivery.event, receivedAt: now, outcome: "processing" } });
    return { claimed: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const retried = await db.webhookDelivery.updateMany({
    where: {
      id: delivery.id,
      OR: [{ outcome: "failed" }, { outcome: "processing", receivedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } }],
    },
    data: { outcome: "processing", receivedAt: now },
  });
  if (retried.count > 0) return { claimed: true };
  const existing = await db.webhookDelivery.findUnique({ where: { id: delivery.id }, select: { outcome: true } });
  return { claimed: false, outcome: existing?.outcome ?? "processing" };
}

export async function finishWebhookDelivery(db: PrismaClient, id: string, outcome: Exclude<DeliveryOutcome, "processing">): Promise<void> {
  await db.webhookDelivery.update({ where: { id }, data: { outcome } });
}

/** Forgets deliveries past the retention: one indexed delete, usually of nothing, run with each claimed delivery. */
export async function pruneWebhookDeliveries(db: PrismaClient, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DELIVERY_RETENTION_DAYS * 86_400_000);
  const { count } = await db.webhookDelivery.deleteMany({ where: { receivedAt: { lt: cutoff } } });
  return count;
}
