import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../platform/errors';
import { sameSecret } from './api-token';
import type { OrganisationRepository } from './organisation-repository';
import { ANONYMOUS, type Principal } from './principal';
import { clearSessionCookie, readSessionCookie } from './session-cookie';
import type { SessionRepository } from './session-repository';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
      /** The session behind a cookie-authenticated request: what CSRF checks and sign-out need. */
      userSession?: { idHash: string; csrfToken: string };
    }
  }
}

export function principalOf(req: Request): Principal {
  return req.principal ?? ANONYMOUS;
}

/**
 * Bearer token or session cookie → req.principal. A Bearer header wins when both are sent. A token
 * that is sent but unknown or revoked is a 401, never anonymous; an unknown or ended session
 * cookie is anonymous, and the answer clears it.
 */
export function authenticate(deps: { organisations: OrganisationRepository; sessions: SessionRepository; adminToken?: string }): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header) {
      req.principal = await bearerPrincipal(deps, header);
      return next();
    }
    const cookie = readSessionCookie(req);
    if (cookie === undefined) return next();
    const session = await deps.sessions.resume(cookie);
    if (!session) {
      clearSessionCookie(req, res);
      return next();
    }
    const { user } = session;
    req.principal = { kind: 'user', userId: user.id, organisationId: user.organisationId, roles: user.roles, email: user.email, sessionId: session.idHash };
    req.userSession = { idHash: session.idHash, csrfToken: session.csrfToken };
    next();
  };
}

async function bearerPrincipal(deps: { organisations: OrganisationRepository; adminToken?: string }, header: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
  const token = match[1]!;
  if (deps.adminToken && sameSecret(token, deps.adminToken)) return { kind: 'operator' };
  const found = await deps.organisations.findByToken(token);
  if (!found) throw new UnauthorizedError('This API token is not recognised or has been revoked.');
  return { kind: 'publisher', organisationId: found.organisationId, tokenId: found.id, tokenName: found.name };
}
