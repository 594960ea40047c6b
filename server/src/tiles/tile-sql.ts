import { LAYER_DATA_SCHEMA, tileTableName } from '../layers/data-schema';
import type { LayerVersion } from '../layers/layer';
import { type SqlFragment, sql } from '../platform/sql/fragment';
import { qualifiedName, quoteIdentifier } from '../platform/sql/identifier';
import { thinnedIndexZoom } from './point-thinning';
import { BUFFER, EXTENT, type TileAddress, tileSpan } from './tile-matrix';

/** Zooms up to which lines and polygons are simplified and features under a pixel are dropped. */
export const GENERALISED_TO_ZOOM = 10;
/** Pixels per tile side on a typical (high-DPI or 512-pixel) map: the unit "a pixel" means below. */
const PIXELS_PER_TILE = 512;

const isPointLayer = (v: LayerVersion) => v.geometryType === 'Point' || v.geometryType === 'MultiPoint';

export const tileTable = (v: LayerVersion) => qualifiedName(LAYER_DATA_SCHEMA, tileTableName(v.tableName));

/** The attribute columns of a version's tile table: id, "@id", typed properties, and the jsonb rest. */
export function attributeColumns(v: LayerVersion): string[] {
  return ['mvt_id', '"@id"', ...v.tileColumns.typed.map((c) => quoteIdentifier(c.name)), ...(v.tileColumns.other ? ['other'] : [])];
}

/**
 * Which rows a tile draws: those whose box meets the buffered tile, at low zooms only the points
 * thinning chose and only lines and polygons at least a pixel across. z, x and y are integers the
 * router has checked, written into the SQL so each zoom gets its own plan (and its partial index).
 */
export function tileRowsCondition(v: LayerVersion, t: TileAddress): string {
  const parts = [`geom && ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}, margin => ${BUFFER / EXTENT})`];
  if (v.pointsThinnedToZoom !== null && t.z <= v.pointsThinnedToZoom) {
    // The second bound is implied by the first; written out, it lets the planner pick this zoom band's partial index.
    parts.push(`min_zoom <= ${t.z}`, `min_zoom <= ${thinnedIndexZoom(t.z)}`);
  }
  if (!isPointLayer(v) && t.z <= GENERALISED_TO_ZOOM) {
    const pixel = tileSpan(t.z) / PIXELS_PER_TILE;
    parts.push(`(ST_XMax(geom) - ST_XMin(geom) >= ${pixel} OR ST_YMax(geom) - ST_YMin(geom) >= ${pixel})`);
  }
  return parts.join(' AND ');
}

/** The geometry (EPSG:3857), simplified to a pixel at low zooms for lines and polygons. */
export function tileGeometry(v: LayerVersion, t: TileAddress): string {
  if (isPointLayer(v) || t.z > GENERALISED_TO_ZOOM) return 'geom';
  return `ST_Simplify(geom, ${tileSpan(t.z) / PIXELS_PER_TILE})`;
}

/** PostGIS with protobuf: one MVT layer, named after the layer, encoded by ST_AsMVT. */
export function asMvtSql(name: string, v: LayerVersion, t: TileAddress): SqlFragment {
  return sql(
    `SELECT ST_AsMVT(q, ?, ${EXTENT}, 'geom', 'mvt_id') AS tile FROM (
       SELECT ${attributeColumns(v).join(', ')},
              ST_AsMVTGeom(${tileGeometry(v, t)}, ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}), ${EXTENT}, ${BUFFER}, true) AS geom
         FROM ${tileTable(v)}
        WHERE ${tileRowsCondition(v, t)}) q`,
    name,
  );
}
