/**
 * Expected failures carry a message meant for the person using Slipway and the HTTP status that fits it.
 * Anything else is unexpected: logged with context, shown as a generic error.
 *
 * Classify errors with `isSlipwayError` and `hasErrorName`, not `instanceof`: Next bundles server code into several
 * chunks, each with its own copy of this module, so an error thrown in one chunk is not an instance of the class another
 * chunk imported. A global brand and the error's name survive that.
 */
const BRAND = Symbol.for("slipway.error");

export class SlipwayError extends Error {
  readonly [BRAND] = true;

  constructor(
    message: string,
    readonly status: number = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SlipwayError";
  }
}

/** An expected error from any copy of this module: it has a message for the person and a status. */
export function isSlipwayError(error: unknown): error is SlipwayError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

export type SlipwayErrorName =
  | "ConfigError"
  | "NotFoundError"
  | "GitError"
  | "UnauthorizedError"
  | "ForbiddenError"
  | "ValidationError"
  | "ConflictError"
  | "PlanOutdatedError"
  | "DataDirLockedError"
  | "JiraError"
  | "SlackError"
  | "GrafanaError";

/** Whether `error` is a Slipway error of that class (or a subclass that keeps its name), from any bundle chunk. */
export function hasErrorName(error: unknown, name: SlipwayErrorName): boolean {
  return isSlipwayError(error) && error.name === name;
}

/** slipway.yaml or an environment variable is wrong; the message names the file, the key and the fix. */
export class ConfigError extends SlipwayError {
  constructor(message: string) {
    super(message, 500);
    this.name = "ConfigError";
  }
}

export class NotFoundError extends SlipwayError {
  constructor(message: string) {
    super(message, 404);
    this.name = "NotFoundError";
  }
}

/** A git repository could not be read (missing branch, unreachable remote, missing file). */
export class GitError extends SlipwayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 502, options);
    this.name = "GitError";
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** No signed-in user where one is needed. */
export class UnauthorizedError extends SlipwayError {
  constructor(message = "Sign in to continue.") {
    super(message, 401);
    this.name = "UnauthorizedError";
  }
}

/** Signed in, but the role does not allow this here. Nothing was changed. */
export class ForbiddenError extends SlipwayError {
  constructor(message: string) {
    super(message, 403);
    this.name = "ForbiddenError";
  }
}

/** The request is valid, but the thing it acts on is not in a state that allows it (merged, moved since review). */
export class ConflictError extends SlipwayError {
  constructor(message: string) {
    super(message, 409);
    this.name = "ConflictError";
  }
}

/** Input that fails validation at the edge. */
export class ValidationError extends SlipwayError {
  constructor(message: string) {
    super(message, 400);
    this.name = "ValidationError";
  }
}
