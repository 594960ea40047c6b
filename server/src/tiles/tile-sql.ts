import { LAYER_DATA_SCHEMA, tileTableName } from '../layers/data-schema';
import type { LayerVersion } from '../layers/layer';
import type { TileColumn } from './tile-table';
import { type SqlFragment, sql } from '../platform/sql/fragment';
import { qualifiedName, quoteIdentifier } from '../platform/sql/identifier';
import { BIG_LAYER_FEATURES, THINNED_TO_ZOOM, thinnedIndexZoom } from './point-thinning';
import { BUFFER, EXTENT, type TileAddress, tileSpan } from './tile-matrix';

/**
 * Up to this zoom tiles are generalised: lines and polygons under a pixel are left out, and big
 * layers (BIG_LAYER_FEATURES or more) carry only their category properties (points are also thinned).
 */
export const GENERALISED_TO_ZOOM = THINNED_TO_ZOOM;
/** Pixels per tile side on a typical (high-DPI or 512-pixel) map: the unit "a pixel" means below. */
const PIXELS_PER_TILE = 512;

const isPointLayer = (v: LayerVersion) => v.geometryType === 'Point' || v.geometryType === 'MultiPoint';

export const tileTable = (v: LayerVersion) => qualifiedName(LAYER_DATA_SCHEMA, tileTableName(v.tableName));

/** Whether a tile of this version at this zoom is a big layer's generalised one. */
export const isGeneralised = (v: LayerVersion, z: number) => z <= GENERALISED_TO_ZOOM && v.featureCount >= BIG_LAYER_FEATURES;

/** The properties a tile carries: all, or in a big layer's low-zoom tiles only its categories. */
export function tileProperties(v: LayerVersion, z: number): { typed: TileColumn[]; other: boolean } {
  if (!isGeneralised(v, z)) return v.tileColumns;
  return { typed: v.tileColumns.typed.filter((c) => c.category), other: false };
}

/** The attribute columns a tile selects: id, "@id", typed properties, and the jsonb rest. */
export function attributeColumns(v: LayerVersion, z: number): string[] {
  const p = tileProperties(v, z);
  return ['mvt_id', '"@id"', ...p.typed.map((c) => quoteIdentifier(c.name)), ...(p.other ? ['other'] : [])];
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

/** PostGIS with protobuf: one MVT layer, named after the layer, encoded by ST_AsMVT. */
export function asMvtSql(name: string, v: LayerVersion, t: TileAddress): SqlFragment {
  return sql(
    `SELECT ST_AsMVT(q, ?, ${EXTENT}, 'geom', 'mvt_id') AS tile FROM (
       SELECT ${attributeColumns(v, t.z).join(', ')},
              ST_AsMVTGeom(geom, ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}), ${EXTENT}, ${BUFFER}, true) AS geom
         FROM ${tileTable(v)}
        WHERE ${tileRowsCondition(v, t)}) q`,
    name,
  );
}
