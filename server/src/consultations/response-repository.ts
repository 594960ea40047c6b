import type { Knex } from 'knex';
import { queryRows } from '../platform/db/database';

export type ResponseStatus = 'pending' | 'approved' | 'rejected';

export interface NewResponse {
  consultationId: string;
  kind: string;
  /** SQL for the place's geometry in EPSG:4326 (a drawn shape, or a copy of a picked feature's). */
  geometry: Knex.Raw;
  layerSlug?: string;
  layerVersion?: number;
  featureId?: string;
  comment: string;
  category?: string;
  sentiment?: string;
  answers: Record<string, string>;
  lang: string;
  receiptHash: string;
  clientHash: string;
  contentHash: string;
  contact?: { name?: string; email?: string };
  /** The server clock's now: rate limits count by it. */
  createdAt: Date;
  /** approved under post-moderation. */
  status: 'pending' | 'approved';
}

export interface StoredResponse {
  id: number;
  kind: string;
  geometry: GeoJSON.Geometry;
  layer: string | null;
  layerVersion: number | null;
  featureId: string | null;
  comment: string;
  commentRedacted: boolean;
  category: string | null;
  sentiment: string | null;
  answers: Record<string, string>;
  lang: string;
  status: ResponseStatus;
  statusReason: string | null;
  createdAt: Date;
  moderatedAt: Date | null;
}

export interface ModerationAction {
  action: string;
  reason: string | null;
  actor: string;
  at: Date;
}

const COLUMNS = `r.id, r.kind, ST_AsGeoJSON(r.geom, 7)::json AS geometry, r.layer_slug AS layer, r.layer_version AS "layerVersion",
  r.feature_id AS "featureId", r.comment, r.comment_redacted AS "commentRedacted", r.category, r.sentiment, r.answers, r.lang,
  r.status, r.status_reason AS "statusReason", r.created_at AS "createdAt", r.moderated_at AS "moderatedAt"`;

