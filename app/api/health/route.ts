import { NextResponse } from "next/server";
import { z } from "zod";
import { readHealth } from "@/lib/snapshots/read-health";

export const dynamic = "force-dynamic";

const querySchema = z.object({ require: z.enum(["snapshots"]).optional() });

/**
 * Liveness and readiness. `?require=snapshots` answers 503 until a first refresh has finished, for anything that
 * must not look at the dashboard before it has data (browser tests, a cautious load balancer).
 */
export async function GET(request: Request) {
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: "require must be 'snapshots'" }, { status: 400 });
  const health = await readHealth();
  const ready = health.database === "ok" && (query.data.require !== "snapshots" || Boolean(health.lastRefreshFinishedAt));
  return NextResponse.json(health, { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
