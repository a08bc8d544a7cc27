import { z } from "zod";
import { SlipwayError, UnauthorizedError, ValidationError } from "@/lib/errors";
import { isWellFormedGitHubSignature, verifyGitHubSignature } from "./verify-github-signature";

/**
 * The largest delivery read. GitHub caps payloads at 25 MB, but the events Slipway acts on are a few kilobytes (a push
 * lists at most 20 commits); anything near the cap is a push of thousands of files Slipway does not look at, or abuse.
 */
export const MAX_DELIVERY_BYTES = 5 * 1024 * 1024;

/** A delivery whose signature checked out: what GitHub sent, parsed but not yet interpreted. */
export interface GitHubDelivery {
  /** X-GitHub-Delivery: a GUID per delivery. */
  id: string;
  /** X-GitHub-Event: pull_request, push, ping, … */
  event: string;
  payload: unknown;
}

/** Neither header is signed: both are bounded and kept to the characters GitHub uses. */
const deliveryHeaders = z.object({
  event: z.string({ message: "X-GitHub-Event is missing" }).regex(/^[a-z_]{1,64}$/, "X-GitHub-Event is not an event name"),
  id: z.string({ message: "X-GitHub-Delivery is missing" }).regex(/^[A-Za-z0-9-]{1,100}$/, "X-GitHub-Delivery is not a delivery id"),
});

/**
 * Reads a GitHub webhook delivery off the request in the order that spends the least on a caller who is not GitHub:
 * a missing or malformed signature is refused before the body is read; the body is read only up to
 * MAX_DELIVERY_BYTES; its signature is checked over the raw bytes; only then are the headers and the body's JSON
 * looked at. GitHub sends either content type a webhook may be set to: application/json, or
 * application/x-www-form-urlencoded with the JSON in a `payload` field (signed as the form, as sent).
 *
 * Throws 401 (signature), 413 (too large), 415 (content type) or 400 (headers, JSON).
 */
export async function readGitHubDelivery(request: Request, secret: string): Promise<GitHubDelivery> {
  const signature = request.headers.get("x-hub-signature-256");
  if (!isWellFormedGitHubSignature(signature)) {
    throw new UnauthorizedError("X-Hub-Signature-256 is missing or malformed: set the webhook's secret in GitHub to the one Slipway has.");
  }
  const contentType = mediaType(request.headers.get("content-type"));
  if (contentType !== "application/json" && contentType !== "application/x-www-form-urlencoded") {
    throw new SlipwayError("Send deliveries as application/json or application/x-www-form-urlencoded (the webhook's content type in GitHub).", 415);
  }
  const body = await readBoundedBody(request, MAX_DELIVERY_BYTES);
  if (!verifyGitHubSignature(secret, body, signature)) {
    throw new UnauthorizedError("X-Hub-Signature-256 does not match the body: the webhook's secret in GitHub differs from the one Slipway has.");
  }

  const headers = deliveryHeaders.safeParse({
    event: request.headers.get("x-github-event") ?? undefined,
    id: request.headers.get("x-github-delivery") ?? undefined,
  });
  if (!headers.success) throw new ValidationError(headers.error.issues[0]!.message);
  return { ...headers.data, payload: parsePayload(body, contentType) };
}

function mediaType(header: string | null): string | undefined {
  return header?.split(";")[0]?.trim().toLowerCase() || undefined;
}

function parsePayload(body: Uint8Array, contentType: string): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new ValidationError("The delivery's body is not UTF-8.");
  }
  if (contentType === "application/x-www-form-urlencoded") {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) throw new ValidationError("A form-encoded delivery must carry its JSON in the `payload` field.");
    text = payload;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError("The delivery's payload is not JSON.");
  }
}

/** The body's bytes, refused with 413 as soon as they pass `limit` (a declared Content-Length before any is read). */
async function readBoundedBody(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new SlipwayError(`A delivery may be at most ${limit / 1024 / 1024} MB; this one is larger, and was not read.`, 413);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
