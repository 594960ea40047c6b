import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, NotFoundError } from '../errors';

export const PROBLEM_JSON = 'application/problem+json';

/** RFC 9457 body: type/title/status/detail/instance plus any extension members the error carries. */
function problemBody(err: AppError, instance: string): Record<string, unknown> {
  return { type: 'about:blank', title: err.title, status: err.status, detail: err.publicMessage, instance, ...err.extra };
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new NotFoundError(`There is nothing at ${req.path}.`));
}

/** Renders every error as application/problem+json; anything not an AppError is a logged 500. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) log.error({ err, path: req.path }, 'request failed');
    else log.debug({ path: req.path, status: appError.status, detail: appError.publicMessage }, 'request refused');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.set(appError.headers);
    res.status(appError.status).type(PROBLEM_JSON).send(JSON.stringify(problemBody(appError, req.originalUrl)));
  };
}

/** Body-parser and other middleware throw http-errors shaped objects; give them officer-readable words. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string; limit?: number };
  if (e?.type === 'entity.too.large') {
    return new AppError(413, 'Too large', `The request body is larger than the limit of ${e.limit} bytes.`);
  }
  if (e?.type === 'entity.parse.failed') {
    return new AppError(400, 'Invalid request', `The request body is not valid JSON: ${(err as Error).message}.`);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, 'Invalid request', (err as Error).message);
  }
  return new AppError(500, 'Internal error', 'Something went wrong on our side; the error has been logged.', {}, { cause: err });
}
