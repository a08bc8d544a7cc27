import "server-only";
import { SlipwayError, errorMessage, isSlipwayError } from "@/lib/errors";
import { parseRetryAfter } from "@/lib/http/retry-after";

/**
 * Why a Jira call failed, in Slipway's terms. Jira reports a missing permission in several ways — 403 on some
 * operations, and, as its OpenAPI description documents, 400 (edit an issue, transition, update a version) or 404
 * (create a version, anything on an issue the account may not browse) on others — so `forbidden` is decided from the
 * status and Jira's own message together.
 */
export type JiraErrorReason =
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "invalid"
  | "conflict"
  | "rate-limited"
  | "unavailable"
  | "unreachable"
  | "unexpected";

export interface JiraErrorDetails {
  reason: JiraErrorReason;
  /** What Jira answered (401, 429, 503…); undefined when no answer came (timeout, refused connection). */
  jiraStatus?: number;
  /** Trying the same call again later may succeed: rate limits, 5xx, timeouts, dropped connections, conflicts. */
  retryable: boolean;
  /** When Jira said a retry may succeed (Retry-After on 429 and 503). */
  retryAfter?: Date;
  /** Jira's `errorMessages` and `errors` ("field: message"), as it wrote them. */
  jiraMessages: string[];
}

/**
 * A Jira call that did not do what Slipway asked, with a message for the person using Slipway that says what to do.
 * `status` is the HTTP status Slipway answers with (502, or 503 when it is worth retrying), as for every SlipwayError;
 * Jira's own status is `jiraStatus`.
 */
export class JiraError extends SlipwayError {
  readonly reason: JiraErrorReason;
  readonly jiraStatus?: number;
  readonly retryable: boolean;
  readonly retryAfter?: Date;
  readonly jiraMessages: string[];

  constructor(message: string, details: JiraErrorDetails, options?: { cause?: unknown }) {
    super(message, details.retryable ? 503 : 502, options);
    this.name = "JiraError";
    this.reason = details.reason;
    this.jiraStatus = details.jiraStatus;
    this.retryable = details.retryable;
    this.retryAfter = details.retryAfter;
    this.jiraMessages = details.jiraMessages;
  }
}

/** A JiraError from any bundle chunk (see lib/errors.ts on why not instanceof). */
export function isJiraError(error: unknown): error is JiraError {
  return isSlipwayError(error) && error.name === "JiraError";
}

/**
 * What the transport (jira-transport.ts) hands jira-client when a request fails. jira-client's doRequest turns any
 * rejection into `new Error(JSON.stringify(rejection))`, so this travels as JSON in the error's message and is read
 * back here: status, the headers that matter, Jira's body, or the network error's code.
 */
export interface JiraTransportFailure {
  jiraTransport: 1;
  statusCode?: number;
  headers?: { "retry-after"?: string; "x-seraph-loginreason"?: string; "content-type"?: string };
  body?: unknown;
  /** Node's error code for a request that got no answer: ECONNREFUSED, ETIMEDOUT, ESOCKETTIMEDOUT, ECONNRESET… */
  code?: string;
  message?: string;
}

export function readTransportFailure(error: unknown): JiraTransportFailure | undefined {
  if (!(error instanceof Error) || !error.message.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(error.message) as Partial<JiraTransportFailure>;
    return parsed?.jiraTransport === 1 ? (parsed as JiraTransportFailure) : undefined;
  } catch {
    return undefined;
  }
}

/** Jira's error collection (`{ errorMessages: [...], errors: { field: message } }`) as a list of sentences. */
export function jiraMessages(body: unknown): string[] {
  if (typeof body === "string") {
    const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    return text ? [text.slice(0, 300)] : [];
  }
  if (typeof body !== "object" || body === null) return [];
  const { errorMessages, errors, message } = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const messages: string[] = [];
  if (Array.isArray(errorMessages)) messages.push(...errorMessages.filter((entry): entry is string => typeof entry === "string"));
  if (typeof errors === "object" && errors !== null) {
    for (const [field, text] of Object.entries(errors)) if (typeof text === "string") messages.push(`${field}: ${text}`);
  }
  if (messages.length === 0 && typeof message === "string") messages.push(message);
  return messages;
}

/** How Jira words a refusal in a 400: "You do not have permission to…", "Field 'x' cannot be set. It is not on the appropriate screen". */
const PERMISSION_WORDS = /permission|not allowed|administrator rights|cannot be set\. it is not on the appropriate screen/i;
/**
 * A 404 that is a refusal ("You must have global or project administrator rights in order to modify versions."), not
 * Jira's "does not exist or you do not have permission to see it", which stays not-found.
 */
const REFUSAL_404 = /administrator rights|must have .*permission/i;
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
const RETRYABLE_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);

