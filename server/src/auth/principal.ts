import { ForbiddenError, UnauthorizedError } from '../platform/errors';

/** What a signed-in user may do in its organisation: publish layers, administer its people and tokens, moderate. */
export const ROLES = ['admin', 'publisher', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling: the operator (admin token), a publisher token of one organisation, a person
 * signed in with a session cookie, or nobody.
 */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'operator' }
  | { kind: 'publisher'; organisationId: string; tokenId: number; tokenName: string }
  | { kind: 'user'; userId: number; organisationId: string; roles: Role[]; email: string; sessionId: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The organisation a token or a user belongs to; none for the operator and anonymous. */
export function organisationOf(p: Principal): string | undefined {
  return p.kind === 'publisher' || p.kind === 'user' ? p.organisationId : undefined;
}

/** A user may publish with the publisher or admin role; a moderator alone may not. */
function userMayPublish(p: Extract<Principal, { kind: 'user' }>): boolean {
  return p.roles.includes('publisher') || p.roles.includes('admin');
}

export function requireOperator(p: Principal): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (p.kind !== 'operator') throw new ForbiddenError('Only the operator (the admin token) can do this.');
}

/** Anyone who may publish somewhere: the operator, a publisher token, a user with the publisher or admin role. */
export function requirePublisher(p: Principal): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (p.kind === 'user' && !userMayPublish(p)) throw new ForbiddenError('This needs the publisher role in your organisation.');
}

/** A publisher may write only its own organisation's things; the operator may write any. */
export function requireWriteAccess(p: Principal, organisationId: string): void {
  requirePublisher(p);
  const own = organisationOf(p);
  if (own !== undefined && own !== organisationId) {
    const who = p.kind === 'user' ? 'You belong' : 'This token belongs';
    throw new ForbiddenError(`${who} to organisation "${own}" and cannot change "${organisationId}"'s layers.`);
  }
}

/**
 * Reading an organisation's own records (uploads, harvests, source health): anyone who belongs to
 * it, whatever their role (a moderator too), its tokens, and the operator.
 */
export function requireReadAccess(p: Principal, organisationId: string): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  const own = organisationOf(p);
  if (own !== undefined && own !== organisationId) {
    throw new ForbiddenError(`${p.kind === 'user' ? 'You belong' : 'This token belongs'} to organisation "${own}" and cannot see "${organisationId}"'s records.`);
  }
}

/**
 * Managing an organisation's API tokens: the operator, or that organisation's signed-in users
 * with the publisher or admin role. A token cannot mint or revoke tokens.
 */
export function requireTokenManager(p: Principal, organisationId: string): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (p.kind === 'operator') return;
  if (p.kind === 'publisher') throw new ForbiddenError('API tokens are managed by a signed-in publisher or the operator, not with a token.');
  requireWriteAccess(p, organisationId);
}

/** Seeing an organisation's people: the operator, or a signed-in admin of that organisation. */
export function requireOrganisationAdmin(p: Principal, organisationId: string): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (p.kind === 'operator') return;
  if (p.kind === 'user' && p.organisationId === organisationId && p.roles.includes('admin')) return;
  throw new ForbiddenError(`Only the operator or an admin of "${organisationId}" can do this.`);
}

/** Recorded on versions and uploads as "who". */
export function describePrincipal(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'operator':
      return 'operator';
    case 'publisher':
      return `${p.organisationId}/token:${p.tokenName}`;
    case 'user':
      return `${p.organisationId}/user:${p.email}`;
  }
}
