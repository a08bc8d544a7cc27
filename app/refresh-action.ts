"use server";

import { headers } from "next/headers";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getViewer } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { ForbiddenError, SlipwayError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { requestRefresh } from "@/lib/snapshots/refresher";

export type RefreshOutcome =
  | { ok: true; environments: number; failed: number; seconds: number }
  | { ok: false; status: number; error: string };

/**
 * Server action behind the Refresh button: re-reads every stack (it changes no stack, only snapshots), so anyone
 * signed in who can see an environment may ask; concurrent asks join one refresh. Next.js rejects cross-origin
 * action calls (Origin must match Host), which is the CSRF protection for every server action.
 */
export async function refreshStacks(): Promise<RefreshOutcome> {
  try {
    const viewer = await getViewer();
    if (viewer.principal.source === "anonymous" || viewer.environments.length === 0) {
      throw new ForbiddenError(`${viewer.principal.username} may not refresh: no environment is visible to them.`);
    }
    const requestHeaders = await headers();
    await recordAuditEvent(getDb(), {
      actor: viewer.principal,
      action: "refresh.requested",
      origin: { ip: requestHeaders.get("x-forwarded-for") ?? undefined, userAgent: requestHeaders.get("user-agent") ?? undefined },
    });
    const result = await requestRefresh(`manual:${viewer.principal.username}`);
    return { ok: true, environments: result.environments, failed: result.failed, seconds: Math.round(result.durationMs / 100) / 10 };
  } catch (error) {
    if (error instanceof SlipwayError) return { ok: false, status: error.status, error: error.message };
    logger.error({ err: error }, "manual refresh failed");
    return { ok: false, status: 500, error: "Refresh failed; the server log has the details." };
  }
}
