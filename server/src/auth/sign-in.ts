import type { Clock } from '../platform/clock';
import { UnauthorizedError } from '../platform/errors';
import { spendVerifyTime, verifyPassword } from './passwords';
import type { SessionRepository } from './session-repository';
import type { SignInLimits } from './sign-in-limits';
import type { User, UserRepository } from './user-repository';

/** Failed sign-ins in a row that lock an account, and for how long. */
export const ACCOUNT_LOCKOUT = { failures: 5, lockMs: 15 * 60_000 };

/** One answer for every failure, so it tells nothing about which emails have accounts. */
export const SIGN_IN_REFUSED = 'The email or password is wrong, or the account is locked for a while after too many attempts.';

export interface SignInDeps {
  users: UserRepository;
  sessions: SessionRepository;
  signInLimits: SignInLimits;
  clock: Clock;
}

export interface SignedIn {
  user: User;
  session: { id: string; csrfToken: string; expiresAt: Date };
}

/**
 * Email + password → a new session. The client address's allowance is checked first (429);
 * then every failure — unknown email, disabled or locked account, wrong password — costs one
 * scrypt and gets the same 401. A locked account is refused even with the right password.
 */
export async function signIn(deps: SignInDeps, input: { email: string; password: string; ip: string; userAgent?: string }): Promise<SignedIn> {
  const attempt = await deps.signInLimits.reserve(input.ip);
  const user = await deps.users.findCredentials(input.email);
  if (!user || user.disabledAt) {
    await spendVerifyTime(input.password);
    throw new UnauthorizedError(SIGN_IN_REFUSED);
  }
  const matches = await verifyPassword(input.password, user.passwordHash);
  const now = deps.clock();
  if (user.lockedUntil && user.lockedUntil > now) throw new UnauthorizedError(SIGN_IN_REFUSED);
  if (!matches) {
    await deps.users.recordFailedSignIn(user.id, ACCOUNT_LOCKOUT.failures, new Date(now.getTime() + ACCOUNT_LOCKOUT.lockMs));
    throw new UnauthorizedError(SIGN_IN_REFUSED);
  }
  await deps.users.recordSignIn(user.id);
  await deps.signInLimits.release(attempt);
  const session = await deps.sessions.create(user.id, { ip: input.ip, userAgent: input.userAgent });
  const { passwordHash: _hash, ...plain } = user;
  return { user: { ...plain, lockedUntil: null }, session };
}
