import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentFeatures, featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';
import { geoPackageFrom, patchDbfText, shapefileParts, withStatedSizes, zip } from './helpers/format-files';

const DATA = '../shared/data';
const UK = `${DATA}/uk-geodata`;
const ctx = useTestApp({ publisher: true });

const ZIP = 'application/zip';
const GPKG = 'application/geopackage+sqlite3';
const KML = 'application/vnd.google-earth.kml+xml';
const GPX = 'application/gpx+xml';
const CSV = 'text/csv';

async function publish(body: Buffer | string, contentType: string, query = '') {
  const slug = await ctx.t.createLayer(ctx.pub.token);
  const res = await putData(ctx.t.app, slug, ctx.pub.token, body, query, contentType);
  return { slug, res };
}

/** A layer already serving one feature, to show a refused upload leaves it alone. */
async function servingLayer() {
  const slug = await ctx.t.createLayer(ctx.pub.token);
  await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('kept', -3.18, 51.48)])).expect(201);
  return slug;
}

async function versionSource(slug: string) {
  const layer = await ctx.t.deps.layers.get(slug);
  return (await ctx.t.deps.layers.versions(layer!.id))[0]!.source;
}

const uploadDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('haenau-upload-'));
/** Temp directories of uploads left behind since `before` (each upload removes its own). */
const leftBehind = (before: string[]) => uploadDirs().filter((d) => !before.includes(d));

const london = () => shapefileParts(`${UK}/shapefile_london_sport_bng`);
const border = () => shapefileParts(`${UK}/shapefile_uk_border_bng`);

