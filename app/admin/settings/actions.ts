"use server";

import { z } from "zod";
import type { ActionResult } from "@/lib/actions/action-result";
import { runAction } from "@/lib/actions/run-action";
import { authorize } from "@/lib/auth/authorize";
import { type ConnectionTestResult, testWorkspaceIntegration } from "@/lib/settings/test-integration-connection";

const testSchema = z.object({ integration: z.enum(["jira", "slack", "grafana"]) }).strict();

/** Calls one integration read-only to check its configuration and credentials: admins only, rate-limited per process. */
export async function testConnectionAction(input: unknown): Promise<ActionResult<ConnectionTestResult>> {
  return runAction("test-integration", testSchema, input, async ({ integration }, origin) => {
    await authorize("integration.test", undefined, origin);
    return testWorkspaceIntegration(integration);
  });
}
