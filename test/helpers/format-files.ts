import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { zipSync } from 'fflate';
import type { Knex } from 'knex';

/** A zip of the given files, built in memory. */
export function zip(files: Record<string, Uint8Array | string>, level: 0 | 6 | 9 = 6): Buffer {
  const entries = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, typeof data === 'string' ? Buffer.from(data) : data]));
  return Buffer.from(zipSync(entries, { level }));
}

/** Every file of a shared shapefile folder, by name. */
export function shapefileParts(dir: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

/**
 * Rewrites the stated uncompressed size of every entry (local header and central directory) so
 * the archive claims to unpack to `claimed` bytes per entry: a zip bomb that lies about itself.
 */
export function withStatedSizes(archive: Buffer, claimed: number): Buffer {
  const out = Buffer.from(archive);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt32LE(claimed, i + 22);
    else if (sig === 0x02014b50) out.writeUInt32LE(claimed, i + 24);
  }
  return out;
}

/** Replaces one dBASE field value in place; a longer value takes the field's trailing padding. */
export function patchDbfText(dbf: Buffer, from: string, to: Buffer): Buffer {
  const at = dbf.indexOf(Buffer.from(from, 'latin1'));
  if (at < 0) throw new Error(`"${from}" is not in the .dbf`);
  const out = Buffer.from(dbf);
  out.fill(0x20, at, at + Math.max(from.length, to.length));
  to.copy(out, at);
  return out;
}

interface GpkgTable {
  name: string;
  srid: number;
  /** Write the optional xy envelope into each geometry header, as GDAL does. */
  envelope: boolean;
}

/**
 * A GeoPackage built with better-sqlite3 from a GeoJSON file: PostGIS turns each geometry into WKB
 * in the table's CRS, properties become typed columns, `routeuid` the integer primary key. A BLOB
 * column `photo` and a big INTEGER column `big` exercise the less common value types.
 */
export async function geoPackageFrom(knex: Knex, geojson: string, tables: GpkgTable[]): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'haenau-test-gpkg-'));
  const file = join(dir, 'test.gpkg');
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL);
      INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL);
      INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84"]', NULL);
      INSERT INTO gpkg_spatial_ref_sys VALUES ('OSGB36 / British National Grid', 27700, 'EPSG', 27700, 'PROJCS["OSGB36 / British National Grid"]', NULL);`);
    for (const t of tables) {
      const { rows } = (await knex.raw(
        `SELECT ST_AsBinary(g) AS wkb, ST_XMin(g) AS minx, ST_XMax(g) AS maxx, ST_YMin(g) AS miny, ST_YMax(g) AS maxy, p
         FROM (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326), ?::int) AS g, f->'properties' AS p, n
               FROM json_array_elements((?::json)->'features') WITH ORDINALITY AS t(f, n)) s ORDER BY n`,
        [t.srid, readFileSync(geojson, 'utf8')],
      )) as { rows: Array<{ wkb: Uint8Array; minx: number; maxx: number; miny: number; maxy: number; p: Record<string, unknown> }> };
      const names = Object.keys(rows[0]!.p).filter((k) => k !== 'routeuid');
      const type = (v: unknown) => (typeof v === 'number' ? 'REAL' : typeof v === 'boolean' ? 'BOOLEAN' : 'TEXT');
      const q = (s: string) => `"${s}"`;
      db.exec(`CREATE TABLE ${q(t.name)} (routeuid INTEGER PRIMARY KEY, geom MULTILINESTRING, ${names.map((n) => `${q(n)} ${type(rows[0]!.p[n])}`).join(', ')}, photo BLOB, big INTEGER)`);
      db.prepare("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, ?)").run(t.name, `${t.name} routes`, t.srid);
      db.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTILINESTRING', ?, 0, 0)").run(t.name, t.srid);
      const insert = db.prepare(`INSERT INTO ${q(t.name)} VALUES (${['?', '?', ...names.map(() => '?'), '?', '?'].join(', ')})`);
      for (const r of rows) {
        const header = Buffer.alloc(8 + (t.envelope ? 32 : 0));
        header.write('GP', 0, 'latin1');
        header[3] = t.envelope ? 0b011 : 0b001; // little-endian header, xy envelope or none
        header.writeInt32LE(t.srid, 4);
        if (t.envelope) [r.minx, r.maxx, r.miny, r.maxy].forEach((v, i) => header.writeDoubleLE(v, 8 + i * 8));
        const values = names.map((n) => (typeof r.p[n] === 'boolean' ? Number(r.p[n]) : (r.p[n] ?? null)));
        insert.run(r.p.routeuid, Buffer.concat([header, Buffer.from(r.wkb)]), ...values, Buffer.from([1, 2, 3]), 2n ** 60n + 1n);
      }
    }
    db.close();
    return readFileSync(file);
  } finally {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
