import { NextResponse } from "next/server";
import { authorize } from "@/lib/auth/authorize";
import { isSlipwayError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { readRefreshProgress } from "@/lib/snapshots/read-refresh-progress";

export const dynamic = "force-dynamic";

/**
 * The newest refresh's progress as JSON, polled by the Refresh button while it waits: whoever may ask for a refresh
 * may watch one, and sees only the environments they may see. It takes no input.
 */
export async function GET() {
  try {
    const viewer = await authorize("workspace.refresh");
    return NextResponse.json(await readRefreshProgress(viewer), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isSlipwayError(error)) return NextResponse.json({ error: error.message }, { status: error.status });
    logger.error({ err: error }, "GET /api/refresh/progress failed");
    return NextResponse.json({ error: "internal error" }, { status: 500 });
  }
}
