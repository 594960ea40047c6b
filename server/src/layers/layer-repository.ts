import type { Knex } from 'knex';
import { queryRows } from '../platform/db/database';
import type { TileColumns } from '../tiles/tile-table';
import type { InvalidPolicy, Layer, LayerStyle, LayerVersion, PropertyField } from './layer';

interface LayerRow {
  id: number;
  slug: string;
  organisation_id: string;
  title_en: string;
  title_cy: string | null;
  description_en: string | null;
  description_cy: string | null;
  licence: string;
  attribution: string | null;
  keywords: string[];
  theme: string | null;
  style: LayerStyle;
  invalid_policy: InvalidPolicy;
  current_version_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  id: number;
  layer_id: number;
  version: number;
  table_name: string;
  feature_count: number;
  xmin: number | null;
  ymin: number | null;
  xmax: number | null;
  ymax: number | null;
  geometry_type: string | null;
  property_schema: PropertyField[];
  source_crs: string;
  source: Record<string, unknown>;
  report: Record<string, unknown>;
  created_by: string;
  created_at: Date;
  thinned_to_zoom: number | null;
  tile_columns: TileColumns;
  tiles_ready: boolean;
  features_ready: boolean;
}

const VERSION_COLUMNS = `v.id, v.layer_id, v.version, v.table_name, v.feature_count,
  ST_XMin(v.extent) AS xmin, ST_YMin(v.extent) AS ymin, ST_XMax(v.extent) AS xmax, ST_YMax(v.extent) AS ymax,
  v.geometry_type, v.property_schema, v.source_crs, v.source, v.report, v.created_by, v.created_at, v.thinned_to_zoom, v.tile_columns, v.tiles_ready, v.features_ready`;

export function toVersion(r: VersionRow): LayerVersion {
  return {
    id: r.id,
    version: r.version,
    tableName: r.table_name,
    featureCount: r.feature_count,
    bbox: r.xmin === null ? null : [r.xmin, r.ymin!, r.xmax!, r.ymax!],
    geometryType: r.geometry_type,
    propertySchema: r.property_schema,
    sourceCrs: r.source_crs,
    source: r.source,
    report: r.report,
    createdBy: r.created_by,
    createdAt: r.created_at,
    thinnedToZoom: r.thinned_to_zoom,
    tileColumns: r.tile_columns,
    tilesReady: r.tiles_ready,
    featuresReady: r.features_ready,
  };
}

