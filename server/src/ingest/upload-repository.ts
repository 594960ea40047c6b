import type { Knex } from 'knex';

/** `checked`: loaded and checked, waiting for a publisher to publish or discard it. */
export type UploadStatus = 'running' | 'checked' | 'published' | 'discarded' | 'unchanged' | 'rejected' | 'failed' | 'aborted';
export type UploadPhase = 'receiving' | 'checking' | 'indexing' | 'done';

export interface Upload {
  id: number;
  layerId: number;
  status: UploadStatus;
  phase: UploadPhase;
  bytesReceived: number;
  bytesTotal: number | null;
  featuresRead: number;
  message: string | null;
  report: unknown;
  versionId: number | null;
  createdBy: string;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface UploadRow {
  id: number;
  layer_id: number;
  status: UploadStatus;
  phase: UploadPhase;
  bytes_received: string | number;
  bytes_total: string | number | null;
  features_read: number;
  message: string | null;
  report: unknown;
  version_id: number | null;
  created_by: string;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const toUpload = (r: UploadRow): Upload => ({
  id: r.id,
  layerId: r.layer_id,
  status: r.status,
  phase: r.phase,
  bytesReceived: Number(r.bytes_received),
  bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  featuresRead: r.features_read,
  message: r.message,
  report: r.report,
  versionId: r.version_id,
  createdBy: r.created_by,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

/** Upload progress lives in the database so any app process can answer a progress bar. */
export function createUploadRepository(knex: Knex) {
  return {
    async start(layerId: number, createdBy: string, bytesTotal: number | null, source: Record<string, unknown>): Promise<number> {
      const [row] = await knex('uploads')
        .insert({ layer_id: layerId, status: 'running', phase: 'receiving', created_by: createdBy, bytes_total: bytesTotal, report: JSON.stringify({ source }) })
        .returning('id');
      return (row as { id: number }).id;
    },

    async progress(id: number, p: { phase: UploadPhase; bytesReceived: number; featuresRead: number }): Promise<void> {
      await knex('uploads')
        .where({ id, status: 'running' })
        .update({ phase: p.phase, bytes_received: p.bytesReceived, features_read: p.featuresRead, updated_at: knex.fn.now() });
    },

    async finish(
      id: number,
      f: { status: Exclude<UploadStatus, 'running'>; message: string; report?: unknown; versionId?: number; staged?: unknown; bytesReceived: number; featuresRead: number },
      db: Knex | Knex.Transaction = knex,
    ): Promise<void> {
      await db('uploads')
        .where({ id })
        .update({
          status: f.status,
          phase: 'done',
          message: f.message,
          report: f.report === undefined ? null : JSON.stringify(f.report),
          version_id: f.versionId ?? null,
          staged: f.staged === undefined ? null : JSON.stringify(f.staged),
          bytes_received: f.bytesReceived,
          features_read: f.featuresRead,
          updated_at: db.fn.now(),
          finished_at: db.fn.now(),
        });
    },

    /** Discards a checked upload; false when it was no longer checked (published or discarded meanwhile). */
    async discardChecked(id: number, message: string): Promise<boolean> {
      const n = await knex('uploads').where({ id, status: 'checked' }).update({ status: 'discarded', message, staged: null, updated_at: knex.fn.now() });
      return n === 1;
    },

    /** Checked uploads (table and staged version), oldest first: of a layer, or of all layers older than `olderThanHours`. */
    async checked(o: { layerId?: number; olderThanHours?: number }, db: Knex | Knex.Transaction = knex): Promise<Array<{ id: number; layerId: number; staged: unknown }>> {
      const q = db('uploads').where({ status: 'checked' }).orderBy('id');
      if (o.layerId !== undefined) q.andWhere({ layer_id: o.layerId });
      if (o.olderThanHours !== undefined) q.andWhereRaw('updated_at < now() - make_interval(hours => ?)', [o.olderThanHours]);
      const rows = (await q.select('id', 'layer_id', 'staged')) as Array<{ id: number; layer_id: number; staged: unknown }>;
      return rows.map((r) => ({ id: r.id, layerId: r.layer_id, staged: r.staged }));
    },

    async list(layerId: number, limit = 20): Promise<Upload[]> {
      return (await knex<UploadRow>('uploads').where({ layer_id: layerId }).orderBy('id', 'desc').limit(limit)).map(toUpload);
    },

    async get(layerId: number, id: number): Promise<Upload | undefined> {
      const row = await knex<UploadRow>('uploads').where({ layer_id: layerId, id }).first();
      return row ? toUpload(row) : undefined;
    },

    /** Uploads whose process died mid-way (no progress for `staleMinutes`): marked failed; their ids returned. */
    async failStale(staleMinutes: number): Promise<number[]> {
      const rows = await knex('uploads')
        .where({ status: 'running' })
        .andWhereRaw(`updated_at < now() - make_interval(mins => ?)`, [staleMinutes])
        .update({ status: 'failed', phase: 'done', message: 'The server stopped before this upload finished.', finished_at: knex.fn.now() })
        .returning('id');
      return (rows as Array<{ id: number }>).map((r) => r.id);
    },
  };
}

export type UploadRepository = ReturnType<typeof createUploadRepository>;
