import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../platform/errors';
import { escapeXml } from '../platform/xml';

/** An OWS exception: the exceptionCode and locator WFS clients expect, with an HTTP status. */
export class OwsException extends AppError {
  constructor(
    readonly code: 'MissingParameterValue' | 'InvalidParameterValue' | 'OperationNotSupported' | 'VersionNegotiationFailed' | 'NoApplicableCode' | 'OperationParsingFailed',
    readonly locator: string,
    message: string,
    status = 400,
  ) {
    super(status, code, message);
  }
}

export function exceptionReport(code: string, locator: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0" xml:lang="en">
  <ows:Exception exceptionCode="${escapeXml(code)}" locator="${escapeXml(locator)}">
    <ows:ExceptionText>${escapeXml(message)}</ows:ExceptionText>
  </ows:Exception>
</ows:ExceptionReport>`;
}

/** Errors on /wfs become ows:ExceptionReport XML (never problem+json, which WFS clients cannot read). */
export function wfsErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (!req.path.startsWith('/wfs')) return next(err);
    const e =
      err instanceof OwsException
        ? err
        : err instanceof AppError
          ? new OwsException(err.status === 404 ? 'InvalidParameterValue' : 'NoApplicableCode', '', err.publicMessage, err.status)
          : new OwsException('NoApplicableCode', '', 'Something went wrong on our side; the error has been logged.', 500);
    if (e.status >= 500) log.error({ err, path: req.path }, 'WFS request failed');
    res.status(e.status).type('application/xml').send(exceptionReport(e.code, e.locator, e.publicMessage));
  };
}
