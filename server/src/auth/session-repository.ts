import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../platform/clock';
import { sha256Hex } from '../platform/sha256';
import type { Role } from './principal';

/** How long a session lives: ended after `idleMs` unused, and `maxMs` after sign-in whatever happens. */
export interface SessionLifetime {
  idleMs: number;
  maxMs: number;
}

/** A live session and whose it is. `idHash` names it everywhere except the cookie. */
export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: number; organisationId: string; email: string; roles: Role[] };
}

/** last_seen_at is written at most this often, so a busy page's reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

/** The cookie's value: 32 random bytes, base64url (43 characters). */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export const hashSessionId = (id: string) => sha256Hex(id);

interface SessionRow {
  id_hash: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  user_id: number;
  organisation_id: string;
  email: string;
  roles: Role[];
}

/** Server-side sessions in the database, so every app process knows every session. */
export function createSessionRepository(knex: Knex, lifetime: SessionLifetime, clock: Clock) {
  return {
    /** A new session for this user; the raw id goes in the cookie and is not stored. */
    async create(userId: number, client: { ip?: string; userAgent?: string }): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
      const now = clock();
      // Tidy: sessions past either limit are gone for good.
      await knex('sessions')
        .where('expires_at', '<=', now)
        .orWhere('last_seen_at', '<=', new Date(now.getTime() - lifetime.idleMs))
        .delete();
      const id = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + lifetime.maxMs);
      await knex('sessions').insert({
        id_hash: hashSessionId(id),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        ip: client.ip ?? null,
        user_agent: client.userAgent?.slice(0, 500) ?? null,
      });
      return { id, csrfToken, expiresAt };
    },

    /** The live session for a cookie value, its idle clock restarted; undefined (and removed) when it has ended. */
    async resume(id: string): Promise<ActiveSession | undefined> {
      if (!SESSION_ID.test(id)) return undefined;
      const idHash = hashSessionId(id);
      const row = await knex('sessions as s')
        .join('users as u', 'u.id', 's.user_id')
        .where('s.id_hash', idHash)
        .whereNull('u.disabled_at')
        .first<SessionRow | undefined>('s.id_hash', 's.csrf_token', 's.last_seen_at', 's.expires_at', 's.user_id', 'u.organisation_id', 'u.email', 'u.roles');
      if (!row) return undefined;
      const now = clock().getTime();
      if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + lifetime.idleMs <= now) {
        await this.remove(idHash);
        return undefined;
      }
      if (now - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
        await knex('sessions').where({ id_hash: idHash }).update({ last_seen_at: new Date(now) });
      }
      return {
        idHash,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
        user: { id: row.user_id, organisationId: row.organisation_id, email: row.email, roles: row.roles },
      };
    },

    async remove(idHash: string): Promise<void> {
      await knex('sessions').where({ id_hash: idHash }).delete();
    },

    /** Ends every session of this user except `keepIdHash` (after a password change). */
    async removeOthers(userId: number, keepIdHash: string): Promise<number> {
      return knex('sessions').where({ user_id: userId }).whereNot({ id_hash: keepIdHash }).delete();
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
