import type { Knex } from 'knex';
import type { SourceKind } from './remote-source';

export interface LayerSource {
  layerId: number;
  kind: SourceKind;
  url: string;
  featureType: string | null;
  schedule: string;
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  nextRunAt: Date | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
  createdBy: string;
  createdAt: Date;
}

export type HarvestStatus = 'queued' | 'running' | 'published' | 'unchanged' | 'failed' | 'skipped';
export type HarvestTrigger = 'schedule' | 'manual' | 'registration';

export interface Harvest {
  id: number;
  layerId: number;
  status: HarvestStatus;
  trigger: HarvestTrigger;
  phase: string | null;
  pages: number;
  features: number;
  bytes: number;
  attempts: number;
  uploadId: number | null;
  versionId: number | null;
  message: string | null;
  worker: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const toSource = (r: Record<string, any>): LayerSource => ({
  layerId: r.layer_id,
  kind: r.kind,
  url: r.url,
  featureType: r.feature_type,
  schedule: r.schedule,
  etag: r.etag,
  lastModified: r.last_modified,
  contentHash: r.content_hash,
  nextRunAt: r.next_run_at,
  lastAttemptAt: r.last_attempt_at,
  lastSuccessAt: r.last_success_at,
  lastError: r.last_error,
  consecutiveFailures: r.consecutive_failures,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const toHarvest = (r: Record<string, any>): Harvest => ({
  id: r.id,
  layerId: r.layer_id,
  status: r.status,
  trigger: r.trigger,
  phase: r.phase,
  pages: r.pages,
  features: r.features,
  bytes: Number(r.bytes),
  attempts: r.attempts,
  uploadId: r.upload_id,
  versionId: r.version_id,
  message: r.message,
  worker: r.worker,
  queuedAt: r.queued_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

/** The SQL on layer_sources and harvests. */
export function createSourceRepository(knex: Knex) {
  return {
    async get(layerId: number): Promise<LayerSource | undefined> {
      const row = await knex('layer_sources').where({ layer_id: layerId }).first();
      return row ? toSource(row) : undefined;
    },

    /** Registers or replaces a layer's source; what the last harvest saw is forgotten when the source itself changes. */
    async put(s: { layerId: number; kind: SourceKind; url: string; featureType: string | null; schedule: string; nextRunAt: Date | null; createdBy: string }): Promise<LayerSource> {
      const values = { kind: s.kind, url: s.url, feature_type: s.featureType, schedule: s.schedule, next_run_at: s.nextRunAt, updated_at: knex.fn.now() };
      const existing = await this.get(s.layerId);
      const sameData = existing && existing.kind === s.kind && existing.url === s.url && existing.featureType === s.featureType;
      const [row] = existing
        ? await knex('layer_sources')
            .where({ layer_id: s.layerId })
            .update({ ...values, ...(sameData ? {} : { etag: null, last_modified: null, content_hash: null }) })
            .returning('*')
        : await knex('layer_sources').insert({ layer_id: s.layerId, created_by: s.createdBy, ...values }).returning('*');
      return toSource(row);
    },

    /** The sources of an organisation's layers, with each layer's slug. */
    async byOrganisation(organisationId: string): Promise<Array<LayerSource & { slug: string }>> {
      const rows = await knex('layer_sources as s').join('layers as l', 'l.id', 's.layer_id').where('l.organisation_id', organisationId).orderBy('l.slug').select('s.*', 'l.slug');
      return rows.map((r) => ({ ...toSource(r), slug: r.slug as string }));
    },

    async remove(layerId: number): Promise<boolean> {
      // Rows, not a count: through knex-pglite a delete answers its raw result, never a number.
      const removed = await knex('layer_sources').where({ layer_id: layerId }).delete(['layer_id']);
      return removed.length > 0;
    },

    /**
     * Claims the sources due now and moves each one's next run on, in one statement: of several
     * processes polling the same database, exactly one gets each due source.
     */
    async claimDue(nextRun: (s: LayerSource) => Date | null, limit = 20): Promise<LayerSource[]> {
      return knex.transaction(async (trx) => {
        const due = (await trx('layer_sources').where('next_run_at', '<=', trx.fn.now()).orderBy('next_run_at').limit(limit).forUpdate().skipLocked()).map(toSource);
        for (const s of due) await trx('layer_sources').where({ layer_id: s.layerId }).update({ next_run_at: nextRun(s) });
        return due;
      });
    },

    async succeeded(layerId: number, seen: { etag?: string | null; lastModified?: string | null; contentHash?: string | null }): Promise<void> {
      await knex('layer_sources')
        .where({ layer_id: layerId })
        .update({
          last_attempt_at: knex.fn.now(),
          last_success_at: knex.fn.now(),
          last_error: null,
          consecutive_failures: 0,
          ...(seen.etag !== undefined ? { etag: seen.etag } : {}),
          ...(seen.lastModified !== undefined ? { last_modified: seen.lastModified } : {}),
          ...(seen.contentHash !== undefined ? { content_hash: seen.contentHash } : {}),
        });
    },

    async failed(layerId: number, error: string): Promise<void> {
      await knex('layer_sources')
        .where({ layer_id: layerId })
        .update({ last_attempt_at: knex.fn.now(), last_error: error, consecutive_failures: knex.raw('consecutive_failures + 1') });
    },

    async queueHarvest(layerId: number, trigger: HarvestTrigger): Promise<Harvest> {
      const [row] = await knex('harvests').insert({ layer_id: layerId, status: 'queued', trigger }).returning('*');
      return toHarvest(row);
    },

    /** A harvest of this layer still queued or running, if any. */
    async pendingHarvest(layerId: number): Promise<Harvest | undefined> {
      const row = await knex('harvests').where({ layer_id: layerId }).whereIn('status', ['queued', 'running']).orderBy('id', 'desc').first();
      return row ? toHarvest(row) : undefined;
    },

    /** Marks a queued harvest running, once: false when another worker already took it or it is finished. */
    async startHarvest(id: number, worker: string): Promise<boolean> {
      const n = await knex('harvests')
        .where({ id, status: 'queued' })
        .update({ status: 'running', phase: 'fetching', worker, started_at: knex.fn.now(), attempts: knex.raw('attempts + 1') });
      return n > 0;
    },

    async harvestProgress(id: number, p: { phase?: string; pages?: number; features?: number; bytes?: number; uploadId?: number }): Promise<void> {
      await knex('harvests')
        .where({ id })
        .update({
          ...(p.phase ? { phase: p.phase } : {}),
          ...(p.pages !== undefined ? { pages: p.pages } : {}),
          ...(p.features !== undefined ? { features: p.features } : {}),
          ...(p.bytes !== undefined ? { bytes: p.bytes } : {}),
          ...(p.uploadId !== undefined ? { upload_id: p.uploadId } : {}),
        });
    },

    async finishHarvest(id: number, f: { status: Exclude<HarvestStatus, 'queued' | 'running'>; message: string; versionId?: number | null }): Promise<void> {
      await knex('harvests')
        .where({ id })
        .update({ status: f.status, message: f.message, version_id: f.versionId ?? null, phase: null, finished_at: knex.fn.now() });
    },

    async getHarvest(layerId: number, id: number): Promise<Harvest | undefined> {
      const row = await knex('harvests').where({ layer_id: layerId, id }).first();
      return row ? toHarvest(row) : undefined;
    },

    async harvestById(id: number): Promise<Harvest | undefined> {
      const row = await knex('harvests').where({ id }).first();
      return row ? toHarvest(row) : undefined;
    },

    async history(layerId: number, limit = 20): Promise<Harvest[]> {
      return (await knex('harvests').where({ layer_id: layerId }).orderBy('id', 'desc').limit(limit)).map(toHarvest);
    },

    /** Harvests left running by a process that died: failed, so the next one may start. */
    async failStale(staleMinutes: number): Promise<number> {
      return knex('harvests')
        .where({ status: 'running' })
        .andWhereRaw('started_at < now() - make_interval(mins => ?)', [staleMinutes])
        .update({ status: 'failed', message: 'The server stopped before this harvest finished.', finished_at: knex.fn.now() });
    },
  };
}

export type SourceRepository = ReturnType<typeof createSourceRepository>;
