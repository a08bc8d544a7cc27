import { NextResponse } from "next/server";
import { hasErrorName, isSlipwayError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { receiveGitHubWebhook } from "@/lib/webhooks/receive-github-webhook";

export const dynamic = "force-dynamic";

/**
 * GitHub's webhook (pull requests and pushes). No session: the signature is the caller's credential, checked over the
 * raw body before anything in it is read (lib/webhooks/read-github-delivery.ts). 200 acted on, a ping or a delivery
 * already processed; 202 ignored; 401 bad signature; 413 too large; 415 content type; 400 malformed; 404 not enabled.
 */
export async function POST(request: Request) {
  try {
    const result = await receiveGitHubWebhook(request);
    return NextResponse.json({ message: result.message, refreshed: result.refreshed }, { status: result.status, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    // slipway.yaml's problems are for the log: the caller is GitHub, or anyone.
    if (hasErrorName(error, "ConfigError")) {
      logger.error({ err: error }, "GitHub webhook refused: the workspace configuration is invalid");
      return NextResponse.json({ error: "GitHub webhooks are not available: Slipway's configuration is invalid." }, { status: 503 });
    }
    if (isSlipwayError(error) && error.status < 500) return NextResponse.json({ error: error.message }, { status: error.status });
    if (isSlipwayError(error) && error.status === 503) return NextResponse.json({ error: error.message }, { status: 503 });
    logger.error({ err: error, delivery: request.headers.get("x-github-delivery")?.slice(0, 100) }, "POST /api/webhooks/github failed");
    return NextResponse.json({ error: "The delivery could not be processed; redeliver it from GitHub to try again." }, { status: 500 });
  }
}
