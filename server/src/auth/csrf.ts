import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../platform/errors';
import { sameSecret } from './api-token';

/** Methods that only read; every other method changes something. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sign-in has no session yet, so no token; it is guarded by `refuseCrossSiteRequest` instead. */
const SIGN_IN = /^\/api\/session\/?$/i;

export const CSRF_HEADER = 'X-CSRF-Token';

/**
 * A cookie is sent by the browser whichever site made the request, so every write made with the
 * session cookie must also carry the session's CSRF token in X-CSRF-Token, which only our own
 * pages can read (GET /api/session). Bearer-token requests carry no ambient credential and pass.
 * Runs after `authenticate` and before any route.
 */
export function requireCsrfToken(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.principal?.kind !== 'user') return next();
    if (req.method === 'POST' && SIGN_IN.test(req.path)) return next();
    const sent = req.get(CSRF_HEADER);
    if (!sent || !req.userSession || !sameSecret(sent, req.userSession.csrfToken)) {
      throw new ForbiddenError(`This change needs the ${CSRF_HEADER} header with your session's token (from GET /api/session); nothing was changed.`);
    }
    next();
  };
}

/**
 * Refuses a sign-in posted from another site (login CSRF): Sec-Fetch-Site must be same-origin
 * (or none: typed by the user), and an Origin header must name this host. Clients that send
 * neither (curl, scripts) are not browsers and pass.
 */
export function refuseCrossSiteRequest(req: Request): void {
  const refuse = () => {
    throw new ForbiddenError('Sign in from this site’s own sign-in page; requests from other sites are refused.');
  };
  const site = req.get('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') refuse();
  const origin = req.get('Origin');
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (!host || host.toLowerCase() !== req.host?.toLowerCase()) refuse();
}
