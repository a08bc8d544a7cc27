import "server-only";
import { headers } from "next/headers";
import { SlipwayError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { ActionResult } from "./release-types";

/**
 * The frame every release server action runs in: expected errors become a message for the person (with the status
 * they stand for), unexpected ones are logged with context and reported generically.
 */
export async function runReleaseAction<T>(name: string, run: (origin: { ip?: string; userAgent?: string }) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const requestHeaders = await headers();
    const origin = {
      ip: requestHeaders.get("x-forwarded-for")?.split(",")[0]?.trim() || undefined,
      userAgent: requestHeaders.get("user-agent") ?? undefined,
    };
    return { ok: true, value: await run(origin) };
  } catch (error) {
    if (error instanceof SlipwayError) return { ok: false, status: error.status, error: error.message };
    logger.error({ err: error, action: name }, "release action failed");
    return { ok: false, status: 500, error: "Something went wrong; the server log has the details." };
  }
}
