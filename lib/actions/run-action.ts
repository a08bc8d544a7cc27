import "server-only";
import type { z } from "zod";
import { isSlipwayError, ValidationError } from "@/lib/errors";
import { readRequestOrigin } from "@/lib/http/request-origin";
import { logger } from "@/lib/logger";
import type { ActionResult } from "./action-result";

export type ActionOrigin = { ip?: string; userAgent?: string };

/**
 * The frame every server action runs in. A server action is a public endpoint: its input is validated here against
 * the action's schema before anything else runs; the action itself authorizes (lib/auth/authorize) as its first step.
 * Expected errors become a message for the person with the status they stand for; unexpected ones are logged with
 * context and reported generically, so no stack trace or SQL reaches the browser.
 */
export async function runAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  input: unknown,
  run: (input: z.output<S>, origin: ActionOrigin) => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "));
    return { ok: true, value: await run(parsed.data, await readRequestOrigin()) };
  } catch (error) {
    if (isSlipwayError(error)) return { ok: false, status: error.status, error: error.message };
    logger.error({ err: error, action: name }, "server action failed");
    return { ok: false, status: 500, error: "Something went wrong; the server log has the details." };
  }
}
