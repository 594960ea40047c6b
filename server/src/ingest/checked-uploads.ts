import type { Principal } from '../auth/principal';
import { describePrincipal } from '../auth/principal';
import type { Layer } from '../layers/layer';
import { ConflictError, InvalidParameterError, NotFoundError } from '../platform/errors';
import { commitVersion, type StagedVersion } from './commit-version';
import type { IngestDeps } from './publish-version';
import { dropVersionTable } from './version-table';

/** A checked upload left this long is discarded: its table should not sit beside the layer for ever. */
export const CHECKED_UPLOAD_HOURS = 7 * 24;

/**
 * Uploads checked and loaded but not yet published (`PUT …/data?stage=true`): a publisher reads the
 * report, then publishes (the version row is made and served, as an ordinary upload's) or discards
 * it (its table dropped). A layer keeps at most one: a newer checked upload replaces the older.
 */
export function checkedUploads(deps: IngestDeps) {
  const { db, uploads, log } = deps;

  const requireChecked = async (layer: Layer, idParam: string) => {
    const id = Number(idParam);
    if (!Number.isInteger(id) || id < 1) throw new InvalidParameterError('The upload id must be a whole number.', { parameter: 'id' });
    const row = (await db.knex('uploads').where({ id, layer_id: layer.id }).first('status', 'staged')) as { status: string; staged: StagedVersion | null } | undefined;
    if (!row) throw new NotFoundError(`Layer "${layer.slug}" has no upload ${id}.`);
    if (row.status !== 'checked' || !row.staged) {
      throw new ConflictError(`Upload ${id} is not waiting to be published: it is ${row.status}. Only a checked upload can be published or discarded.`);
    }
    return { id, staged: row.staged };
  };

  // The table goes only if this call moved the upload from checked: a publish that won keeps its table.
  const discard = async (id: number, table: string, message: string) => {
    if (await uploads.discardChecked(id, message)) await dropVersionTable(db.knex, table);
  };

  return {
    async publish(principal: Principal, layer: Layer, idParam: string) {
      const { id, staged } = await requireChecked(layer, idParam);
      // Settled inside the version's transaction, only if still checked: two publishes of one upload make one version.
      const published = await commitVersion(deps, layer, staged, describePrincipal(principal), async (trx, versionId, version) => {
        const n = await trx('uploads').where({ id, status: 'checked' }).update({ status: 'published', message: `Published as version ${version}.`, version_id: versionId, staged: null, updated_at: trx.fn.now() });
        if (n !== 1) throw new ConflictError(`Upload ${id} was published or discarded by someone else meanwhile.`);
      });
      log.info({ layer: layer.slug, upload: id, version: published.version }, 'checked upload published');
      return { upload: id, version: published.version, featureCount: staged.featureCount, bbox: staged.bbox, geometryType: staged.geometryType, report: staged.report };
    },

    async discard(layer: Layer, idParam: string): Promise<void> {
      const { id, staged } = await requireChecked(layer, idParam);
      if (!(await uploads.discardChecked(id, 'Discarded by a publisher; nothing was published.'))) throw new ConflictError(`Upload ${id} was published or discarded by someone else meanwhile.`);
      await dropVersionTable(db.knex, staged.table);
    },

    /** After a new upload of this layer is checked, the older checked ones go. */
    async replaceOlder(layerId: number, newest: number): Promise<void> {
      for (const u of await uploads.checked({ layerId })) {
        if (u.id !== newest) await discard(u.id, (u.staged as StagedVersion).table, `Replaced by upload ${newest}; nothing was published.`);
      }
    },

    /** Checked uploads nobody published within CHECKED_UPLOAD_HOURS: discarded, tables dropped. */
    async discardAbandoned(hours = CHECKED_UPLOAD_HOURS): Promise<number> {
      const old = await uploads.checked({ olderThanHours: hours });
      for (const u of old) await discard(u.id, (u.staged as StagedVersion).table, `Not published within ${hours} hours; discarded.`);
      if (old.length > 0) log.info({ uploads: old.map((u) => u.id) }, 'abandoned checked uploads discarded');
      return old.length;
    },
  };
}

export type CheckedUploads = ReturnType<typeof checkedUploads>;
