import "server-only";
import { errorMessage } from "@/lib/errors";
import { parseRetryAfter } from "@/lib/http/retry-after";
import { VendorCallError } from "../vendor-call-error";

/** A Grafana call that failed (see VendorCallError); `code` is `http_<status>`, `timeout` or `network`. */
export class GrafanaError extends VendorCallError {
  constructor(...args: ConstructorParameters<typeof VendorCallError>) {
    super(...args);
    this.name = "GrafanaError";
  }
}

export interface GrafanaErrorContext {
  /** What Slipway was doing, for the sentence: "annotating checkout in production". */
  action: string;
  /** The environment variable that holds the service account token, to name in the fix. */
  tokenEnv: string;
  url: string;
  timeoutMs: number;
}

/** Grafana's `{ message }` error body, or the start of whatever else came back. */
function grafanaMessage(body: unknown): string {
  if (typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string") {
    return (body as { message: string }).message;
  }
  return typeof body === "string" ? body.replace(/\s+/g, " ").trim().slice(0, 200) : "";
}

/** An HTTP error answer from Grafana, as a GrafanaError whose message says what to do. */
export function grafanaResponseError(
  response: { status: number; headers: { get(name: string): string | null } },
  body: unknown,
  context: GrafanaErrorContext,
): GrafanaError {
  const status = response.status;
  const message = grafanaMessage(body);
  const said = message ? `: ${message}` : "";
  const code = `http_${status}`;
  switch (true) {
    case status === 401:
      return new GrafanaError(
        `Grafana rejected the token (401${said}) while ${context.action}: check ${context.tokenEnv} holds a service account token (glsa_…) for ${context.url}`,
        code,
        false,
      );
    case status === 403:
      // Grafana's body names the permission: "Permissions needed: annotations:create".
      return new GrafanaError(
        `Grafana refused ${context.action} (403${said}): give the service account behind ${context.tokenEnv} the Editor role or that permission`,
        code,
        false,
      );
    case status === 404 && /dashboard not found/i.test(message):
      return new GrafanaError(`Grafana has no such dashboard while ${context.action}: check grafana.dashboardUID in slipway.yaml`, code, false);
    case status === 404:
      return new GrafanaError(`Grafana answered 404${said} while ${context.action}: check grafana.url (${context.url})`, code, false);
    case status === 429:
      return new GrafanaError(
        `Grafana rate limited Slipway while ${context.action}; Slipway will try again`,
        code,
        true,
        parseRetryAfter(response.headers.get("retry-after")),
      );
    case status === 408 || status >= 500:
      return new GrafanaError(
        `Grafana is unavailable (${status}${said}) while ${context.action}; Slipway will try again`,
        code,
        true,
        parseRetryAfter(response.headers.get("retry-after")),
      );
    case status === 400:
      return new GrafanaError(`Grafana rejected ${context.action} (400${said}); this is a bug in Slipway`, code, false);
    default:
      return new GrafanaError(`Grafana answered ${status}${said} while ${context.action}`, code, false);
  }
}

/** A failure before any answer (timeout, refused connection, DNS), or an error from a lower layer, as a GrafanaError. */
export function toGrafanaError(error: unknown, context: GrafanaErrorContext): GrafanaError {
  if (error instanceof GrafanaError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new GrafanaError(
      `Grafana did not answer within ${Math.round(context.timeoutMs / 1000)} s while ${context.action}; Slipway will try again`,
      "timeout",
      true,
      undefined,
      { cause: error },
    );
  }
  // undici reports "fetch failed" and keeps the socket error (ECONNREFUSED, ENOTFOUND, cert errors) as cause.
  const cause = (error as { cause?: unknown } | null)?.cause;
  const detail = cause instanceof Error ? `${errorMessage(error)} (${(cause as { code?: string }).code ?? cause.message})` : errorMessage(error);
  return new GrafanaError(`could not reach Grafana at ${context.url} while ${context.action}: ${detail}`, "network", true, undefined, {
    cause: error,
  });
}
