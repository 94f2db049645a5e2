/**
 * Errors a person can act on. Each carries a one-line message that says what is
 * wrong and, where it helps, what to do next. The HTTP layer maps them to 4xx/503
 * JSON answers, the CLI to a one-line message and an exit code; anything else is a
 * defect and becomes a 500 / "unexpected error".
 */
export abstract class MissiveError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  /** CLI exit code: 2 for a mistake in what the user gave, 1 for a failure to do it. */
  readonly exitCode: number = 2;

  /** `cause` keeps the error this one explains (logged, never shown to the user). */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // "ValidationError: ..." in logs and stack traces, not "Error: ...".
    this.name = new.target.name;
  }
}

/** A value someone typed, quoted in a message: JSON-quoted (controls shown, not acted on), cut at 80 characters. */
export const quoted = (value: string): string =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);

/** A setting (environment variable or flag) is missing or malformed. */
export class ConfigError extends MissiveError {
  readonly code = 'bad_setting';
  readonly httpStatus = 500;
}

/** Input (request body, file, argument) fails validation. */
export class ValidationError extends MissiveError {
  readonly code = 'invalid_input';
  readonly httpStatus = 400;
}

/** The object does not exist, or the caller may not know that it does. */
export class NotFoundError extends MissiveError {
  readonly code = 'not_found';
  readonly httpStatus = 404;
}

/** The request conflicts with the current state (duplicate, wrong status). */
export class ConflictError extends MissiveError {
  readonly code = 'conflict';
  readonly httpStatus = 409;
}

/** A dependency (DynamoDB, SES) cannot be reached; retrying later may work. */
export class UnavailableError extends MissiveError {
  readonly code = 'unavailable';
  readonly httpStatus = 503;
  override readonly exitCode = 1;
}

/** No valid credentials: missing, expired, forged or malformed bearer token. */
export class UnauthenticatedError extends MissiveError {
  readonly code = 'unauthenticated';
  readonly httpStatus = 401;
}

/** Signed in, but the role does not allow this. */
export class ForbiddenError extends MissiveError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
}
