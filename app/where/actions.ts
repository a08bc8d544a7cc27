"use server";

import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { getViewer } from "@/lib/auth/authorize";
import type { ActionResult } from "@/lib/actions/action-result";
import { type WhereRunningAnswer, findWhereRunning } from "@/lib/releases/where-running";
import { getServerClients } from "@/lib/server-clients";

const schema = z.object({ query: z.string().min(1).max(100) }).strict();

/** "Where is it running?" for the ticket drawer: over the environments the caller may see, as the /where page. */
export async function whereRunningAction(input: unknown): Promise<ActionResult<WhereRunningAnswer>> {
  return runAction("where-running", schema, input, async ({ query }) => {
    const viewer = await getViewer();
    return findWhereRunning(getServerClients(), viewer.environments, query);
  });
}
