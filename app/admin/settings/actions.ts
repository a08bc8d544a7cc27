"use server";

import { z } from "zod";
import type { ActionResult } from "@/lib/actions/action-result";
import { runAction } from "@/lib/actions/run-action";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { type ConnectionTestResult, testWorkspaceIntegration } from "@/lib/settings/test-integration-connection";

const testSchema = z.object({ integration: z.enum(["jira", "slack", "grafana"]) }).strict();

/** Calls one integration read-only to check its configuration and credentials: admins only, rate-limited per process. */
export async function testConnectionAction(input: unknown): Promise<ActionResult<ConnectionTestResult>> {
  return runAction("test-integration", testSchema, input, async ({ integration }, origin) => {
    const viewer = await authorize("integration.test", undefined, origin);
    const result = await testWorkspaceIntegration(integration);
    // A test calls the vendor with Slipway's credentials: who did it, and how it went, goes in the audit trail.
    await recordAuditEvent(getDb(), {
      actor: viewer.principal,
      action: "integration.tested",
      target: integration,
      detail: result.ok ? { ok: true } : { ok: false, error: result.error.slice(0, 500) },
      origin,
    });
    return result;
  });
}
