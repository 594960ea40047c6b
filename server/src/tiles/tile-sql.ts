import { versionTable } from '../ingest/version-table';
import { LAYER_DATA_SCHEMA, tileTableName } from '../layers/data-schema';
import type { LayerVersion } from '../layers/layer';
import { type SqlFragment, sql } from '../platform/sql/fragment';
import { qualifiedName, quoteIdentifier } from '../platform/sql/identifier';
import { BIG_LAYER_FEATURES, THINNED_TO_ZOOM, thinnedIndexZoom } from './thinning';
import { BUFFER, EXTENT, type TileAddress, tileSpan } from './tile-matrix';
import { AT_ID_SQL, MAX_MERCATOR_LAT, MVT_ID_SQL, quoteLiteral, type TileColumn } from './tile-table';

/**
 * Up to this zoom tiles are generalised: lines and polygons under a pixel are left out, and big
 * layers (BIG_LAYER_FEATURES or more) carry only their category properties (points are also thinned).
 */
export const GENERALISED_TO_ZOOM = THINNED_TO_ZOOM;
/** Pixels per tile side on a typical (high-DPI or 512-pixel) map: the unit "a pixel" means below. */
const PIXELS_PER_TILE = 512;

/** Points are never dropped for size: a point has none. */
export const isPointLayer = (v: LayerVersion) => v.geometryType === 'Point' || v.geometryType === 'MultiPoint';

export const tileTable = (v: LayerVersion) => qualifiedName(LAYER_DATA_SCHEMA, tileTableName(v.tableName));

/** Whether a tile of this version at this zoom is a big layer's generalised one. */
export const isGeneralised = (v: LayerVersion, z: number) => z <= GENERALISED_TO_ZOOM && v.featureCount >= BIG_LAYER_FEATURES;

/** The properties a tile carries: all, or in a big layer's low-zoom tiles only its categories. */
export function tileProperties(v: LayerVersion, z: number): { typed: TileColumn[]; other: boolean } {
  if (!isGeneralised(v, z)) return v.tileColumns;
  return { typed: v.tileColumns.typed.filter((c) => c.category), other: false };
}

/** Where a tile's rows come from, and how to read the MVT id, attributes and EPSG:3857 geometry there. */
export interface TileSource {
  from: string;
  where: string;
  geom: string;
  mvtId: string;
  /** Attribute columns for ST_AsMVT (ids, typed properties, jsonb). */
  columns: string[];
  /** The same attributes as one JSON text, for the fallback encoder. */
  json: string;
}

/**
 * The version's tile table: rows that meet the buffered tile, at low zooms only the points
 * thinning chose and only lines and polygons at least a pixel across. z, x and y are integers the
 * router has checked, written into the SQL so each zoom gets its own plan (and its partial index).
 */
function tileTableSource(v: LayerVersion, t: TileAddress): TileSource {
  const parts = [`geom && ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}, margin => ${BUFFER / EXTENT})`];
  if (v.thinnedToZoom !== null && t.z <= v.thinnedToZoom) {
    // The second bound is implied by the first; written out, it lets the planner pick this zoom band's partial index.
    parts.push(`min_zoom <= ${t.z}`, `min_zoom <= ${thinnedIndexZoom(t.z)}`);
  }
  if (!isPointLayer(v) && t.z <= GENERALISED_TO_ZOOM) {
    const pixel = tileSpan(t.z) / PIXELS_PER_TILE;
    parts.push(`(ST_XMax(geom) - ST_XMin(geom) >= ${pixel} OR ST_YMax(geom) - ST_YMin(geom) >= ${pixel})`);
  }
  const p = tileProperties(v, t.z);
  // jsonb_build_object takes at most 100 arguments, so wide layers are built 40 columns at a time.
  const pairs = [`'@id', "@id"`, ...p.typed.map((c) => `${quoteLiteral(c.name)}, ${quoteIdentifier(c.name)}`)];
  const objects = Array.from({ length: Math.ceil(pairs.length / 40) }, (_, i) => `jsonb_build_object(${pairs.slice(i * 40, i * 40 + 40).join(', ')})`);
  if (p.other) objects.push("coalesce(other, '{}')");
  return {
    from: tileTable(v),
    where: parts.join(' AND '),
    geom: 'geom',
    mvtId: 'mvt_id',
    columns: ['mvt_id', '"@id"', ...p.typed.map((c) => quoteIdentifier(c.name)), ...(p.other ? ['other'] : [])],
    json: `(${objects.join(' || ')})::text`,
  };
}

/**
 * Until a new version's tile table is built (seconds after publishing): the same tile read from
 * the version table, reprojected per tile, every feature with all its properties. Slower, never
 * cached, but already the new version.
 */
function versionTableSource(v: LayerVersion, t: TileAddress): TileSource {
  return {
    from: versionTable(v.tableName),
    where: `geom && ST_Transform(ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}, margin => ${BUFFER / EXTENT}), 4326)
      AND ST_YMin(geom) >= -${MAX_MERCATOR_LAT} AND ST_YMax(geom) <= ${MAX_MERCATOR_LAT}`,
    geom: 'ST_Transform(geom, 3857)',
    mvtId: MVT_ID_SQL,
    columns: [`${MVT_ID_SQL} AS mvt_id`, `${AT_ID_SQL} AS "@id"`, 'properties'],
    json: `(jsonb_build_object('@id', ${AT_ID_SQL}) || properties)::text`,
  };
}

export const tileSource = (v: LayerVersion, t: TileAddress): TileSource => (v.tilesReady ? tileTableSource(v, t) : versionTableSource(v, t));

/**
 * PostGIS with protobuf: one MVT layer, named after the layer, encoded by ST_AsMVT. Past the
 * generalised zooms every tile of a ready version runs the same SQL with z/x/y bound, as one
 * prepared statement per version (parsed and planned once per connection); low zooms keep the
 * literals their partial indexes need.
 */
export function asMvtSql(name: string, v: LayerVersion, t: TileAddress): SqlFragment & { statementName?: string } {
  if (v.tilesReady && t.z > GENERALISED_TO_ZOOM) {
    return { sql: deepTileSql(v), bindings: [name, t.z, t.x, t.y, t.z, t.x, t.y], statementName: `haenau_tile_${v.id}` };
  }
  const s = tileSource(v, t);
  return sql(mvtQuery(s, `ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}`, s.where), name);
}

function mvtQuery(s: TileSource, envelope: string, where: string): string {
  return `SELECT ST_AsMVT(q, ?, ${EXTENT}, 'geom', 'mvt_id') AS tile FROM (
       SELECT ${s.columns.join(', ')}, ST_AsMVTGeom(${s.geom}, ${envelope}), ${EXTENT}, ${BUFFER}, true) AS geom
         FROM ${s.from}
        WHERE ${where}) q`;
}

/** The one SQL text of a ready version's deep tiles, written once per version object (the hot path). */
const deepTileSqls = new WeakMap<LayerVersion, string>();
function deepTileSql(v: LayerVersion): string {
  let text = deepTileSqls.get(v);
  if (text === undefined) {
    const envelope = 'ST_TileEnvelope(?::int, ?::int, ?::int';
    text = mvtQuery(tileSource(v, { z: GENERALISED_TO_ZOOM + 1, x: 0, y: 0 }), envelope, `geom && ${envelope}, margin => ${BUFFER / EXTENT})`);
    deepTileSqls.set(v, text);
  }
  return text;
}
