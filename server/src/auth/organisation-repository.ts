import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../platform/errors';
import { generateApiToken, hashApiToken } from './api-token';

export interface Organisation {
  id: string;
  name: string;
  nameCy: string | null;
  createdAt: Date;
}

export interface IssuedToken {
  id: number;
  organisationId: string;
  name: string;
  prefix: string;
  /** The secret, returned only when issued. */
  token: string;
}

/** A token as its organisation sees it: no secret. */
export interface TokenSummary {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface TokenRow {
  id: number;
  name: string;
  token_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

interface OrganisationRow {
  id: string;
  name: string;
  name_cy: string | null;
  created_at: Date;
}

const toOrganisation = (r: OrganisationRow): Organisation => ({ id: r.id, name: r.name, nameCy: r.name_cy, createdAt: r.created_at });

export function createOrganisationRepository(knex: Knex) {
  return {
    async create(input: { id: string; name: string; nameCy?: string | null }): Promise<Organisation> {
      const existing = await knex('organisations').where({ id: input.id }).first();
      if (existing) throw new ConflictError(`An organisation with id "${input.id}" already exists.`);
      const [row] = await knex('organisations')
        .insert({ id: input.id, name: input.name, name_cy: input.nameCy ?? null })
        .returning('*');
      return toOrganisation(row as OrganisationRow);
    },

    async get(id: string): Promise<Organisation | undefined> {
      const row = await knex<OrganisationRow>('organisations').where({ id }).first();
      return row ? toOrganisation(row) : undefined;
    },

    async require(id: string): Promise<Organisation> {
      const org = await this.get(id);
      if (!org) throw new NotFoundError(`There is no organisation "${id}".`);
      return org;
    },

    async list(): Promise<Organisation[]> {
      return (await knex<OrganisationRow>('organisations').orderBy('id')).map(toOrganisation);
    },

    async issueToken(organisationId: string, name: string): Promise<IssuedToken> {
      await this.require(organisationId);
      const { token, hash, prefix } = generateApiToken();
      const [row] = await knex('api_tokens')
        .insert({ organisation_id: organisationId, name, token_hash: hash, token_prefix: prefix })
        .returning(['id']);
      return { id: (row as { id: number }).id, organisationId, name, prefix, token };
    },

    /** The organisation's tokens, newest first; the secret is never stored, so never listed. */
    async listTokens(organisationId: string): Promise<TokenSummary[]> {
      await this.require(organisationId);
      const rows = await knex('api_tokens')
        .where({ organisation_id: organisationId })
        .orderBy('id', 'desc')
        .select<TokenRow[]>('id', 'name', 'token_prefix', 'created_at', 'last_used_at', 'revoked_at');
      return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.token_prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
    },

    async revokeToken(organisationId: string, tokenId: number): Promise<boolean> {
      const n = await knex('api_tokens')
        .where({ id: tokenId, organisation_id: organisationId })
        .whereNull('revoked_at')
        .update({ revoked_at: knex.fn.now() });
      return n > 0;
    },

    /** The live token matching this secret, if any; records when it was last used. */
    async findByToken(token: string): Promise<{ id: number; organisationId: string; name: string } | undefined> {
      const row = await knex('api_tokens')
        .where({ token_hash: hashApiToken(token) })
        .whereNull('revoked_at')
        .first<{ id: number; organisation_id: string; name: string } | undefined>('id', 'organisation_id', 'name');
      if (!row) return undefined;
      // At most one write a minute per token, so reads stay reads.
      await knex('api_tokens')
        .where({ id: row.id })
        .andWhere((q) => q.whereNull('last_used_at').orWhereRaw("last_used_at < now() - interval '1 minute'"))
        .update({ last_used_at: knex.fn.now() });
      return { id: row.id, organisationId: row.organisation_id, name: row.name };
    },
  };
}

export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;
