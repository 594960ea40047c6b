import type { Knex } from 'knex';
import { ConflictError, InvalidParameterError } from '../platform/errors';
import type { OrganisationRepository } from './organisation-repository';
import { hashPassword, passwordProblem } from './passwords';
import type { Role } from './principal';

/** A person who signs in; never carries the password hash. */
export interface User {
  id: number;
  organisationId: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
  passwordChangedAt: Date;
  lockedUntil: Date | null;
  disabledAt: Date | null;
}

/** What sign-in needs: the user and its hash. */
export interface UserCredentials extends User {
  passwordHash: string;
}

interface UserRow {
  id: number;
  organisation_id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: Role[];
  failed_sign_ins: number;
  locked_until: Date | null;
  password_changed_at: Date;
  created_at: Date;
  disabled_at: Date | null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  organisationId: r.organisation_id,
  email: r.email,
  name: r.name,
  roles: r.roles,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
  lockedUntil: r.locked_until,
  disabledAt: r.disabled_at,
});

/** Emails are kept lower-cased and trimmed, so "A@x" and "a@x " are one account. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** The JSON a client sees of a user. */
export const userToJson = (u: User) => ({ id: u.id, email: u.email, name: u.name, organisation: u.organisationId, roles: u.roles, createdAt: u.createdAt });

export function createUserRepository(knex: Knex, organisations: OrganisationRepository) {
  return {
    async create(input: { organisationId: string; email: string; name: string; roles: Role[]; password: string }): Promise<User> {
      await organisations.require(input.organisationId);
      const email = normaliseEmail(input.email);
      const problem = passwordProblem(input.password, email);
      if (problem) throw new InvalidParameterError(problem, { fields: [{ field: 'password', problem }] });
      if (await knex('users').where({ email }).first('id')) throw new ConflictError(`There is already an account for ${email}.`);
      const [row] = await knex('users')
        .insert({
          organisation_id: input.organisationId,
          email,
          name: input.name,
          roles: JSON.stringify([...new Set(input.roles)]),
          password_hash: await hashPassword(input.password),
        })
        .returning('*');
      return toUser(row as UserRow);
    },

    async get(id: number): Promise<User | undefined> {
      const row = await knex<UserRow>('users').where({ id }).first();
      return row ? toUser(row) : undefined;
    },

    async findCredentials(email: string): Promise<UserCredentials | undefined> {
      const row = await knex<UserRow>('users').where({ email: normaliseEmail(email) }).first();
      return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
    },

    async listByOrganisation(organisationId: string): Promise<User[]> {
      await organisations.require(organisationId);
      return (await knex<UserRow>('users').where({ organisation_id: organisationId }).orderBy('email')).map(toUser);
    },

    /**
     * Counts a failed sign-in; the `maxFailures`-th starts a lock until `lockedUntil` and restarts
     * the count, so after the lock another full run of failures is needed. One statement, so
     * concurrent failures all count.
     */
    async recordFailedSignIn(id: number, maxFailures: number, lockedUntil: Date): Promise<void> {
      await knex.raw(
        `UPDATE users SET
           locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ?::timestamptz ELSE locked_until END,
           failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0 ELSE failed_sign_ins + 1 END
         WHERE id = ?`,
        [maxFailures, lockedUntil.toISOString(), maxFailures, id],
      );
    },

    async recordSignIn(id: number): Promise<void> {
      await knex('users').where({ id }).update({ failed_sign_ins: 0, locked_until: null });
    },

    async setPassword(id: number, password: string, now: Date): Promise<void> {
      const user = await this.get(id);
      const problem = passwordProblem(password, user?.email);
      if (problem) throw new InvalidParameterError(problem, { fields: [{ field: 'newPassword', problem }] });
      await knex('users').where({ id }).update({ password_hash: await hashPassword(password), password_changed_at: now });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
