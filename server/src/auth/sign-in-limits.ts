import type { Knex } from 'knex';
import type { Clock } from '../platform/clock';
import { TooManyRequestsError } from '../platform/errors';

/** How many sign-ins one client address may fail within the window. */
export interface SignInRateLimit {
  attempts: number;
  windowMs: number;
}

/**
 * Sign-in attempts per client address, counted in the database so every app process shares the
 * count. An attempt is reserved before the password is checked (under an advisory lock on its
 * key, so parallel requests cannot slip past the limit) and given back when the sign-in succeeds:
 * only failures use up the allowance.
 */
export function createSignInLimits(knex: Knex, limit: SignInRateLimit, clock: Clock) {
  return {
    /** Reserves one attempt for this address, or throws 429 with the seconds until one is free. */
    async reserve(ip: string): Promise<number> {
      const key = `ip:${ip}`;
      const now = clock();
      const windowStart = new Date(now.getTime() - limit.windowMs);
      return knex.transaction(async (trx) => {
        await trx.raw("SELECT pg_advisory_xact_lock(hashtext('haenau:sign-in:' || ?))", [key]);
        await trx('sign_in_attempts').where('at', '<=', windowStart).delete();
        const recent = await trx('sign_in_attempts').where({ key }).andWhere('at', '>', windowStart).orderBy('at', 'desc').limit(limit.attempts).select<Array<{ at: Date }>>('at');
        if (recent.length >= limit.attempts) {
          // The oldest of the last `attempts` leaves the window first and frees a place.
          const frees = recent[recent.length - 1]!.at.getTime() + limit.windowMs;
          const seconds = Math.max(1, Math.ceil((frees - now.getTime()) / 1000));
          throw new TooManyRequestsError(`Too many sign-in attempts from your network. Try again in ${Math.ceil(seconds / 60)} minute(s).`, seconds);
        }
        const [row] = await trx('sign_in_attempts').insert({ key, at: now }).returning('id');
        return Number((row as { id: number | string }).id);
      });
    },

    /** Gives back a reserved attempt: the sign-in succeeded. */
    async release(attemptId: number): Promise<void> {
      await knex('sign_in_attempts').where({ id: attemptId }).delete();
    },
  };
}

export type SignInLimits = ReturnType<typeof createSignInLimits>;
