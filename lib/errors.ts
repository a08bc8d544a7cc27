/**
 * Expected failures carry a message meant for the person using Slipway and the HTTP status that fits it.
 * Anything else is unexpected: logged with context, shown as a generic error.
 */
export class SlipwayError extends Error {
  constructor(
    message: string,
    readonly status: number = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SlipwayError";
  }
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

/** Input that fails validation at the edge. */
export class ValidationError extends SlipwayError {
  constructor(message: string) {
    super(message, 400);
    this.name = "ValidationError";
  }
}
