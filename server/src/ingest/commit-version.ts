import type { Knex } from 'knex';
import type { Layer } from '../layers/layer';
import type { IngestDeps } from './publish-version';
import type { VersionStats } from './version-table';

/** Everything a version row holds but its number: made when an upload is checked, committed when it is published. */
export interface StagedVersion extends VersionStats {
  table: string;
  propertySchema: unknown;
  sourceCrs: string;
  source: Record<string, unknown>;
  report: unknown;
  thinnedToZoom: number | null;
  tileColumns: unknown;
}

/**
 * Makes a loaded, checked version table the layer's next version and serves it, in one transaction
 * under the layer's lock (so two publishes get consecutive numbers). `settle` records the upload's
 * outcome inside the same transaction.
 */
export async function commitVersion(
  deps: Pick<IngestDeps, 'db' | 'layers' | 'onPublished' | 'tilePreparer'>,
  layer: Layer,
  staged: StagedVersion,
  createdBy: string,
  settle: (trx: Knex.Transaction, versionId: number, version: number) => Promise<void>,
): Promise<{ version: number; versionId: number }> {
  const published = await deps.db.knex.transaction(async (trx) => {
    await deps.layers.lockForUpdate(trx, layer.id);
    const [{ next }] = (await trx('layer_versions').where({ layer_id: layer.id }).max({ next: 'version' })) as [{ next: number | null }];
    const version = (next ?? 0) + 1;
    const [row] = await trx('layer_versions')
      .insert({
        layer_id: layer.id,
        version,
        table_name: staged.table,
        feature_count: staged.featureCount,
        extent: staged.bbox ? trx.raw('ST_MakeEnvelope(?, ?, ?, ?, 4326)', staged.bbox) : null,
        property_schema: JSON.stringify(staged.propertySchema),
        geometry_type: staged.geometryType,
        source_crs: staged.sourceCrs,
        source: JSON.stringify(staged.source),
        report: JSON.stringify(staged.report),
        created_by: createdBy,
        thinned_to_zoom: staged.thinnedToZoom,
        tile_columns: JSON.stringify(staged.tileColumns),
        tiles_ready: false,
      })
      .returning('id');
    const versionId = (row as { id: number }).id;
    await deps.layers.setCurrentVersion(trx, layer.id, versionId);
    await settle(trx, versionId, version);
    return { version, versionId };
  });
  deps.onPublished?.();
  // Serving already; the tile table follows in the background (tiles come from the version table until then).
  void deps.tilePreparer?.prepare(published.versionId);
  return published;
}