describe('zipped Shapefiles', () => {
  it('publishes the London boroughs from British National Grid to WGS 84, with their attributes and the .prj’s CRS', async () => {
    const before = uploadDirs();
    const { slug, res } = await publish(zip(london()), ZIP, '?filename=london_sport.zip');
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 33, geometryType: 'Polygon', report: { sourceCrs: 'EPSG:27700', crsSource: 'file', totals: { errors: 0 } } });
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    expect(minLon).toBeCloseTo(-0.51, 1);
    expect(maxLon).toBeCloseTo(0.33, 1);
    expect(minLat).toBeCloseTo(51.29, 1);
    expect(maxLat).toBeCloseTo(51.69, 1);
    const features = await currentFeatures(ctx.t, slug);
    expect(features[0]!.properties).toEqual({ ons_label: '00AF', name: 'Bromley', Partic_Per: 21.7, Pop_2001: 295535 });
    expect(features.map((f) => f.properties.name)).toContain('City of London');
    expect(await versionSource(slug)).toMatchObject({ kind: 'upload', format: 'shapefile', filename: 'london_sport.zip', contentType: ZIP });
    expect(leftBehind(before)).toEqual([]);
  });

  it('recognises British National Grid from an ESRI .prj that only gives its parameters', async () => {
    const { res } = await publish(zip(border()), 'application/x-zip-compressed');
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 1, report: { sourceCrs: 'EPSG:27700', crsSource: 'file' } });
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    expect(minLon).toBeLessThan(-7.5);
    expect(maxLon).toBeGreaterThan(1.6);
    expect(minLat).toBeLessThan(50.1);
    expect(maxLat).toBeGreaterThan(58.6);
  });

  it('decodes the .dbf by its .cpg, or by its language driver when there is none', async () => {
    const parts = london();
    const utf8 = { ...parts, 'london_sport.dbf': patchDbfText(parts['london_sport.dbf']!, 'Bromley', Buffer.from('Brómley Llŷn', 'utf8')), 'london_sport.cpg': 'UTF-8' };
    const windows1252 = Buffer.concat([Buffer.from('Brómley ', 'latin1'), Buffer.from([0x96]), Buffer.from(' Café', 'latin1')]); // 0x96: en dash
    const cp1252 = { ...parts, 'london_sport.dbf': patchDbfText(parts['london_sport.dbf']!, 'Bromley', windows1252) };
    const a = await publish(zip(utf8), ZIP);
    const b = await publish(zip(cp1252), ZIP);
    expect(a.res.status, JSON.stringify(a.res.body).slice(0, 600)).toBe(201);
    expect(b.res.status, JSON.stringify(b.res.body).slice(0, 600)).toBe(201);
    expect((await currentFeatures(ctx.t, a.slug))[0]!.properties.name).toBe('Brómley Llŷn');
    expect((await currentFeatures(ctx.t, b.slug))[0]!.properties.name).toBe('Brómley – Café');
  });

  it('refuses a zip of two shapefiles, naming them, and reads the one ?layer= chooses', async () => {
    const both = zip({ ...london(), ...border() });
    const refused = await publish(both, ZIP);
    expect(refused.res.status, JSON.stringify(refused.res.body).slice(0, 600)).toBe(400);
    expect(refused.res.body.detail).toMatch(/2 shapefiles \(london_sport, ukbord\).*\?layer=/);
    const chosen = await publish(both, ZIP, '?layer=ukbord');
    expect(chosen.res.status, JSON.stringify(chosen.res.body).slice(0, 600)).toBe(201);
    expect(chosen.res.body.featureCount).toBe(1);
    expect(await versionSource(chosen.slug)).toMatchObject({ format: 'shapefile', layer: 'ukbord' });
  });

  it('refuses a zip with no .shp, saying what it found, and changes nothing', async () => {
    const before = uploadDirs();
    const slug = await servingLayer();
    const { ['london_sport.shp']: _shp, ...rest } = london();
    const res = await putData(ctx.t.app, slug, ctx.pub.token, zip(rest), '', ZIP);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/no \.shp file \(it holds .*london_sport\.dbf.*\).*Nothing was changed/);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['kept']);
    expect(leftBehind(before)).toEqual([]);
  });

  it('refuses a .prj it cannot identify unless ?crs= says which CRS it is', async () => {
    const prj = 'PROJCS["Made_Up_Grid",GEOGCS["GCS_Nowhere",DATUM["D_Nowhere",SPHEROID["Nowhere",6378137,298.25]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator"],UNIT["Meter",1]]';
    const body = zip({ ...london(), 'london_sport.prj': prj });
    const refused = await publish(body, ZIP);
    expect(refused.res.status, JSON.stringify(refused.res.body).slice(0, 600)).toBe(400);
    expect(refused.res.body.detail).toMatch(/london_sport\.prj describes a coordinate system we cannot identify \("Made_Up_Grid"\).*\?crs=EPSG:27700/);
    const told = await publish(body, ZIP, '?crs=EPSG:27700');
    expect(told.res.status, JSON.stringify(told.res.body).slice(0, 600)).toBe(201);
    expect(told.res.body.report).toMatchObject({ sourceCrs: 'EPSG:27700', crsSource: 'parameter' });
  });

  it('refuses entries whose names climb out of the archive', async () => {
    const before = uploadDirs();
    for (const name of ['../../etc/cron.d/evil.shp', '/tmp/evil.shp', 'ok/../../evil.dbf']) {
      const slug = await servingLayer();
      const res = await putData(ctx.t.app, slug, ctx.pub.token, zip({ ...london(), [name]: 'x' }), '', ZIP);
      expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
      expect(res.body.detail).toContain(`entry "${name}" points outside the archive`);
      expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['kept']);
    }
    expect(leftBehind(before)).toEqual([]);
  });

  it('refuses a zip bomb by its compression ratio before unpacking it', async () => {
    const bomb = zip({ ...london(), 'london_sport.dbf': Buffer.alloc(64 * 1024 * 1024) }, 9);
    expect(bomb.length).toBeLessThan(200_000);
    const started = Date.now();
    const { res } = await publish(bomb, ZIP);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/"london_sport\.dbf" unpacks \d+ times larger .* zip bomb/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an archive whose entries unpack to more than their headers say', async () => {
    const before = uploadDirs();
    const lying = withStatedSizes(zip({ ...london(), 'london_sport.dbf': Buffer.alloc(4 * 1024 * 1024, 0x20) }, 9), 1000);
    const { res } = await publish(lying, ZIP);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/entry "london_sport\.(shp|dbf)" (holds more data than its header says|unpacks to a different size)/);
    expect(leftBehind(before)).toEqual([]);
  });

  it('refuses a body that is not a zip at all', async () => {
    const { res } = await publish('not a zip', ZIP);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/not a zip archive we can read/);
  });
});

