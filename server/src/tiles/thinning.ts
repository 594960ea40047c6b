import type { Knex } from 'knex';

/**
 * Big point and line layers are thinned for low-zoom tiles, once, when a version is published:
 * each feature gets the lowest zoom it is drawn at (min_zoom, in the version's tile table). At
 * zoom z a tile is cut into a grid of cells and each cell shows one feature: for points the one
 * with the lowest fid, for lines the longest (by its bounds) whose centre lies there. The grids
 * nest, so a feature shown at z is shown at every deeper zoom and the choice is stable while
 * panning and zooming. Deeper than THINNED_TO_ZOOM every feature is drawn.
 */
export const THINNED_TO_ZOOM = 10;
export type Thinning = 'points' | 'lines';
/**
 * Cells per side of a 512-pixel tile: points, at most one per 8 × 8 pixels where they crowd; lines,
 * one per 32 × 32 pixels by their centre (a line runs on across many cells: measured on 100,000
 * lines over Wales, 64 cells kept 87 % of them at zoom 10, 16 keep a fifth and a 40 KB tile).
 */
export const CELLS_PER_TILE: Readonly<Record<Thinning, number>> = { points: 64, lines: 16 };
/** Smaller layers are drawn in full at every zoom: their busiest tile stays small. */
export const BIG_LAYER_FEATURES = 20_000;
/** Partial GiST indexes, each over the features drawn up to that zoom, so a low-zoom tile reads only those. */
export const THINNED_INDEX_ZOOMS = [2, 4, 6, 8, 10] as const;

/** The partial index a tile query at zoom z can use (the first that holds every feature drawn at z). */
export function thinnedIndexZoom(z: number): number {
  return THINNED_INDEX_ZOOMS.find((iz) => iz >= z) ?? THINNED_TO_ZOOM;
}

/** How a layer of these geometry types is thinned when big, if at all (polygons never: a coverage would get holes). */
export function thinningFor(featureCount: number, geometryTypes: Iterable<string>): Thinning | null {
  if (featureCount < BIG_LAYER_FEATURES) return null;
  const types = [...geometryTypes];
  if (types.length > 0 && types.every((t) => t === 'Point')) return 'points';
  if (types.length > 0 && types.every((t) => t === 'LineString' || t === 'MultiLineString')) return 'lines';
  return null;
}

/** How a version that was thinned (it has a thinned_to_zoom) was thinned: only all-point and all-line layers are. */
export function thinningOf(v: { thinnedToZoom: number | null; geometryType: string | null }): Thinning | null {
  if (v.thinnedToZoom === null) return null;
  return v.geometryType === 'Point' ? 'points' : 'lines';
}

/**
 * Temp table thinning_cells(fid, z) for a loaded version table: z is the lowest zoom each chosen
 * feature is drawn at. The representatives of the finest grid come first, then those of each
 * coarser grid from the previous level's, so each level works on fewer rows than the last.
 * Features no grid chose are not listed (drawn only past THINNED_TO_ZOOM).
 */
export async function createThinningCells(trx: Knex | Knex.Transaction, table: string, kind: Thinning): Promise<void> {
  const bits = THINNED_TO_ZOOM + Math.log2(CELLS_PER_TILE[kind]);
  // Points: the point. Lines: the centre of the bounds, and the longer side of the bounds as the rank.
  const [x, y, rank] =
    kind === 'points' ? ['ST_X(geom)', 'ST_Y(geom)', '0'] : ['(ST_XMin(geom) + ST_XMax(geom)) / 2', '(ST_YMin(geom) + ST_YMax(geom)) / 2', 'greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom))'];
  const pick = (cells: string, group: string) => `SELECT DISTINCT ON (${group}) fid FROM ${cells} ORDER BY ${group}, rank DESC, fid`;
  // Web Mercator pixel cells at the finest thinned zoom; latitudes clamp to the square world.
  await trx.raw(
    `CREATE TEMP TABLE thinning_cells ON COMMIT DROP AS
       SELECT DISTINCT ON (cx, cy) fid, cx, cy, rank, ${THINNED_TO_ZOOM}::smallint AS z FROM (
         SELECT fid, rank,
                floor((x + 180) / 360 * ${2 ** bits})::int AS cx,
                floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * ${2 ** bits})::int AS cy
           FROM (SELECT fid, ${x} AS x, greatest(-85.05, least(85.05, ${y})) AS lat, ${rank} AS rank
                   FROM ${table} WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)) p
       ) c ORDER BY cx, cy, rank DESC, fid`,
  );
  await trx.raw('CREATE INDEX ON thinning_cells (fid)');
  for (let z = THINNED_TO_ZOOM - 1; z >= 0; z--) {
    const shift = THINNED_TO_ZOOM - z;
    await trx.raw(`UPDATE thinning_cells SET z = ${z} WHERE fid IN (${pick(`thinning_cells WHERE z <= ${z + 1}`, `cx >> ${shift}, cy >> ${shift}`)})`);
  }
  await trx.raw('ANALYZE thinning_cells');
}