function toLayer(r: LayerRow, current: LayerVersion | null): Layer {
  return {
    id: r.id,
    slug: r.slug,
    organisationId: r.organisation_id,
    title: { en: r.title_en, cy: r.title_cy },
    description: { en: r.description_en, cy: r.description_cy },
    licence: r.licence,
    attribution: r.attribution,
    keywords: r.keywords,
    theme: r.theme,
    style: r.style,
    invalidPolicy: r.invalid_policy,
    currentVersion: current,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface LayerSearch {
  /** Folded words that must all appear in the layer's search text. */
  terms: string[];
  theme?: string;
  organisationId?: string;
  bbox?: [number, number, number, number];
  /** Unpublished layers of this organisation are listed too (its own drafts). */
  draftsOf?: string;
  limit: number;
  offset: number;
}

export function createLayerRepository(knex: Knex) {
  async function withCurrent(rows: LayerRow[], db: Knex | Knex.Transaction = knex): Promise<Layer[]> {
    const ids = rows.map((r) => r.current_version_id).filter((id): id is number => id !== null);
    const versions = ids.length
      ? await queryRows<VersionRow>(db, `SELECT ${VERSION_COLUMNS} FROM layer_versions v WHERE v.id = ANY(?)`, [ids])
      : [];
    const byId = new Map(versions.map((v) => [v.id, toVersion(v)]));
    return rows.map((r) => toLayer(r, r.current_version_id === null ? null : (byId.get(r.current_version_id) ?? null)));
  }

  return {
    async get(slug: string, db: Knex | Knex.Transaction = knex): Promise<Layer | undefined> {
      const row = await db<LayerRow>('layers').where({ slug }).first();
      return row ? (await withCurrent([row], db))[0] : undefined;
    },

    /** Locks the layer row so concurrent publishes and rollbacks of one layer take turns. */
    async lockForUpdate(trx: Knex.Transaction, layerId: number): Promise<void> {
      await trx.raw('SELECT id FROM layers WHERE id = ? FOR UPDATE', [layerId]);
    },

    async search(s: LayerSearch): Promise<{ layers: Layer[]; total: number }> {
      const q = knex<LayerRow>('layers as l').leftJoin('layer_versions as v', 'v.id', 'l.current_version_id');
      for (const term of s.terms) q.where('l.search_text', 'like', `%${term}%`);
      if (s.theme) q.where('l.theme', s.theme);
      if (s.organisationId) q.where('l.organisation_id', s.organisationId);
      if (s.bbox) q.whereRaw('v.extent && ST_MakeEnvelope(?, ?, ?, ?, 4326)', s.bbox);
      q.where((w) => {
        w.whereNotNull('l.current_version_id');
        if (s.draftsOf) w.orWhere('l.organisation_id', s.draftsOf);
      });
      const [{ total }] = (await q.clone().count<{ total: string | number }[]>({ total: '*' })) as [{ total: string | number }];
      // Layers whose title holds the first word come before those that match only in description or keywords.
      const first = s.terms[0];
      if (first) q.orderByRaw('CASE WHEN lower(l.title_en) LIKE ? OR lower(coalesce(l.title_cy, \'\')) LIKE ? THEN 0 ELSE 1 END', [`%${first}%`, `%${first}%`]);
      const rows = await q.select<LayerRow[]>('l.*').orderBy('l.title_en').orderBy('l.id').limit(s.limit).offset(s.offset);
      return { layers: await withCurrent(rows), total: Number(total) };
    },

    /** How many published layers each theme and each publisher (named in both languages) has: the catalogue's filters. */
    async facets(): Promise<{ themes: { id: string; count: number }[]; publishers: { id: string; name: { en: string; cy: string | null }; count: number }[] }> {
      const themes = await queryRows<{ id: string; count: number }>(
        knex,
        'SELECT theme AS id, count(*)::int AS count FROM layers WHERE current_version_id IS NOT NULL AND theme IS NOT NULL GROUP BY theme ORDER BY theme',
      );
      const publishers = await queryRows<{ id: string; name: string; name_cy: string | null; count: number }>(
        knex,
        `SELECT o.id, o.name, o.name_cy, count(*)::int AS count FROM layers l JOIN organisations o ON o.id = l.organisation_id
         WHERE l.current_version_id IS NOT NULL GROUP BY o.id ORDER BY o.id`,
      );
      return { themes, publishers: publishers.map((p) => ({ id: p.id, name: { en: p.name, cy: p.name_cy }, count: p.count })) };
    },

    async insert(row: Omit<LayerRow, 'id' | 'created_at' | 'updated_at' | 'current_version_id'> & { search_text: string }): Promise<void> {
      await knex('layers').insert({ ...row, keywords: JSON.stringify(row.keywords), style: JSON.stringify(row.style) });
    },

    async update(id: number, changes: Record<string, unknown>): Promise<void> {
      await knex('layers').where({ id }).update({ ...changes, updated_at: knex.fn.now() });
    },

    async versions(layerId: number): Promise<LayerVersion[]> {
      const rows = await queryRows<VersionRow>(
        knex,
        `SELECT ${VERSION_COLUMNS} FROM layer_versions v WHERE v.layer_id = ? ORDER BY v.version DESC`,
        [layerId],
      );
      return rows.map(toVersion);
    },

    /** Every table holding this layer's data: its versions', and those of uploads checked but not yet published. */
    async versionTables(layerId: number, db: Knex | Knex.Transaction = knex): Promise<string[]> {
      const rows = await queryRows<{ table_name: string }>(
        db,
        `SELECT table_name FROM layer_versions WHERE layer_id = ?
         UNION SELECT staged->>'table' FROM uploads WHERE layer_id = ? AND status = 'checked'`,
        [layerId, layerId],
      );
      return rows.map((r) => r.table_name);
    },

    async findVersion(layerId: number, version: number): Promise<LayerVersion | undefined> {
      const [row] = await queryRows<VersionRow>(
        knex,
        `SELECT ${VERSION_COLUMNS} FROM layer_versions v WHERE v.layer_id = ? AND v.version = ?`,
        [layerId, version],
      );
      return row ? toVersion(row) : undefined;
    },

    async setCurrentVersion(trx: Knex.Transaction, layerId: number, versionId: number): Promise<void> {
      await trx('layers').where({ id: layerId }).update({ current_version_id: versionId, updated_at: trx.fn.now() });
    },

    /** The layer serves nothing (its versions are kept): as a draft again. */
    async withdraw(layerId: number): Promise<void> {
      await knex('layers').where({ id: layerId }).update({ current_version_id: null, updated_at: knex.fn.now() });
    },

    async deleteLayer(trx: Knex.Transaction, layerId: number): Promise<void> {
      await trx('layers').where({ id: layerId }).update({ current_version_id: null });
      await trx('layers').where({ id: layerId }).delete();
    },
  };
}

export type LayerRepository = ReturnType<typeof createLayerRepository>;
