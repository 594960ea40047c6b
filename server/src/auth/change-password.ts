import { ForbiddenError, InvalidParameterError, UnauthorizedError } from '../platform/errors';
import type { Principal } from './principal';
import { verifyPassword } from './passwords';
import { ACCOUNT_LOCKOUT, type SignInDeps } from './sign-in';

/**
 * A signed-in user changes its password: the current one must be right (a wrong one counts
 * towards the account's lockout, as at sign-in), then every other session of the user ends.
 */
export async function changePassword(
  deps: Pick<SignInDeps, 'users' | 'sessions' | 'clock'>,
  principal: Extract<Principal, { kind: 'user' }>,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await deps.users.findCredentials(principal.email);
  if (!user || user.id !== principal.userId) throw new UnauthorizedError('Sign in again: this account is no longer there.');
  const matches = await verifyPassword(input.currentPassword, user.passwordHash);
  const now = deps.clock();
  const refused = new ForbiddenError('The current password is wrong, or the account is locked for a while after too many attempts; nothing was changed.');
  if (user.lockedUntil && user.lockedUntil > now) throw refused;
  if (!matches) {
    await deps.users.recordFailedSignIn(user.id, ACCOUNT_LOCKOUT.failures, new Date(now.getTime() + ACCOUNT_LOCKOUT.lockMs));
    throw refused;
  }
  if (input.newPassword === input.currentPassword) {
    throw new InvalidParameterError('The new password must differ from the current one.', { fields: [{ field: 'newPassword', problem: 'same as the current password' }] });
  }
  await deps.users.setPassword(user.id, input.newPassword, now);
  await deps.sessions.removeOthers(user.id, principal.sessionId);
}
