import Database from 'better-sqlite3';
import type { Layer } from '../layers/layer';
import { licenceUrl } from '../ogcapi-features/collection-json';

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

const COLUMN_TYPE: Record<string, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  'date-time': 'DATETIME',
};

const GPKG_GEOMETRY: Record<string, string> = {
  Point: 'POINT',
  MultiPoint: 'MULTIPOINT',
  LineString: 'LINESTRING',
  MultiLineString: 'MULTILINESTRING',
  Polygon: 'POLYGON',
  MultiPolygon: 'MULTIPOLYGON',
};

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** GeoPackage geometry blob: "GP", version 0, little-endian with no envelope, SRS 4326, then ISO WKB. */
function gpkgGeometry(wkb: Uint8Array): Buffer {
  const header = Buffer.from([0x47, 0x50, 0x00, 0x01, 0xe6, 0x10, 0x00, 0x00]);
  return Buffer.concat([header, wkb]);
}

export interface GpkgRow {
  id: string;
  p: string;
  wkb: Uint8Array | null;
}

/**
 * Writes a layer to a GeoPackage 1.3 file (OGC 12-128r18): the required metadata tables, one
 * feature table with typed columns, licence and attribution in gpkg_contents. Rows arrive in
 * batches and go to disk in one transaction per batch, so memory stays flat.
 */
export async function writeGeoPackage(file: string, layer: Layer, batches: AsyncIterable<GpkgRow[]>): Promise<void> {
  const v = layer.currentVersion!;
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`application_id = ${0x47504b47}`);
    db.pragma('user_version = 10300');
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
        srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));`);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
    srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
    srs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');

    const table = layer.slug.replace(/-/g, '_');
    const fields = v.propertySchema.filter((p) => p.name.toLowerCase() !== 'fid' && p.name.toLowerCase() !== 'geom');
    const columns = fields.map((p) => `${q(p.name)} ${COLUMN_TYPE[p.type] ?? 'TEXT'}`);
    const geometryType = GPKG_GEOMETRY[v.geometryType ?? ''] ?? 'GEOMETRY';
    db.exec(`CREATE TABLE ${q(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${geometryType}, feature_id TEXT${columns.map((c) => `, ${c}`).join('')})`);
    const description = `${layer.title.en}. Licence: ${layer.licence} (${licenceUrl(layer.licence)}).${layer.attribution ? ` Attribution: ${layer.attribution}.` : ''} Version ${v.version}.`;
    const [minX, minY, maxX, maxY] = v.bbox ?? [null, null, null, null];
    db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 4326)').run(
      table, 'features', layer.title.en, description, minX, minY, maxX, maxY,
    );
    db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, 4326, 0, 0)').run(table, 'geom', geometryType);

    const insert = db.prepare(`INSERT INTO ${q(table)} (geom, feature_id${fields.map((p) => `, ${q(p.name)}`).join('')}) VALUES (?, ?${fields.map(() => ', ?').join('')})`);
    const write = db.transaction((rows: GpkgRow[]) => {
      for (const row of rows) {
        const props = JSON.parse(row.p) as Record<string, unknown>;
        const values = fields.map((f) => {
          const value = props[f.name];
          if (value === undefined || value === null) return null;
          if (typeof value === 'boolean') return value ? 1 : 0;
          return typeof value === 'object' ? JSON.stringify(value) : value;
        });
        insert.run(row.wkb ? gpkgGeometry(row.wkb) : null, row.id, ...values);
      }
    });
    for await (const rows of batches) write(rows);
  } finally {
    db.close();
  }
}
