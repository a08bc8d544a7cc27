import "server-only";
import { errorMessage } from "@/lib/errors";
import { VendorCallError } from "../vendor-call-error";

/**
 * A Slack call that failed (see VendorCallError), with a message that tells the person running Slipway what to do.
 * `code` is Slack's `error` ("channel_not_found"), or `http_<status>` / `request_failed` / `ratelimited` from the
 * transport.
 */
export class SlackError extends VendorCallError {
  constructor(...args: ConstructorParameters<typeof VendorCallError>) {
    super(...args);
    this.name = "SlackError";
  }
}

export interface SlackErrorContext {
  /** What Slipway was doing, for the sentence: "posting to #releases". */
  action: string;
  /** The environment variable that holds the bot token, to name in the fix. */
  tokenEnv: string;
  apiUrl: string;
}

/** The parts of @slack/web-api's coded errors the adapter reads (duck-typed: matched by `code`, not class). */
interface WebApiError {
  code?: string;
  message: string;
  /** WebAPIPlatformError: the `{ ok: false }` body. */
  data?: { error?: string; needed?: string; provided?: string; errors?: unknown; response_metadata?: { messages?: unknown; retryAfter?: unknown } };
  /** WebAPIRateLimitedError: seconds from Retry-After. */
  retryAfter?: number;
  /** WebAPIHTTPError. */
  statusCode?: number;
  /** WebAPIRequestError: the transport's error (timeout, ECONNREFUSED). */
  original?: { message?: string; code?: string };
}

/** When Slack did not say how long to wait after a rate limit in the body (not the 429): a minute. */
const RATE_LIMIT_FALLBACK_SECONDS = 60;

/** Codes that say the token itself is unusable: fixing the environment variable (or reinstalling the app) helps. */
const TOKEN_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "not_allowed_token_type", "no_permission", "team_access_not_granted", "ekm_access_denied"]);
/** Slipway built something Slack refuses: a bug in the message builder, never fixed by retrying. */
const CONTENT_ERRORS = new Set(["invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long", "no_text", "too_many_attachments", "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large", "invalid_arguments", "invalid_json", "json_not_object", "invalid_form_data", "invalid_post_type", "missing_post_type", "invalid_charset", "invalid_arg_name", "invalid_array_arg"]);
/** Slack's own trouble: try again later. Slack says internal_error and fatal_error may have done part of the work. */
const TRANSIENT_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org", "ratelimited", "rate_limited", "message_limit_exceeded"]);

/**
 * Turns whatever WebClient threw into a SlackError. WebClient runs with `rejectRateLimitedCalls` and no retries, so a
 * 429 arrives here as a rate-limited error carrying Retry-After, for the job layer to honour.
 */
export function toSlackError(error: unknown, context: SlackErrorContext): SlackError {
  if (error instanceof SlackError) return error;
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as WebApiError;
  const cause = { cause: error };

  switch (e.code) {
    case "slack_webapi_rate_limited_error": {
      const seconds = typeof e.retryAfter === "number" && e.retryAfter >= 0 ? e.retryAfter : RATE_LIMIT_FALLBACK_SECONDS;
      return new SlackError(
        `Slack rate limited Slipway while ${context.action}; it asked to wait ${seconds} s`,
        "ratelimited",
        true,
        new Date(Date.now() + seconds * 1000),
        cause,
      );
    }
    case "slack_webapi_http_error": {
      const status = e.statusCode ?? 0;
      if (status >= 500 || status === 408) {
        return new SlackError(`Slack is unavailable (HTTP ${status}) while ${context.action}; Slipway will try again`, `http_${status}`, true, undefined, cause);
      }
      return new SlackError(
        `Slack answered HTTP ${status} while ${context.action}: check slack.apiUrl (${context.apiUrl}) points at Slack's Web API`,
        `http_${status}`,
        false,
        undefined,
        cause,
      );
    }
    case "slack_webapi_request_error":
      return new SlackError(
        `could not reach Slack at ${context.apiUrl} while ${context.action}: ${e.original?.message ?? e.message}`,
        "request_failed",
        true,
        undefined,
        cause,
      );
    case "slack_webapi_platform_error":
      return platformError(e.data?.error ?? "unknown_error", e, context);
    default:
      // Not from WebClient (a bug in the adapter, an abort): unknown, so worth another try.
      return new SlackError(`Slack call failed while ${context.action}: ${errorMessage(error)}`, "unknown", true, undefined, cause);
  }
}

function platformError(code: string, e: WebApiError, context: SlackErrorContext): SlackError {
  const cause = { cause: e };
  if (TOKEN_ERRORS.has(code)) {
    return new SlackError(
      `Slack rejected the bot token (${code}) while ${context.action}: check ${context.tokenEnv} holds the app's bot token (xoxb-…) and the app is still installed`,
      code,
      false,
      undefined,
      cause,
    );
  }
  switch (code) {
    case "missing_scope":
      return new SlackError(
        `the Slack app lacks the ${e.data?.needed ?? "required"} scope (${code}) while ${context.action}: add it under OAuth & Permissions and reinstall the app`,
        code,
        false,
        undefined,
        cause,
      );
    case "channel_not_found":
      return new SlackError(
        `Slack channel not found while ${context.action}: check slack.channels, and for a private channel invite the bot (/invite @your-app)`,
        code,
        false,
        undefined,
        cause,
      );
    case "not_in_channel":
      return new SlackError(
        `the Slack bot is not in the channel (${code}) while ${context.action}: invite it with /invite @your-app`,
        code,
        false,
        undefined,
        cause,
      );
    case "is_archived":
      return new SlackError(`the Slack channel is archived (${code}) while ${context.action}: unarchive it or change slack.channels`, code, false, undefined, cause);
    case "message_not_found":
    case "thread_not_found":
      return new SlackError(`the Slack message is gone (${code}) while ${context.action}: it was deleted in Slack`, code, false, undefined, cause);
    case "cant_update_message":
    case "edit_window_closed":
      return new SlackError(`Slack refused to edit the message (${code}) while ${context.action}: only the bot's own messages can be updated`, code, false, undefined, cause);
  }
  if (CONTENT_ERRORS.has(code)) {
    const details = [
      ...(Array.isArray(e.data?.errors) ? e.data.errors.map(String) : []),
      ...(Array.isArray(e.data?.response_metadata?.messages) ? e.data.response_metadata.messages.map(String) : []),
    ];
    const unique = [...new Set(details.map((detail) => detail.replace(/^\[ERROR\]\s*/, "")))];
    return new SlackError(
      `Slack refused the message Slipway built (${code}${unique.length ? `: ${unique.join("; ")}` : ""}) while ${context.action}; this is a bug in Slipway`,
      code,
      false,
      undefined,
      cause,
    );
  }
  if (TRANSIENT_ERRORS.has(code)) {
    const limited = code === "ratelimited" || code === "rate_limited" || code === "message_limit_exceeded";
    const seconds = Number(e.data?.response_metadata?.retryAfter);
    const retryAfter = limited ? new Date(Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : RATE_LIMIT_FALLBACK_SECONDS) * 1000) : undefined;
    return new SlackError(`Slack could not complete ${context.action} (${code}); Slipway will try again`, code, true, retryAfter, cause);
  }
  // Codes Slack adds later: refused as asked, most likely for good; say which so it can be looked up.
  return new SlackError(`Slack refused ${context.action}: ${code}`, code, false, undefined, cause);
}
