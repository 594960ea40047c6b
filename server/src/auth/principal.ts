import { ForbiddenError, UnauthorizedError } from '../platform/errors';

/** Who is calling: the operator (admin token), a publisher token of one organisation, or nobody. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'operator' }
  | { kind: 'publisher'; organisationId: string; tokenId: number; tokenName: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export function requireOperator(p: Principal): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (p.kind !== 'operator') throw new ForbiddenError('Only the operator (the admin token) can do this.');
}

/** A publisher may write only its own organisation's things; the operator may write any. */
export function requireWriteAccess(p: Principal, organisationId: string): void {
  if (p.kind === 'anonymous') throw new UnauthorizedError();
  if (p.kind === 'publisher' && p.organisationId !== organisationId) {
    throw new ForbiddenError(`This token belongs to organisation "${p.organisationId}" and cannot change "${organisationId}"'s layers.`);
  }
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
  }
}
