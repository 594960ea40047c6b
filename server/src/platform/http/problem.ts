import type { ServerResponse } from 'node:http';
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
  return (err: unknown, req, res, _next) => writeProblem(res, err, req.originalUrl, log);
}

/** The problem response for `err` on a plain node response (the Express handler above and the read routes share it). */
export function writeProblem(res: ServerResponse, err: unknown, instance: string, log: Logger): void {
  const appError = toAppError(err);
  const path = instance.split('?', 1)[0];
  if (appError.status >= 500) log.error({ err, path }, 'request failed');
  else log.debug({ path, status: appError.status, detail: appError.publicMessage }, 'request refused');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(problemBody(appError, instance));
  res.writeHead(appError.status, { ...appError.headers, 'Content-Type': `${PROBLEM_JSON}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
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
