import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=` and the HMAC's 64 hex digits, as GitHub writes X-Hub-Signature-256. */
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/** Whether X-Hub-Signature-256 has the shape GitHub gives it; says nothing about whether it is right. */
export function isWellFormedGitHubSignature(header: string | null | undefined): header is string {
  return typeof header === "string" && SIGNATURE.test(header);
}

/**
 * Whether `header` (X-Hub-Signature-256) is GitHub's signature of exactly these bytes under the webhook's secret: the
 * HMAC-SHA256 of the raw body, hex, after `sha256=`. The raw bytes, not a re-serialization: JSON.stringify of the parsed
 * payload would not reproduce GitHub's spacing and escapes. Compared in constant time, so the answer's timing does not
 * tell a caller how many leading bytes of a forged signature were right.
 */
export function verifyGitHubSignature(secret: string, body: Uint8Array, header: string | null | undefined): boolean {
  const match = header ? SIGNATURE.exec(header) : null;
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1]!, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
