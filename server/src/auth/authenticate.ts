import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../platform/errors';
import { sameSecret } from './api-token';
import type { OrganisationRepository } from './organisation-repository';
import { ANONYMOUS, type Principal } from './principal';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export function principalOf(req: Request): Principal {
  return req.principal ?? ANONYMOUS;
}

/** Bearer token → req.principal. A token that is sent but unknown or revoked is a 401, never anonymous. */
export function authenticate(deps: { organisations: OrganisationRepository; adminToken?: string }): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
    const token = match[1]!;
    if (deps.adminToken && sameSecret(token, deps.adminToken)) {
      req.principal = { kind: 'operator' };
      return next();
    }
    const found = await deps.organisations.findByToken(token);
    if (!found) throw new UnauthorizedError('This API token is not recognised or has been revoked.');
    req.principal = { kind: 'publisher', organisationId: found.organisationId, tokenId: found.id, tokenName: found.name };
    next();
  };
}
