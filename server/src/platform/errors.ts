/**
 * Typed errors: each carries the HTTP status, a short title, and a message written for a council
 * officer. `cause` is logged, never sent.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly publicMessage: string,
    readonly extra: Record<string, unknown> = {},
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(publicMessage, options);
    this.name = new.target.name;
    this.headers = options?.headers ?? {};
  }

  /** Response headers that go with the error, e.g. Retry-After. */
  readonly headers: Record<string, string>;
}

export class InvalidParameterError extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(400, 'Invalid request', message, extra);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'This needs an API token: send it as "Authorization: Bearer <token>".') {
    super(401, 'Not signed in', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'Not allowed', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'Not found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(413, 'Too large', message, extra);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'Unsupported format', message);
  }
}

/** Too many requests of one kind from one client; Retry-After says when to try again. */
export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'Too many attempts', message, { retryAfter: retryAfterSeconds }, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** The input was read but what it says cannot be published (e.g. a validation report with errors). */
export class UnprocessableError extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(422, 'Cannot be published', message, extra);
  }
}