describe('GeoPackages', () => {
  const routes = `${UK}/wales_ramblers_paths_to_wellbeing_routes_cy.geojson`;

  it('publishes a British National Grid table with ids, Welsh text, booleans and big integers, and warns of binary columns', async () => {
    const gpkg = await geoPackageFrom(ctx.t.deps.db.knex, routes, [{ name: 'llwybrau', srid: 27700, envelope: true }]);
    const { slug, res } = await publish(gpkg, GPKG, '?filename=llwybrau.gpkg');
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 141, geometryType: 'MultiLineString', report: { sourceCrs: 'EPSG:27700', crsSource: 'file', byCode: { 'binary-not-loaded': 1 } } });
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    expect(minLon).toBeGreaterThan(-5.4); // Wales lies between about 5.3°W and 2.6°W, 51.3°N and 53.5°N
    expect(maxLon).toBeLessThan(-2.6);
    expect(minLat).toBeGreaterThan(51.3);
    expect(maxLat).toBeLessThan(53.5);
    const route = (await currentFeatures(ctx.t, slug)).find((f) => f.feature_id === '26')!;
    expect(route.properties).toMatchObject({ name: 'Llwybr Corachod i’r Teulu', big: '1152921504606846977', photo: null });
    expect(typeof route.properties.family_friendly).toBe('boolean');
    expect(await versionSource(slug)).toMatchObject({ format: 'gpkg', filename: 'llwybrau.gpkg' });
  });

  it('reads WGS 84 geometry blobs without envelopes the same as the GeoJSON they came from', async () => {
    const gpkg = await geoPackageFrom(ctx.t.deps.db.knex, routes, [{ name: 'routes', srid: 4326, envelope: false }]);
    const fromGpkg = await publish(gpkg, 'application/octet-stream', '?filename=routes.GPKG');
    const fromJson = await publish(readFileSync(routes), 'application/geo+json');
    expect(fromGpkg.res.status, JSON.stringify(fromGpkg.res.body).slice(0, 600)).toBe(201);
    expect(fromGpkg.res.body.report.sourceCrs).toBe('EPSG:4326');
    expect(fromGpkg.res.body.bbox).toEqual(fromJson.res.body.bbox);
  });

  it('asks which table to read when there are several, and reads the one ?layer= names', async () => {
    const gpkg = await geoPackageFrom(ctx.t.deps.db.knex, routes, [
      { name: 'routes_a', srid: 4326, envelope: false },
      { name: 'routes_b', srid: 27700, envelope: true },
    ]);
    const refused = await publish(gpkg, GPKG);
    expect(refused.res.status, JSON.stringify(refused.res.body).slice(0, 600)).toBe(400);
    expect(refused.res.body.detail).toMatch(/2 feature tables \(routes_a, routes_b\); choose one with \?layer=NAME/);
    const chosen = await publish(gpkg, GPKG, '?layer=routes_b');
    expect(chosen.res.status, JSON.stringify(chosen.res.body).slice(0, 600)).toBe(201);
    expect(chosen.res.body.report.sourceCrs).toBe('EPSG:27700');
  });

  it('refuses a file that is not a GeoPackage', async () => {
    const { res } = await publish(readFileSync(`${UK}/uk_football_stadiums_latlon.csv`), GPKG);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/not a GeoPackage we can read/);
  });
});

