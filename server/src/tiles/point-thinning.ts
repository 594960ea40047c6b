import type { Knex } from 'knex';

/**
 * Big point layers are thinned for low-zoom tiles, once, when a version is published: each
 * feature gets the lowest zoom it is drawn at (min_zoom, in the version's tile table). At zoom z a tile is cut into a grid of
 * CELLS_PER_TILE × CELLS_PER_TILE cells and each cell shows one point, the one with the lowest fid.
 * The grids nest, so a point shown at z is shown at every deeper zoom and the choice is stable
 * while panning and zooming. Deeper than THINNED_TO_ZOOM every point is drawn.
 */
export const THINNED_TO_ZOOM = 10;
/** 64 cells per 512-pixel tile: at most one point per 8 × 8 pixels where points crowd. */
export const CELLS_PER_TILE = 64;
/** Smaller layers are drawn in full at every zoom: their busiest tile stays small. */
export const BIG_LAYER_FEATURES = 20_000;
/** Partial GiST indexes, each over the points drawn up to that zoom, so a low-zoom tile reads only those. */
export const THINNED_INDEX_ZOOMS = [2, 4, 6, 8, 10] as const;

/** The partial index a tile query at zoom z can use (the first that holds every point drawn at z). */
export function thinnedIndexZoom(z: number): number {
  return THINNED_INDEX_ZOOMS.find((iz) => iz >= z) ?? THINNED_TO_ZOOM;
}

const CELL_BITS = Math.log2(CELLS_PER_TILE);

/**
 * Temp table point_cells(fid, z) for a loaded point version table: z is the lowest zoom each
 * chosen point is drawn at. The representatives of the finest grid come first, then those of each
 * coarser grid from the previous level's, so each level works on fewer rows than the last.
 * Points no grid chose are not listed (drawn only past THINNED_TO_ZOOM).
 */
export async function createPointCells(trx: Knex | Knex.Transaction, table: string): Promise<void> {
  const bits = THINNED_TO_ZOOM + CELL_BITS;
  // Web Mercator pixel cells at the finest thinned zoom; latitudes clamp to the square world.
  await trx.raw(
    `CREATE TEMP TABLE point_cells ON COMMIT DROP AS
       SELECT min(fid) AS fid, cx, cy, ${THINNED_TO_ZOOM}::smallint AS z FROM (
         SELECT fid,
                floor((ST_X(geom) + 180) / 360 * ${2 ** bits})::int AS cx,
                floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * ${2 ** bits})::int AS cy
           FROM (SELECT fid, geom, greatest(-85.05, least(85.05, ST_Y(geom))) AS lat FROM ${table} WHERE geom IS NOT NULL) p
       ) c GROUP BY cx, cy`,
  );
  for (let z = THINNED_TO_ZOOM - 1; z >= 0; z--) {
    const shift = THINNED_TO_ZOOM - z;
    await trx.raw(
      `UPDATE point_cells SET z = ${z} WHERE fid IN (
         SELECT min(fid) FROM point_cells WHERE z <= ${z + 1} GROUP BY cx >> ${shift}, cy >> ${shift})`,
    );
  }
  await trx.raw('CREATE INDEX ON point_cells (fid)');
  await trx.raw('ANALYZE point_cells');
}
