"use server";

import { SlipwayError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { requestRefresh } from "@/lib/snapshots/refresher";

export type RefreshOutcome =
  | { ok: true; environments: number; failed: number; seconds: number }
  | { ok: false; error: string };

/**
 * Server action behind the Refresh button. It takes no input; Next.js rejects cross-origin action calls (Origin
 * must match Host), and sign-in plus role checks arrive with the authorization work.
 */
export async function refreshStacks(): Promise<RefreshOutcome> {
  try {
    const result = await requestRefresh("manual");
    return { ok: true, environments: result.environments, failed: result.failed, seconds: Math.round(result.durationMs / 100) / 10 };
  } catch (error) {
    if (error instanceof SlipwayError) return { ok: false, error: error.message };
    logger.error({ err: error }, "manual refresh failed");
    return { ok: false, error: "Refresh failed; the server log has the details." };
  }
}
