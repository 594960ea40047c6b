import type { Knex } from 'knex';
import type { JsonKinds } from '../ingest/property-schema';
import type { PropertyField } from '../layers/layer';
import { qualifiedName, quoteIdentifier } from '../platform/sql/identifier';
import { LAYER_DATA_SCHEMA, tileTableName } from '../layers/data-schema';
import { createThinningCells, type Thinning } from './thinning';

/**
 * Each version has a tile table beside its feature table, built once, just after it is published, and
 * shaped for ST_AsMVT: geometry already in EPSG:3857 (no per-tile reprojection), properties in
 * typed columns where every value has one JSON kind (no jsonb to walk per feature), the MVT id
 * ready, and rows in geohash order so one tile's features sit on few pages. Measured on 1 M
 * points, this draws a z12 tile about 1.8× faster than the same ST_AsMVT over the plain table.
 */

/** One property as a tile table column (named as the MVT key) and its SQL type. */
export interface TileColumn {
  name: string;
  type: 'text' | 'bigint' | 'double precision' | 'boolean';
  /** Few distinct values: kept in a big layer's low-zoom tiles, where the rest is left out. */
  category?: boolean;
}

/** Typed columns, and whether the rest (mixed kinds, objects, awkward names) stays as jsonb in "other". */
export interface TileColumns {
  typed: TileColumn[];
  other: boolean;
}

/** Column names the tile table uses itself. */
const RESERVED = new Set(['mvt_id', '@id', 'min_zoom', 'geom', 'other']);
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Chooses typed columns from the property schema and the JSON kinds its values took. A property
 * never given a value is left out; without kinds (versions published before tile tables), every
 * property stays in the jsonb "other", which ST_AsMVT reads the same way, only slower.
 */
export function planTileColumns(schema: PropertyField[], kinds: JsonKinds | undefined, categories: ReadonlySet<string> = new Set()): TileColumns {
  if (kinds === undefined) return { typed: [], other: schema.length > 0 };
  const typed: TileColumn[] = [];
  let other = false;
  for (const field of schema) {
    const k = kinds.get(field.name);
    if (k === undefined) continue;
    const only = k.size === 1 ? [...k][0] : undefined;
    const type = only === 'string' ? 'text' : only === 'boolean' ? 'boolean' : only === 'number' ? (field.type === 'integer' ? 'bigint' : 'double precision') : undefined;
    const nameFits = !RESERVED.has(field.name) && Buffer.byteLength(field.name) <= MAX_IDENTIFIER_BYTES;
    if (type && nameFits) typed.push({ name: field.name, type, ...(categories.has(field.name) ? { category: true } : {}) });
    else other = true;
  }
  return { typed, other };
}

/** A plain integer id is the MVT id; any other id is carried as "@id" and the MVT id is the row's fid. */
const NUMERIC_ID = "'^(0|[1-9][0-9]{0,14})$'";
export const MVT_ID_SQL = `CASE WHEN feature_id ~ ${NUMERIC_ID} THEN feature_id::bigint ELSE fid END`;
export const AT_ID_SQL = `CASE WHEN feature_id !~ ${NUMERIC_ID} THEN feature_id END`;
export const MAX_MERCATOR_LAT = 85.0511;

function propertyColumn(c: TileColumn): string {
  const value = `properties->>${quoteLiteral(c.name)}`;
  const cast = c.type === 'text' ? value : `(${value})::${c.type}`;
  return `${cast} AS ${quoteIdentifier(c.name)}`;
}

export const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Builds the tile table of a published version's table (in one transaction of the tile
 * preparer); when thinned, also each feature's min_zoom. Its indexes: tileTableIndexStatements.
 */
export async function buildTileTable(trx: Knex | Knex.Transaction, versionName: string, o: { columns: TileColumns; thinning: Thinning | null }): Promise<void> {
  const source = qualifiedName(LAYER_DATA_SCHEMA, versionName);
  if (o.thinning) await createThinningCells(trx, source, o.thinning);
  const typedKeys = o.columns.typed.map((c) => quoteLiteral(c.name));
  const columns = [
    `${MVT_ID_SQL} AS mvt_id`,
    `${AT_ID_SQL} AS "@id"`,
    ...(o.thinning ? ['c.z AS min_zoom'] : []),
    ...o.columns.typed.map(propertyColumn),
    ...(o.columns.other ? [`NULLIF(properties - ARRAY[${typedKeys.join(', ') || "''"}]::text[], '{}'::jsonb) AS other`] : []),
    // Web Mercator stops short of the poles: the part beyond is cut off first.
    `CASE WHEN ST_YMin(geom) < -${MAX_MERCATOR_LAT} OR ST_YMax(geom) > ${MAX_MERCATOR_LAT}
       THEN ST_Transform(ST_ClipByBox2D(geom, ST_MakeEnvelope(-180, -${MAX_MERCATOR_LAT}, 180, ${MAX_MERCATOR_LAT}, 4326)), 3857)
       ELSE ST_Transform(geom, 3857) END AS geom`,
  ];
  await trx.raw(
    `CREATE TABLE ${qualifiedName(LAYER_DATA_SCHEMA, tileTableName(versionName))} AS
       SELECT * FROM (
         SELECT ${columns.join(',\n                ')}
           FROM ${source} v ${o.thinning ? 'LEFT JOIN thinning_cells c USING (fid)' : ''}
          WHERE v.geom IS NOT NULL AND NOT ST_IsEmpty(v.geom)
          ORDER BY ST_GeoHash(v.geom, 8)) rows
        WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)`,
  );
}

/** The tile table's GiST index (and, for thinned points, one partial index per zoom band). */
export function tileTableIndexStatements(versionName: string, thinnedZooms: readonly number[]): string[] {
  const name = tileTableName(versionName);
  const table = qualifiedName(LAYER_DATA_SCHEMA, name);
  return [
    `CREATE INDEX ${quoteIdentifier(`${name}_geom`)} ON ${table} USING gist (geom)`,
    // Named, since indexes built at once on separate connections would race for the same default name.
    ...thinnedZooms.map((z) => `CREATE INDEX ${quoteIdentifier(`${name}_z${z}`)} ON ${table} USING gist (geom) WHERE min_zoom <= ${z}`),
  ];
}
