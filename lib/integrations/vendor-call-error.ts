import { SlipwayError } from "@/lib/errors";

/**
 * A call to a vendor's API that failed, with what the durable job layer reads to decide what happens next
 * (lib/jobs/retry-schedule.ts): `retryable: false` when trying again cannot help (a bad token, a missing permission,
 * something that does not exist), `retryAfter` when the vendor said when to come back. Slipway answers 502 for it.
 */
export abstract class VendorCallError extends SlipwayError {
  constructor(
    message: string,
    /** The vendor's own error code, or the transport's (`http_<status>`, `timeout`, …): each subclass says which. */
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfter?: Date,
    options?: { cause?: unknown },
  ) {
    super(message, 502, options);
  }
}