describe('KML, KMZ and GPX', () => {
  const other = (name: string) => readFileSync(`${DATA}/other-formats/${name}`);

  it.each([
    ['kml_google_earth_project_styles.kml', 2],
    ['kml_gx_track.kml', 1],
    ['kml_mapserver_wms_output_label.kml', 27],
    ['kml_multigeometry.kml', 1],
    ['kml_schema_simpledata_typed_fields.kml', 1],
  ])('publishes every Placemark of %s as WGS 84', async (file, count) => {
    const { res } = await publish(other(file), KML);
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
    expect(res.body.featureCount).toBe(count);
    expect(res.body.report).toMatchObject({ sourceCrs: 'EPSG:4326', crsSource: 'file' });
  });

  it('publishes a Placemark without geometry as a feature without a location', async () => {
    const { slug, res } = await publish(other('kml_null_geometry.kml'), KML);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 1, bbox: null });
    const [f] = await currentFeatures(ctx.t, slug);
    expect(f).toMatchObject({ geometry: null, properties: { name: 'Simple placemark' } });
  });

  it('keeps KML schema data as typed properties', async () => {
    const { slug } = await publish(other('kml_schema_simpledata_typed_fields.kml'), KML);
    const [f] = await currentFeatures(ctx.t, slug);
    expect(f!.properties).toMatchObject({ gid: 167001, tream_treatment_number: '16', cn_cv_1109: '89%' });
    expect(f!.geometry!.type).toBe('Polygon');
  });

  it('refuses placemarks whose coordinates are not numbers, naming their lines', async () => {
    const { res } = await publish(other('kml_bad.kml'), KML);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
    expect(res.body.report.byCode).toEqual({ 'bad-coordinates': 3 });
    expect(res.body.report.problems.map((p: { line: number }) => p.line)).toEqual([3, 9, 20]);
    expect(res.body.detail).toMatch(/feature 1 \(line 3\): Its <coordinates> at line 5 hold "no,no"/);
  });

  it('loads no NetworkLink: never fetched, and said so', async () => {
    const { res } = await publish(other('kml_networklink.kml'), KML);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
    expect(res.body.report.byCode).toEqual({ 'kml-not-features': 1, 'no-features': 1 });
  });

  it('refuses a billion-laughs KML at once, before expanding anything', async () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY lol0 "lol">${lol}]>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&lol9;</name><Point><coordinates>-3,51</coordinates></Point></Placemark></kml>`;
    const started = Date.now();
    const { res } = await publish(laughs, KML);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/DOCTYPE declaration; we do not read DTDs or entity declarations/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads a KMZ’s doc.kml like the KML itself', async () => {
    const kml = other('kml_google_earth_project_styles.kml');
    const { slug, res } = await publish(zip({ 'doc.kml': kml, 'files/icon.png': Buffer.alloc(10) }), 'application/vnd.google-earth.kmz');
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    const direct = await publish(kml, KML);
    expect(res.body.bbox).toEqual(direct.res.body.bbox);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.properties.name)).toEqual(['Untitled Placemark', 'Untitled Polygon']);
  });

  it('publishes the Ramblers’ Newport riverside walk as one route along the Usk', async () => {
    const { slug, res } = await publish(readFileSync(`${UK}/wales_ramblers_route_100_newport_riverside.gpx`), GPX);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 1, geometryType: 'LineString', report: { sourceCrs: 'EPSG:4326' } });
    const [f] = await currentFeatures(ctx.t, slug);
    expect(f!.properties).toMatchObject({ name: 'Riverside Circular Walk', _gpxType: 'rte' });
    expect(f!.geometry!.coordinates).toHaveLength(133);
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    expect([minLon, maxLon].every((x: number) => x > -3.05 && x < -2.9)).toBe(true); // Newport: about 3.0°W 51.59°N
    expect([minLat, maxLat].every((y: number) => y > 51.55 && y < 51.62)).toBe(true);
  });

  it('publishes the three tracks of an OpenStreetMap GPX export', async () => {
    const { res } = await publish(other('gpx_osm_export.gpx'), 'application/octet-stream', '?filename=osm.gpx');
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect(res.body.featureCount).toBe(3);
  });

  it('refuses GPX points whose lat and lon are not numbers, naming each', async () => {
    const { res } = await publish(other('gpx_bad.gpx'), GPX);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
    expect(res.body.report.byCode).toEqual({ 'bad-coordinates': 4 });
    expect(res.body.report.problems.map((p: { index: number; line: number }) => [p.index, p.line])).toEqual([[0, 3], [1, 16], [2, 13], [3, 14]]);
    expect(res.body.detail).toMatch(/line 5 has lat="undefined" lon="undefined", which are not numbers/);
  });
});

describe('CSV', () => {
  it('publishes the football stadiums from their lat and lon columns', async () => {
    const { slug, res } = await publish(readFileSync(`${UK}/uk_football_stadiums_latlon.csv`), CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 49, geometryType: 'Point', report: { sourceCrs: 'EPSG:4326', crsSource: 'file' } });
    const arsenal = (await currentFeatures(ctx.t, slug)).find((f) => f.properties.team === 'Arsenal')!;
    expect(arsenal.properties).toEqual({ team: 'Arsenal', lat: 51.554877, lon: -0.108435 });
    expect(arsenal.geometry).toEqual({ type: 'Point', coordinates: [-0.108435, 51.554877] });
  });

  it('reads Trafford’s defibrillators with Latitude before Longitude, and their curly quotes and accents', async () => {
    const { slug, res } = await publish(readFileSync(`${UK}/trafford_council/trafford_defibrillators.csv`), CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect(res.body.featureCount).toBe(185);
    const names = (await currentFeatures(ctx.t, slug)).map((f) => f.properties.Location);
    expect(names).toContain('St. John’s Medical Centre');
    expect(names).toContain('St. Mary Magdalene Church - Heatbeat Café');
  });

  it('publishes Trafford’s bus stops and schools, keeping a column with "NA" in it as text', async () => {
    const stops = await publish(readFileSync(`${UK}/trafford_council/trafford_bus_stops.csv`), CSV);
    expect(stops.res.status).toBe(201);
    expect(stops.res.body.featureCount).toBe(1025);
    const schools = await publish(readFileSync(`${UK}/trafford_council/trafford_schools_and_colleges.csv`), CSV);
    expect(schools.res.status).toBe(201);
    expect(schools.res.body.featureCount).toBe(103);
    const [first] = await currentFeatures(ctx.t, schools.slug);
    expect(first!.properties).toMatchObject({ name: 'St John Vianney School', local_authority_code: 358, capacity: '160', percent_fsm: '41.3', resource_provision: 'NA' });
  });

  it('decodes a CSV in the charset its Content-Type declares, and refuses undeclared non-UTF-8', async () => {
    const text = readFileSync(`${UK}/trafford_council/trafford_defibrillators.csv`, 'utf8');
    const windows1252 = Buffer.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0))));
    const declared = await publish(windows1252, 'text/csv; charset=windows-1252');
    expect(declared.res.status, JSON.stringify(declared.res.body).slice(0, 600)).toBe(201);
    expect((await currentFeatures(ctx.t, declared.slug)).map((f) => f.properties.Location)).toEqual(expect.arrayContaining(['St. John’s Medical Centre', 'St. Mary Magdalene Church - Heatbeat Café']));
    const undeclared = await publish(windows1252, CSV);
    expect(undeclared.res.status).toBe(400);
    expect(undeclared.res.body.detail).toMatch(/not valid utf-8 text; save it as UTF-8, or declare its charset/);
  });

  it('reads listed buildings from Easting and Northing as British National Grid, naming the rows whose cells hold several values', async () => {
    const file = readFileSync(`${UK}/trafford_council/trafford_listed_buildings_easting_northing.csv`, 'utf8');
    const whole = await publish(file, CSV);
    expect(whole.res.status).toBe(422);
    // Lines counted as a person counts them, with the quoted multi-line names before them (CRLF inside quotes) taken into account.
    expect(whole.res.body.report.problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([252, 253, 254, 255].map((l) => [l, 'bad-coordinates']));
    expect(whole.res.body.detail).toMatch(/Its Easting "376909\.953, 376909\.953, 376909\.953, 376909\.953" is not a number/);

    const fixed = file.split('\n').filter((l) => !l.includes('"376909.953, ')).join('\n');
    const { slug, res } = await publish(fixed, CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 261, report: { sourceCrs: 'EPSG:27700', crsSource: 'file' } });
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    expect(minLon).toBeGreaterThan(-2.55); // Trafford: about 2.3°W 53.42°N
    expect(maxLon).toBeLessThan(-2.2);
    expect(minLat).toBeGreaterThan(53.33);
    expect(maxLat).toBeLessThan(53.49);
    const [first] = await currentFeatures(ctx.t, slug);
    expect(first!.properties).toMatchObject({ OBJECTID: 45878, ListEntry: 1067598, NGR: 'SJ8023085291', AmendDate: 'NA', Grade: 'II' });
    expect(first!.properties.Easting).toBeCloseTo(380230.2669, 3);
  });

  it('keeps codes with leading zeros as text and makes wholly numeric columns numbers', async () => {
    const csv = 'id,code,count,note,lon,lat\n1,007,12,,-3.18,51.48\n2,010,3.5,x,-3.2,51.5\n';
    const { slug, res } = await publish(csv, CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.properties)).toEqual([
      { id: 1, code: '007', count: 12, note: null, lon: -3.18, lat: 51.48 },
      { id: 2, code: '010', count: 3.5, note: 'x', lon: -3.2, lat: 51.5 },
    ]);
  });

  it('refuses rows whose coordinates are not numbers, at their CSV line', async () => {
    const csv = 'name,longitude,latitude\n"Two\nlines",-3.1,51.5\nBad,abc,51.5\n\nEmpty,,\nFar,-3.1,95\n';
    const { res } = await publish(csv, CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
    expect(res.body.report.problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([
      [4, 'bad-coordinates'],
      [6, 'no-coordinates'],
      [7, 'out-of-range'],
    ]);
    expect(res.body.detail).toMatch(/feature 2 \(line 4\): Its longitude "abc" is not a number/);
  });

  it('reads a semicolon-separated CSV with a WKT column in British National Grid', async () => {
    const csv = 'name;wkt\nCardiff Castle;POINT (318150 176450)\nBay;LINESTRING (319000 174500, 319500 174000)\n';
    const { res } = await publish(csv, CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(201);
    expect(res.body).toMatchObject({ featureCount: 2, report: { sourceCrs: 'EPSG:27700', crsSource: 'coordinates' } });
  });

  it('refuses a CSV without coordinate columns, saying which columns it looked for', async () => {
    const { res } = await publish('name,postcode\nYsgol,CF10 1AA\n', CSV);
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(400);
    expect(res.body.detail).toMatch(/no coordinate columns: we look for longitude and latitude \(lon, lng, long or longitude with lat or latitude\), easting and northing.*Its columns are "name", "postcode"/);
  });
});

describe('choosing the format', () => {
  it('refuses a type it cannot read with 415, naming every format it can', async () => {
    const { res } = await publish('hello', 'text/plain');
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(415);
    for (const t of ['application/geo+json', 'application/x-ndjson', 'application/zip', 'application/geopackage+sqlite3', KML, 'application/vnd.google-earth.kmz', GPX, CSV]) {
      expect(res.body.detail).toContain(t);
    }
  });

  it('lets ?format= override the Content-Type and refuses a format it does not know', async () => {
    const ok = await publish(readFileSync(`${UK}/uk_football_stadiums_latlon.csv`), 'application/octet-stream', '?format=csv');
    expect(ok.res.status, JSON.stringify(ok.res.body).slice(0, 600)).toBe(201);
    const bad = await publish('x', CSV, '?format=xlsx');
    expect(bad.res.status, JSON.stringify(bad.res.body).slice(0, 600)).toBe(400);
    expect(bad.res.body.detail).toMatch(/"shapefile" \(zipped\), "gpkg", "kml", "kmz", "gpx", "csv"/);
  });
});