export interface JiraErrorContext {
  /** What Slipway was doing, for the sentence: "adding fix version 10001 to PAY-12". */
  action: string;
  /** The Jira permission the action needs, named as in Jira's permission schemes: "Edit Issues". */
  permission?: string;
  /** Where the credentials come from, for a 401: "JIRA_API_TOKEN (an API token of the account in JIRA_EMAIL)". */
  credentials: string;
  siteUrl: string;
  now?: Date;
}

/**
 * Turns whatever jira-client threw into a JiraError whose message says what happened and what to do. Callers that
 * give a status its own meaning (a 404 that means "unknown ticket", a 400 for a duplicate version name) check
 * `reason` and `jiraMessages` first.
 */
export function toJiraError(error: unknown, context: JiraErrorContext): JiraError {
  if (isJiraError(error)) return error;
  const failure = readTransportFailure(error);
  if (!failure) {
    return new JiraError(
      `Jira request failed while ${context.action}: ${errorMessage(error)}`,
      { reason: "unexpected", retryable: false, jiraMessages: [] },
      { cause: error },
    );
  }
  if (failure.statusCode === undefined) return networkError(failure, context, error);

  const status = failure.statusCode;
  const messages = jiraMessages(failure.body);
  const said = messages.length > 0 ? `: ${messages.join("; ")}` : "";
  const retryAfter = parseRetryAfter(failure.headers?.["retry-after"], context.now);
  const details = (reason: JiraErrorReason, retryable: boolean): JiraErrorDetails => ({
    reason,
    jiraStatus: status,
    retryable,
    retryAfter,
    jiraMessages: messages,
  });
  const needs = context.permission ? `the ${context.permission} permission` : "permission for this";
  let text: string;
  let reason: JiraErrorReason;
  let retryable = false;
  switch (true) {
    case status === 401:
      reason = "unauthorized";
      text =
        failure.headers?.["x-seraph-loginreason"]?.includes("AUTHENTICATION_DENIED")
          ? `Jira asks the account to solve a CAPTCHA after failed sign-ins (401) while ${context.action}: sign in to ${context.siteUrl} in a browser once, then check ${context.credentials}`
          : `Jira rejected the credentials (401${said}) while ${context.action}: check ${context.credentials}`;
      break;
    case status === 403:
      reason = "forbidden";
      text = `Jira refused ${context.action} (403${said}): the account needs ${needs}; ask a Jira administrator to grant it`;
      break;
    case (status === 400 && messages.some((message) => PERMISSION_WORDS.test(message))) ||
      (status === 404 && messages.some((message) => REFUSAL_404.test(message))):
      reason = "forbidden";
      text = `Jira refused ${context.action} (${status}${said}): the account needs ${needs}; ask a Jira administrator to grant it`;
      break;
    case status === 404:
      reason = "not-found";
      text = `Jira found nothing while ${context.action} (404${said}): it does not exist, or the account lacks the Browse Projects permission for it`;
      break;
    case status === 409:
      reason = "conflict";
      retryable = true;
      text = `Jira reported a conflicting update while ${context.action} (409${said}); try again`;
      break;
    case status === 429:
      reason = "rate-limited";
      retryable = true;
      text = `Jira rate limit reached while ${context.action}${retryAfter ? `; it allows a retry at ${retryAfter.toISOString()}` : "; try again in a minute"}`;
      break;
    case status >= 500:
      reason = "unavailable";
      retryable = true;
      text = `Jira is unavailable (${status}) while ${context.action}; try again later`;
      break;
    case status === 400 || status === 413 || status === 422:
      reason = "invalid";
      text = `Jira rejected ${context.action} (${status}${said})`;
      break;
    default:
      reason = "unexpected";
      text = `Jira answered ${status} while ${context.action}${said}`;
  }
  return new JiraError(text, details(reason, retryable), { cause: error });
}

function networkError(failure: JiraTransportFailure, context: JiraErrorContext, cause: unknown): JiraError {
  const code = failure.code ?? "";
  if (CERTIFICATE_CODES.test(code)) {
    return new JiraError(
      `Jira's TLS certificate at ${context.siteUrl} is not trusted (${code}) while ${context.action}: add its CA to NODE_EXTRA_CA_CERTS`,
      { reason: "unreachable", retryable: false, jiraMessages: [] },
      { cause },
    );
  }
  const timedOut = code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT";
  return new JiraError(
    timedOut
      ? `Jira at ${context.siteUrl} did not answer in time while ${context.action}; try again later`
      : `could not reach Jira at ${context.siteUrl} while ${context.action}: ${failure.message ?? code}`,
    { reason: "unreachable", retryable: RETRYABLE_CODES.has(code) || code === "", jiraMessages: [] },
    { cause },
  );
}
