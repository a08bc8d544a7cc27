import { NextResponse } from "next/server";
import { z } from "zod";
import { authorize } from "@/lib/auth/authorize";
import { isSlipwayError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { readEnvironmentDetail } from "@/lib/snapshots/read-environment-detail";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ name: z.string().min(1).max(100) });

/**
 * An environment's services and statuses as JSON, from the latest snapshot. 401 without a session; 404 for an environment
 * that does not exist or that the caller may not see (the same answer, so names cannot be probed).
 */
export async function GET(_request: Request, context: { params: Promise<{ name: string }> }) {
  const params = paramsSchema.safeParse(await context.params);
  if (!params.success) return NextResponse.json({ error: "invalid environment name" }, { status: 400 });
  try {
    const viewer = await authorize("environment.view", params.data.name);
    return NextResponse.json(await readEnvironmentDetail(viewer, params.data.name), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isSlipwayError(error)) return NextResponse.json({ error: error.message }, { status: error.status });
    logger.error({ err: error }, "GET /api/environments/[name] failed");
    return NextResponse.json({ error: "internal error" }, { status: 500 });
  }
}
