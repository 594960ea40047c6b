import Database from 'better-sqlite3';
import { UploadUnreadableError } from '../feature-checker';
import type { FeatureChecker } from '../feature-checker';
import type { FormatReaderOptions } from './format-options';
import { Batcher, rawFeature, rejectedFeature } from './raw-features';
import type { SpooledRead } from './spooled-reader';
import { readGeoPackageGeometry } from './wkb';

interface FeatureTable {
  table_name: string;
  identifier: string | null;
  column_name: string;
  srs_id: number;
}

interface Column {
  name: string;
  type: string;
  pk: number;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

function openGeoPackage(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // An uploaded database is untrusted: no functions from its schema, and damaged pages are errors.
    db.pragma('trusted_schema = OFF');
    db.pragma('cell_size_check = ON');
    const isGeoPackage = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'").pluck().get() !== undefined;
    if (!isGeoPackage) throw new UploadUnreadableError('The file is an SQLite database but not a GeoPackage (it has no gpkg_contents table).');
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof UploadUnreadableError) throw err;
    throw new UploadUnreadableError(`The upload is not a GeoPackage we can read (${(err as Error).message}).`);
  }
}

/** The feature table to read: the only one, or the one ?layer= names (by table name or identifier). */
function chooseTable(db: Database.Database, layer: string | undefined): FeatureTable {
  const tables = db
    .prepare(
      `SELECT c.table_name, c.identifier, g.column_name, g.srs_id FROM gpkg_contents c
       JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
       JOIN sqlite_master m ON m.name = c.table_name AND m.type = 'table'
       WHERE c.data_type = 'features' ORDER BY c.table_name`,
    )
    .all() as FeatureTable[];
  const names = tables.map((t) => t.table_name).join(', ');
  if (layer !== undefined) {
    const chosen = tables.find((t) => t.table_name.toLowerCase() === layer.toLowerCase() || t.identifier?.toLowerCase() === layer.toLowerCase());
    if (!chosen) throw new UploadUnreadableError(`The GeoPackage has no feature table called "${layer}"; it has ${names || 'none'}.`);
    return chosen;
  }
  if (tables.length === 0) throw new UploadUnreadableError('The GeoPackage has no feature tables (only tiles or attributes, perhaps).');
  if (tables.length > 1) throw new UploadUnreadableError(`The GeoPackage holds ${tables.length} feature tables (${names}); choose one with ?layer=NAME.`);
  return tables[0]!;
}

/** Declares the table's CRS: EPSG codes directly, other organisations by their WKT; undefined SRSs (0, -1) leave it to the coordinates. */
async function declareCrs(db: Database.Database, t: FeatureTable, checker: FeatureChecker, o: FormatReaderOptions): Promise<void> {
  const srs = db.prepare('SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(t.srs_id) as
    | { organization: string; organization_coordsys_id: number; definition: string }
    | undefined;
  if (!srs || t.srs_id === 0 || t.srs_id === -1) return;
  const where = `the GeoPackage's SRS ${t.srs_id}`;
  if (srs.organization.toUpperCase() === 'EPSG' && srs.organization_coordsys_id > 0) return o.declareCrs(checker, Number(srs.organization_coordsys_id), where);
  const { srid, name } = await o.identifyCrs(srs.definition ?? '');
  if (srid !== undefined) return o.declareCrs(checker, srid, where);
  if (!o.crsGiven) {
    throw new UploadUnreadableError(`The GeoPackage's coordinate system ("${name || srs.organization}") is not one we can identify; send its EPSG code with the upload, e.g. ?crs=EPSG:27700.`);
  }
}

/** SQLite values as JSON: big integers beyond 2^53 as strings, BOOLEAN columns as booleans; blobs are not loaded. */
function jsonValue(value: unknown, type: string): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    const v = Number.isSafeInteger(n) ? n : value.toString();
    return type === 'BOOLEAN' && typeof v === 'number' ? v !== 0 : v;
  }
  if (Buffer.isBuffer(value)) return null;
  return value;
}

/**
 * A GeoPackage (an SQLite file, opened read-only): one feature table, its SRS for the CRS, its
 * integer primary key as the feature id, the other columns as properties, the geometry blob
 * (header, envelope, WKB) read here.
 */
export function readGeoPackage(o: FormatReaderOptions): SpooledRead {
  return async function* (file, _dir, checker) {
    const db = openGeoPackage(file);
    try {
      const t = chooseTable(db, o.layer);
      await declareCrs(db, t, checker, o);
      const columns = db.prepare(`PRAGMA table_info(${q(t.table_name)})`).all() as Column[];
      const pk = columns.find((c) => c.pk === 1 && c.type.toUpperCase() === 'INTEGER')?.name;
      const props = columns.filter((c) => c.name !== pk && c.name !== t.column_name).map((c) => ({ name: c.name, type: c.type.toUpperCase() }));
      const blobs = new Set<string>();
      const select = db.prepare(`SELECT * FROM ${q(t.table_name)}${pk ? ` ORDER BY ${q(pk)}` : ''}`).safeIntegers(true);
      const batcher = new Batcher();
      let index = 0;
      for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
        const properties: Record<string, unknown> = {};
        for (const c of props) {
          if (Buffer.isBuffer(row[c.name])) blobs.add(c.name);
          properties[c.name] = jsonValue(row[c.name], c.type);
        }
        const id = pk === undefined ? undefined : jsonValue(row[pk], 'INTEGER');
        const blob = row[t.column_name];
        let feature;
        try {
          if (blob !== null && !Buffer.isBuffer(blob)) throw new Error(`it holds ${typeof blob === 'string' ? 'text' : 'a number'}, not a geometry blob`);
          const geometry = blob === null ? null : readGeoPackageGeometry(blob);
          feature = rawFeature({ type: 'Feature', ...(id === undefined ? {} : { id }), properties, geometry }, index, undefined, o.maxFeatureBytes);
        } catch (err) {
          feature = rejectedFeature(index, undefined, 'bad-geometry', `Its geometry (row ${String(id ?? index + 1)}) cannot be read: ${(err as Error).message}.`);
        }
        index++;
        const full = batcher.add(feature);
        if (full) yield full;
      }
      yield batcher.rest();
      if (blobs.size > 0) {
        checker.warnAboutFile('binary-not-loaded', `The column${blobs.size > 1 ? 's' : ''} ${[...blobs].map((b) => `"${b}"`).join(', ')} hold binary data, which was not loaded.`);
      }
    } finally {
      db.close();
    }
  };
}