/** Responses, their contact details (a table apart) and the moderation trail. */
export function createResponseRepository(knex: Knex) {
  return {
    /** Stores a response and its contact details; inside the caller's transaction (which holds the client's lock). */
    async insert(r: NewResponse, db: Knex.Transaction): Promise<number> {
      return db.transaction(async (trx) => {
        const [row] = await trx('consultation_responses')
          .insert({
            consultation_id: r.consultationId,
            kind: r.kind,
            geom: r.geometry,
            layer_slug: r.layerSlug ?? null,
            layer_version: r.layerVersion ?? null,
            feature_id: r.featureId ?? null,
            comment: r.comment,
            category: r.category ?? null,
            sentiment: r.sentiment ?? null,
            answers: JSON.stringify(r.answers),
            lang: r.lang,
            receipt_hash: r.receiptHash,
            client_hash: r.clientHash,
            content_hash: r.contentHash,
            created_at: r.createdAt,
            status: r.status,
          })
          .returning('id');
        const id = (row as { id: number }).id;
        if (r.contact?.name || r.contact?.email) await trx('consultation_contacts').insert({ response_id: id, name: r.contact.name ?? null, email: r.contact.email ?? null });
        return id;
      });
    },

    /** This client's responses to a consultation since `since`, oldest first (for the rate limit). */
    async fromClientSince(consultationId: string, clientHash: string, since: Date, db: Knex | Knex.Transaction = knex): Promise<Date[]> {
      const rows = await db('consultation_responses').where({ consultation_id: consultationId, client_hash: clientHash }).andWhere('created_at', '>', since).orderBy('created_at').select<Array<{ created_at: Date }>>('created_at');
      return rows.map((r) => new Date(r.created_at));
    },

    async isDuplicate(consultationId: string, clientHash: string, contentHash: string, db: Knex | Knex.Transaction = knex): Promise<boolean> {
      return (await db('consultation_responses').where({ consultation_id: consultationId, client_hash: clientHash, content_hash: contentHash }).first('id')) !== undefined;
    },

    async list(consultationId: string, o: { status?: ResponseStatus; limit: number; offset: number }): Promise<StoredResponse[]> {
      return queryRows<StoredResponse>(
        knex,
        `SELECT ${COLUMNS} FROM consultation_responses r WHERE r.consultation_id = ? ${o.status ? 'AND r.status = ?' : ''} ORDER BY r.id LIMIT ? OFFSET ?`,
        [consultationId, ...(o.status ? [o.status] : []), o.limit, o.offset],
      );
    },

    async get(consultationId: string, id: number): Promise<StoredResponse | undefined> {
      const [row] = await queryRows<StoredResponse>(knex, `SELECT ${COLUMNS} FROM consultation_responses r WHERE r.consultation_id = ? AND r.id = ?`, [consultationId, id]);
      return row;
    },

    async receiptMatches(consultationId: string, id: number, receiptHash: string): Promise<boolean> {
      return (await knex('consultation_responses').where({ consultation_id: consultationId, id, receipt_hash: receiptHash }).first('id')) !== undefined;
    },

    /** Contact details by response, for moderators and exports only. */
    async contacts(ids: number[]): Promise<Map<number, { name: string | null; email: string | null }>> {
      if (ids.length === 0) return new Map();
      const rows = (await knex('consultation_contacts').whereIn('response_id', ids).select('response_id', 'name', 'email')) as Array<{ response_id: number; name: string | null; email: string | null }>;
      return new Map(rows.map((r) => [r.response_id, { name: r.name, email: r.email }]));
    },

    async actions(ids: number[]): Promise<Map<number, ModerationAction[]>> {
      const out = new Map<number, ModerationAction[]>();
      if (ids.length === 0) return out;
      const rows = (await knex('moderation_actions').whereIn('response_id', ids).orderBy('id').select('response_id', 'action', 'reason', 'actor', 'at')) as Array<ModerationAction & { response_id: number }>;
      for (const { response_id, ...a } of rows) out.set(response_id, [...(out.get(response_id) ?? []), a]);
      return out;
    },

    /** One moderation decision and/or redactions, each recorded as an action, in one transaction. */
    async moderate(id: number, m: { status?: 'approved' | 'rejected'; reason?: string; redactContact?: boolean; redactComment?: string }, actor: string): Promise<void> {
      await knex.transaction(async (trx) => {
        const record = (action: string, reason?: string) => trx('moderation_actions').insert({ response_id: id, action, reason: reason ?? null, actor });
        if (m.redactContact) {
          await trx('consultation_contacts').where({ response_id: id }).delete();
          await record('redact-contact');
        }
        if (m.redactComment !== undefined) {
          await trx('consultation_responses').where({ id }).update({ comment: m.redactComment, comment_redacted: true });
          await record('redact-comment');
        }
        if (m.status) {
          await trx('consultation_responses').where({ id }).update({ status: m.status, status_reason: m.reason ?? null, moderated_at: trx.fn.now() });
          await record(m.status === 'approved' ? 'approve' : 'reject', m.reason);
        }
      });
    },

    /** How many responses a list query matches, for paging. */
    async count(consultationId: string, status?: ResponseStatus): Promise<number> {
      const q = knex('consultation_responses').where({ consultation_id: consultationId });
      if (status) q.andWhere({ status });
      return Number(((await q.count({ n: '*' })) as Array<{ n: string | number }>)[0]!.n);
    },

    /** Per consultation: approved by category (as counts() gives), and how many wait or were rejected. */
    async summaries(ids: string[]): Promise<Map<string, { approved: number; byCategory: Record<string, number>; pending: number; rejected: number }>> {
      const out = new Map(ids.map((id) => [id, { approved: 0, byCategory: {} as Record<string, number>, pending: 0, rejected: 0 }]));
      if (ids.length === 0) return out;
      const rows = await queryRows<{ consultation_id: string; status: ResponseStatus; category: string | null; n: number }>(
        knex,
        'SELECT consultation_id, status, category, count(*)::int AS n FROM consultation_responses WHERE consultation_id = ANY(?) GROUP BY consultation_id, status, category',
        [ids],
      );
      for (const r of rows) {
        const s = out.get(r.consultation_id)!;
        if (r.status === 'approved') {
          s.approved += r.n;
          s.byCategory[r.category ?? ''] = r.n;
        } else s[r.status] += r.n;
      }
      return out;
    },

    /** Approved responses: how many, and how many per category (uncategorised under ""). */
    async counts(consultationId: string): Promise<{ approved: number; byCategory: Record<string, number> }> {
      const rows = await queryRows<{ category: string | null; n: number }>(
        knex,
        "SELECT category, count(*)::int AS n FROM consultation_responses WHERE consultation_id = ? AND status = 'approved' GROUP BY category ORDER BY category",
        [consultationId],
      );
      return { approved: rows.reduce((s, r) => s + r.n, 0), byCategory: Object.fromEntries(rows.map((r) => [r.category ?? '', r.n])) };
    },
  };
}

export type ResponseRepository = ReturnType<typeof createResponseRepository>;
