"use server";

import { z } from "zod";
import type { ActionResult } from "@/lib/actions/action-result";
import { runAction } from "@/lib/actions/run-action";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import type { RefreshOutcome } from "@/lib/snapshots/dashboard-types";
import { requestRefresh } from "@/lib/snapshots/refresher";

/**
 * Server action behind the Refresh button: re-reads every stack (it changes no stack, only snapshots), so anyone
 * signed in who can see an environment may ask; concurrent asks join one refresh. Next.js rejects cross-origin
 * action calls (Origin must match Host), which is the CSRF protection for every server action.
 */
export async function refreshStacks(input?: unknown): Promise<ActionResult<RefreshOutcome>> {
  return runAction("refresh", z.undefined(), input, async (_none, origin) => {
    const viewer = await authorize("workspace.refresh", undefined, origin);
    await recordAuditEvent(getDb(), { actor: viewer.principal, action: "refresh.requested", origin });
    const result = await requestRefresh(`manual:${viewer.principal.username}`);
    return { environments: result.environments, failed: result.failed, seconds: Math.round(result.durationMs / 100) / 10 };
  });
}
