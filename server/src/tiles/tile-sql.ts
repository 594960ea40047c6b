import { versionTable } from '../ingest/version-table';
import type { LayerVersion } from '../layers/layer';
import { type SqlFragment, sql } from '../platform/sql/fragment';
import { thinnedIndexZoom } from './point-thinning';
import { BUFFER, EXTENT, type TileAddress, tileSpan } from './tile-matrix';

/** Zooms up to which lines and polygons are simplified and features under a pixel are dropped. */
export const GENERALISED_TO_ZOOM = 10;
/** Pixels per tile side on a typical (high-DPI or 512-pixel) map: the unit "a pixel" means below. */
const PIXELS_PER_TILE = 512;

/** The tile's envelope with its buffer, in the storage CRS, so the GiST index on geom is used. */
const bufferedEnvelope = (t: TileAddress) => `ST_Transform(ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}, margin => ${BUFFER / EXTENT}), 4326)`;

const isPointLayer = (v: LayerVersion) => v.geometryType === 'Point' || v.geometryType === 'MultiPoint';

/**
 * Which rows a tile draws: those whose box meets the buffered tile, at low zooms only the points
 * thinning chose and only lines and polygons at least a pixel across. z, x and y are integers the
 * router has checked, written into the SQL so each zoom gets its own plan (and its partial index).
 */
export function tileRowsCondition(v: LayerVersion, t: TileAddress): string {
  const parts = [`geom && ${bufferedEnvelope(t)}`];
  if (v.pointsThinnedToZoom !== null && t.z <= v.pointsThinnedToZoom) {
    // The literal bound lets the planner pick the partial index for this zoom's band.
    parts.push(`min_zoom <= ${t.z}`, `min_zoom <= ${thinnedIndexZoom(t.z)}`);
  }
  if (!isPointLayer(v) && t.z <= GENERALISED_TO_ZOOM) {
    const pixelDegrees = 360 / 2 ** t.z / PIXELS_PER_TILE;
    parts.push(`(ST_XMax(geom) - ST_XMin(geom) >= ${pixelDegrees} OR ST_YMax(geom) - ST_YMin(geom) >= ${pixelDegrees})`);
  }
  return parts.join(' AND ');
}

/** The geometry in EPSG:3857, simplified to a pixel at low zooms for lines and polygons. */
export function mercatorGeometry(v: LayerVersion, t: TileAddress): string {
  const g = 'ST_Transform(geom, 3857)';
  if (isPointLayer(v) || t.z > GENERALISED_TO_ZOOM) return g;
  return `ST_Simplify(${g}, ${tileSpan(t.z) / PIXELS_PER_TILE})`;
}

/**
 * The MVT feature id is the OGC feature id when that is a plain integer, else the row's fid; a
 * feature whose id is not a plain integer also carries it as the "@id" property, so a client can
 * always ask /items/{featureId} for the feature it clicked.
 */
const NUMERIC_ID = "'^(0|[1-9][0-9]{0,14})$'";
export const MVT_ID = `CASE WHEN feature_id ~ ${NUMERIC_ID} THEN feature_id::bigint ELSE fid END`;
export const AT_ID = `CASE WHEN feature_id !~ ${NUMERIC_ID} THEN feature_id END`;

/** PostGIS with protobuf: one MVT layer, named after the layer, encoded by ST_AsMVT. */
export function asMvtSql(name: string, v: LayerVersion, t: TileAddress): SqlFragment {
  return sql(
    `SELECT ST_AsMVT(q, ?, ${EXTENT}, 'geom', 'mvt_id') AS tile FROM (
       SELECT ${MVT_ID} AS mvt_id, ${AT_ID} AS "@id", properties,
              ST_AsMVTGeom(${mercatorGeometry(v, t)}, ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}), ${EXTENT}, ${BUFFER}, true) AS geom
         FROM ${versionTable(v.tableName)}
        WHERE ${tileRowsCondition(v, t)}) q`,
    name,
  );
}
