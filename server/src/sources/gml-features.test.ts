import { readFileSync } from 'node:fs';
import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { afterRootStartTag, afterRootStartTagBytes, readGmlFeatureBatches, readGmlFeatures, XmlSafetyError } from './gml-features';
import { SourceResponseError } from './remote-source';
import { ServiceExceptionError } from './xml-safety';

const WFS_DATA = '/work/shared/data/wfs/';

/** A captured response; MapServer's msautotest files begin with CGI header lines, up to the first blank line. */
function capture(name: string): string {
  const text = readFileSync(WFS_DATA + name, 'utf8');
  return name.startsWith('mapserver-msautotest_') ? text.slice(text.search(/\r?\n\r?\n/)).trimStart() : text;
}

const geometries = (xml: string, o = {}) => readGmlFeatures(xml, o).features.map((f) => f.geometry as Geometry);

/** A WFS 2.0 collection around one feature whose geometry property holds `geometry`. */
const page = (geometry: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:app="urn:example:app" numberMatched="1" numberReturned="1">
  <wfs:member><app:site gml:id="site.1">${extra}<app:geom>${geometry}</app:geom></app:site></wfs:member>
</wfs:FeatureCollection>`;
const point = (srsName: string, pos: string) => page(`<gml:Point srsName="${srsName}"><gml:pos>${pos}</gml:pos></gml:Point>`);

describe('readGmlFeatures on captured MapServer and deegree responses', () => {
  it('reads every geometry type of a WFS 2.0 GML 3.2 page with nested collections, swapping urn EPSG:4326 to lon/lat', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs_200_allgeoms_getfeature.xml'));
    expect(result.srid).toBe(4326);
    expect(result.numberMatched).toBe(6);
    expect(result.numberReturned).toBe(6);
    expect(result.next).toBeUndefined();
    expect(result.features.map((f) => [f.id, f.geometry?.type])).toEqual([
      ['point.1', 'Point'],
      ['multipoint.1', 'MultiPoint'],
      ['linestring.1', 'LineString'],
      ['multilinestring.1', 'MultiLineString'],
      ['polygon.1', 'Polygon'],
      ['multipolygon.1', 'MultiPolygon'],
    ]);
    const [pt, mpt, ls, mls, poly, mpoly] = result.features.map((f) => f.geometry);
    expect(pt).toEqual({ type: 'Point', coordinates: [2, 49] });
    expect(mpt).toEqual({ type: 'MultiPoint', coordinates: [[2, 49], [3, 50]] });
    expect(ls).toEqual({ type: 'LineString', coordinates: [[2, 49], [3, 50]] });
    expect(mls).toEqual({ type: 'MultiLineString', coordinates: [[[2, 49], [3, 50]], [[2, 50], [3, 49]]] });
    const outer = [[2, 49], [2, 50], [3, 50], [3, 49], [2, 49]];
    const hole = [[2.1, 49.1], [2.9, 49.1], [2.9, 49.9], [2.1, 49.9], [2.1, 49.1]];
    expect(poly).toEqual({ type: 'Polygon', coordinates: [outer, hole] });
    expect(mpoly).toEqual({ type: 'MultiPolygon', coordinates: [[outer, hole], [[[2.2, 49.2], [2.2, 49.8], [2.8, 49.8], [2.8, 49.2], [2.2, 49.2]]]] });
    expect(result.features.every((f) => Object.keys(f.properties ?? {}).length === 0)).toBe(true);
  });

  it('reads the same page in GML 2 (fid, coordinates, outerBoundaryIs, MultiLineString, MultiPolygon) to the same GeoJSON', () => {
    const gml2 = readGmlFeatures(capture('mapserver-msautotest_wfs_200_allgeoms_getfeature_gml2.xml'));
    const gml32 = readGmlFeatures(capture('mapserver-msautotest_wfs_200_allgeoms_getfeature.xml'));
    expect(gml2.srid).toBe(4326);
    expect(gml2.features.map((f) => f.id)).toEqual(['point.1', 'multipoint.1', 'linestring.1', 'multilinestring.1', 'polygon.1', 'multipolygon.1']);
    expect(gml2.features).toEqual(gml32.features);
  });

  it('keeps EPSG:3857 coordinates east/north and reports srid 3857', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs_200_allgeoms_getfeature_3857.xml'));
    expect(result.srid).toBe(3857);
    expect(result.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [222638.981587, 6274861.394007] });
    expect(result.features[4]?.geometry).toMatchObject({ type: 'Polygon' });
    const [, hole] = (result.features[4]?.geometry as { coordinates: number[][][] }).coordinates;
    expect(hole?.[0]).toEqual([233770.930666, 6291846.367064]);
  });

  it('reads WFS 1.0 GML 2 featureMembers in lon/lat under EPSG:4326', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs_get_feature.xml'));
    expect(result.srid).toBe(4326);
    expect(result.features).toHaveLength(21);
    expect(result.features.slice(0, 3).map((f) => f.id)).toEqual(['province.Quebec', 'province.Nova Scotia', 'province.Quebec']);
    expect(result.features[9]?.id).toBe('province.Prince Edward Island');
    const ring = (result.features[0]?.geometry as { coordinates: number[][][] }).coordinates[0];
    expect(ring).toHaveLength(7);
    expect(ring?.[0]).toEqual([-61.510511, 47.77424]);
  });

  it('reads WFS 1.1 GML 3.1.1 as written under "EPSG:4326", where MapServer puts lat first when no SRSNAME was asked for', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs11_get_feature.xml'));
    expect(result.srid).toBe(4326);
    expect(result.features).toHaveLength(21);
    expect(result.features[1]?.id).toBe('province.Nova Scotia');
    expect((result.features[0]?.geometry as { coordinates: number[][][] }).coordinates[0]?.[0]).toEqual([47.77424, -61.510511]);
  });

  it('reads that WFS 1.1 page to the WFS 1.0 geometries when told short EPSG codes follow EPSG axis order', () => {
    const wfs11 = geometries(capture('mapserver-msautotest_wfs11_get_feature.xml'), { shortEpsgIsLatLon: true });
    expect(wfs11).toEqual(geometries(capture('mapserver-msautotest_wfs_get_feature.xml')));
  });

  it('reads deegree EPSG:26912 MultiSurface with typed properties, keeping the member its numberReturned="0" denies', () => {
    const result = readGmlFeatures(capture('deegree-utah_GetFeature_wfs200_gml32.xml'));
    expect(result.srid).toBe(26912);
    expect(result.numberMatched).toBe('unknown');
    expect(result.numberReturned).toBe(0);
    expect(result.features).toHaveLength(1);
    const [feature] = result.features;
    expect(feature?.id).toBe('SGID024_MUNICIPALITIES2004_EDITED_0');
    expect(feature?.properties).toEqual({
      OBJECTID: 1,
      COUNTYNBR: '01',
      ENTITYNBR: 3020,
      ENTITYYR: 2004,
      SHORTDESC: 'MILFORD',
      GISKEY: 302001,
      SDEKEY: '0130202003',
      NAME: 'Milford',
      IMSCOLOR: 2,
      MINNAME: 'Milford',
      COUNTYSEAT: 0,
      POP2000: 1451,
      FIPS: 50040,
      SHAPE_AREA: 4178397.625,
      SHAPE_LEN: 10689.3287256,
      COUNTY: 'Beaver',
    });
    const polygons = (feature?.geometry as { type: string; coordinates: number[][][][] }).coordinates;
    expect(feature?.geometry?.type).toBe('MultiPolygon');
    expect(polygons).toHaveLength(1);
    expect(polygons[0]?.[0]).toHaveLength(52);
    expect(polygons[0]?.[0]?.[0]).toEqual([325218.003, 4250567.05]);
    expect(polygons[0]?.[0]?.[51]).toEqual([325218.003, 4250567.05]);
  });

  it('keeps Z as the third value of srsDimension="3" positions', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs_postgis_25d_gml3.xml'));
    expect(result.srid).toBe(27700);
    expect(result.features.map((f) => f.id)).toEqual(['point3d.1', 'multipoint3d.1', 'linestring3d.1', 'multilinestring3d.1', 'polygon3d.1', 'polygon3d.2', 'multipolygon3d.1']);
    const [pt, mpt, ls, mls, poly, msurf, mpoly] = result.features.map((f) => f.geometry);
    expect(pt).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(mpt).toEqual({ type: 'MultiPoint', coordinates: [[1, 2, 3], [4, 5, 6]] });
    expect(ls).toEqual({ type: 'LineString', coordinates: [[1, 2, 3], [4, 5, 6]] });
    expect(mls).toEqual({ type: 'MultiLineString', coordinates: [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]] });
    expect(poly).toEqual({ type: 'Polygon', coordinates: [[[0, 0, 1], [10, 0, 2], [10, 10, 3], [0, 10, 4], [0, 0, 1]]] });
    expect((msurf as { coordinates: number[][][][] }).coordinates[0]?.[1]).toEqual([[1, 1, 2], [1, 9, 3], [9, 9, 4], [9, 1, 5], [1, 1, 2]]);
    expect((mpoly as { coordinates: number[][][][] }).coordinates[1]).toEqual([[[10, 10, 0], [10, 20, 1], [20, 20, 2], [20, 10, 3], [10, 10, 0]]]);
  });

  it('reads an empty page: no features, the counts, and no srid unless a default is given', () => {
    const xml = capture('mapserver-msautotest_wfs_200_allgeoms_getfeature_count_0.xml');
    expect(readGmlFeatures(xml)).toEqual({ features: [], srid: undefined, numberMatched: 6, numberReturned: 0 });
    expect(readGmlFeatures(xml, { defaultSrid: 27700 }).srid).toBe(27700);
  });

  it('gives the next link with its &amp; decoded', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs_200_post_getfeature_startindex_1_count2.xml'));
    expect(result.features.map((f) => f.id)).toEqual(['province.978', 'province.982']);
    expect(result.numberMatched).toBe(21);
    expect(result.numberReturned).toBe(2);
    expect(result.next).toBe(
      'http://localhost/path/to/wfs_simple?myparam=something&SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=province&OUTPUTFORMAT=text%2Fxml%3B%20subtype%3D%22gml%2F3.2.1%22&COUNT=2&STARTINDEX=3',
    );
    expect((result.features[0]?.geometry as { coordinates: number[][][] }).coordinates[0]?.[0]).toEqual([-60.20485, 47.166385]);
  });

  it('turns plain decimals into numbers, keeps codes as text and empty elements as null, with no id when the server sends none', () => {
    const [sydney] = readGmlFeatures(capture('mapserver-msautotest_wfs_filter_200_property_isbetween.xml')).features;
    expect(sydney).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-60.214963, 46.123322] },
      properties: {
        AREA: 0, PERIMETER: 0, POPPLACE_: 391, POPPLACE_I: 4, UNIQUE_KEY: 'CBLGX', NAME: 'Sydney', NAME_E: null, NAME_F: null,
        UNIQUE_K_1: null, UNIQUE_K_2: null, REG_CODE: 12, NTS50: '011K01', LAT: 460900, LONG: 601100, SGC_CODE: 1217014, CAPITAL: 0, POP_RANGE: 4,
      },
    });
  });

  it('reads a lone feature as the root (GetFeatureById)', () => {
    const result = readGmlFeatures(capture('mapserver-msautotest_wfs_200_allgeoms_getfeaturebyid.xml'));
    expect(result.features).toEqual([{ type: 'Feature', id: 'point.1', geometry: { type: 'Point', coordinates: [2, 49] }, properties: {} }]);
    expect(result.srid).toBe(4326);
  });

  it.each([
    ['mapserver-msautotest_wfs_200_exception_getfeature_bbox_wrong_number_of_args.xml', 'msWFSGetFeature(): WFS server error. Wrong number of arguments for BBOX.', 'bbox'],
    ['mapserver-msautotest_wfs_200_exception_getfeature_invalid_filter.xml', 'msWFSGetFeature(): WFS server error. Invalid or Unsupported FILTER in GetFeature : foo', 'filter'],
    ['mapserver-msautotest_wfs_200_exception_describefeaturetype_illegal_typename.xml', 'msWFSDescribeFeatureType(): WFS server error. Invalid typename (bla).', 'typename'],
  ])('reports the exception in %s in the server’s words', (file, words, locator) => {
    const read = () => readGmlFeatures(capture(file));
    expect(read).toThrow(ServiceExceptionError);
    expect(read).toThrow(`The WFS answered with an exception: "${words}`);
    expect(read).toThrow(expect.objectContaining({ code: 'InvalidParameterValue', locator }));
  });

  it('reports a WFS 1.0 ServiceExceptionReport in the server’s words', () => {
    const xml = `<?xml version="1.0"?><ServiceExceptionReport version="1.2.0" xmlns="http://www.opengis.net/ogc">
      <ServiceException code="InvalidFormat">Unknown OUTPUTFORMAT &apos;geojson&apos;</ServiceException></ServiceExceptionReport>`;
    expect(() => readGmlFeatures(xml)).toThrow(`The WFS answered with an exception: "Unknown OUTPUTFORMAT 'geojson'" (InvalidFormat).`);
  });
});

describe('readGmlFeatures axis order and CRS', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::4326', '51.5 -0.12', 4326, [-0.12, 51.5]],
    ['urn:x-ogc:def:crs:EPSG:4326', '51.5 -0.12', 4326, [-0.12, 51.5]],
    ['urn:ogc:def:crs:EPSG:6.6:4326', '51.5 -0.12', 4326, [-0.12, 51.5]],
    ['http://www.opengis.net/def/crs/EPSG/0/4258', '51.5 -0.12', 4258, [-0.12, 51.5]],
    ['EPSG:4326', '-0.12 51.5', 4326, [-0.12, 51.5]],
    ['http://www.opengis.net/gml/srs/epsg.xml#4326', '-0.12 51.5', 4326, [-0.12, 51.5]],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', '-0.12 51.5', 4326, [-0.12, 51.5]],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', '-0.12 51.5', 4326, [-0.12, 51.5]],
    ['urn:ogc:def:crs:EPSG::27700', '530000 180000', 27700, [530000, 180000]],
    ['urn:x-ogc:def:crs:EPSG:27700', '530000 180000', 27700, [530000, 180000]],
    ['http://www.opengis.net/def/crs/EPSG/0/27700', '530000 180000', 27700, [530000, 180000]],
  ])('reads srsName %s with pos "%s" as EPSG:%i %j', (srsName, pos, srid, xy) => {
    const result = readGmlFeatures(point(srsName, pos));
    expect(result.srid).toBe(srid);
    expect(result.features[0]?.geometry).toEqual({ type: 'Point', coordinates: xy });
  });

  it('takes the CRS from the feature’s boundedBy when the geometry names none', () => {
    const bounded = '<gml:boundedBy><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>51 0</gml:lowerCorner><gml:upperCorner>52 1</gml:upperCorner></gml:Envelope></gml:boundedBy>';
    const result = readGmlFeatures(page('<gml:Point><gml:pos>51.5 0.5</gml:pos></gml:Point>', bounded));
    expect(result.srid).toBe(4326);
    expect(result.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [0.5, 51.5] });
  });

  it('uses defaultSrid, coordinates as given, when nothing names a CRS', () => {
    const result = readGmlFeatures(page('<gml:Point><gml:pos>530000 180000</gml:pos></gml:Point>'), { defaultSrid: 27700 });
    expect(result.srid).toBe(27700);
    expect(result.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [530000, 180000] });
  });

  it('refuses a page whose features are in two CRSs, naming both', () => {
    const xml = point('EPSG:27700', '1 2').replace(
      '</wfs:FeatureCollection>',
      '<wfs:member><app:site gml:id="site.2"><app:geom><gml:Point srsName="EPSG:3857"><gml:pos>1 2</gml:pos></gml:Point></app:geom></app:site></wfs:member></wfs:FeatureCollection>',
    );
    expect(() => readGmlFeatures(xml)).toThrow('two coordinate reference systems, EPSG:27700 (feature "site.1") and EPSG:3857 (feature "site.2")');
  });

  it('refuses a srsName it cannot map to an EPSG code', () => {
    expect(() => readGmlFeatures(point('urn:ogc:def:crs:OGC::imageCRS', '1 2'))).toThrow('coordinate reference system Haenau does not recognise: "urn:ogc:def:crs:OGC::imageCRS"');
  });
});

describe('readGmlFeatures properties', () => {
  const feature = (children: string) =>
    readGmlFeatures(`<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"
      xmlns:app="urn:example:app" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xlink="http://www.w3.org/1999/xlink">
      <wfs:member><app:site gml:id="site.1">${children}</app:site></wfs:member></wfs:FeatureCollection>`).features[0];

  it('leaves out GML’s own elements but keeps the publisher’s property of the same local name', () => {
    const f = feature('<gml:name>GML name</gml:name><gml:description>about</gml:description><app:name>Riverside School</app:name>');
    expect(f?.properties).toEqual({ name: 'Riverside School' });
  });

  it('resolves the GML namespace through xmlns, whatever its prefix', () => {
    const xml = `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:g="http://www.opengis.net/gml/3.2" xmlns:gml="urn:not-gml">
      <wfs:member><gml:site g:id="s.1"><g:name>meta</g:name><gml:name>kept</gml:name></gml:site></wfs:member></wfs:FeatureCollection>`;
    expect(readGmlFeatures(xml).features[0]).toEqual({ type: 'Feature', id: 's.1', geometry: null, properties: { name: 'kept' } });
  });

  it('gives null geometry to a feature without one', () => {
    expect(feature('<app:n>1</app:n>')).toEqual({ type: 'Feature', id: 'site.1', geometry: null, properties: { n: 1 } });
  });

  it('keeps the first geometry property as the geometry and drops later ones', () => {
    const f = feature(
      '<app:centre><gml:Point srsName="EPSG:27700"><gml:pos>1 2</gml:pos></gml:Point></app:centre><app:kind>a</app:kind>' +
        '<app:outline><gml:LineString srsName="EPSG:27700"><gml:posList>0 0 1 1</gml:posList></gml:LineString></app:outline>',
    );
    expect(f).toEqual({ type: 'Feature', id: 'site.1', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { kind: 'a' } });
  });

  it('reads nil, nested, repeated, by-reference, CDATA and escaped values', () => {
    const f = feature(
      '<app:closed xsi:nil="true" nilReason="unknown"/><app:address><app:street>High St &amp; Main</app:street><app:no>12</app:no></app:address>' +
        '<app:tag>a</app:tag><app:tag>b</app:tag><app:owner xlink:href="#org.7"/><app:note><![CDATA[<b>R&amp;D</b>]]></app:note>' +
        '<app:height uom="m">12.5</app:height><app:name>Caf&#233; &#x2603;</app:name>',
    );
    expect(f?.properties).toEqual({
      closed: null,
      address: { street: 'High St & Main', no: 12 },
      tag: ['a', 'b'],
      owner: '#org.7',
      note: '<b>R&amp;D</b>',
      height: 12.5,
      name: 'Café ☃',
    });
  });

  it('keeps as text what only looks numeric: leading zeros, signs, exponents, long ids, booleans, dates', () => {
    const values = ['007', '+44', '1e3', '12345678901234567890', '0.1234567890123456789', 'true', '2024-05-01', '1.', '-0.5', '-0'];
    const f = feature(values.map((v, i) => `<app:v${i}>${v}</app:v${i}>`).join(''));
    expect(Object.values(f?.properties ?? {})).toEqual(['007', '+44', '1e3', '12345678901234567890', '0.1234567890123456789', 'true', '2024-05-01', '1.', -0.5, 0]);
  });

  it('refuses WFS 2.0 join tuples', () => {
    const xml = '<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0"><wfs:member><wfs:Tuple/></wfs:member></wfs:FeatureCollection>';
    expect(() => readGmlFeatures(xml)).toThrow('joined tuples');
  });

  it('flattens wfs:additionalObjects into the page', () => {
    const xml = `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="urn:a">
      <wfs:member><app:a gml:id="a.1"/></wfs:member>
      <wfs:additionalObjects><wfs:SimpleFeatureCollection><wfs:member><app:b gml:id="b.1"/></wfs:member></wfs:SimpleFeatureCollection></wfs:additionalObjects>
    </wfs:FeatureCollection>`;
    expect(readGmlFeatures(xml).features.map((f) => f.id)).toEqual(['a.1', 'b.1']);
  });

  it('refuses a page with more features than maxFeatures', () => {
    const xml = capture('mapserver-msautotest_wfs_200_allgeoms_getfeature.xml');
    expect(() => readGmlFeatures(xml, { maxFeatures: 5 })).toThrow('The WFS sent 6 features in one page; Haenau accepts at most 5.');
    expect(readGmlFeatures(xml, { maxFeatures: 6 }).features).toHaveLength(6);
  });
});

describe('readGmlFeatures on unsafe or broken responses', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0"><wfs:member><app:x xmlns:app="urn:a"><app:v>&lol9;</app:v></app:x></wfs:member></wfs:FeatureCollection>`;

  it('refuses a billion-laughs document quickly, without expanding it', () => {
    const started = performance.now();
    expect(() => readGmlFeatures(billionLaughs)).toThrow(XmlSafetyError);
    expect(performance.now() - started).toBeLessThan(50);
    expect(() => readGmlFeatures(billionLaughs)).toThrow('The service sent XML with a document type declaration (DTD); Haenau does not expand XML entities');
  });

  it('refuses an external entity', () => {
    expect(() => readGmlFeatures('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')).toThrow(XmlSafetyError);
  });

  it('says a truncated response looks cut off', () => {
    const whole = capture('mapserver-msautotest_wfs_200_allgeoms_getfeature.xml');
    expect(() => readGmlFeatures(whole.slice(0, 3005))).toThrow(/^The service's XML ends before <wfs:FeatureCollection>, <wfs:member>, .*<gml:Point> are closed; the response looks cut off/);
    expect(() => readGmlFeatures(whole.slice(0, 3000))).toThrow(/ends at line 64; the response looks cut off/);
  });

  it('recognises an HTML error page and a non-XML answer', () => {
    const html = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><p>nginx<br></p></body></html>';
    expect(() => readGmlFeatures(html)).toThrow('The service sent an HTML page ("502 Bad Gateway") where XML was expected.');
    expect(() => readGmlFeatures('Service Temporarily Unavailable')).toThrow(SourceResponseError);
  });

  it('refuses a root that is neither a collection nor a feature', () => {
    expect(() => readGmlFeatures('<wfs:WFS_Capabilities xmlns:wfs="http://www.opengis.net/wfs/2.0"><x/></wfs:WFS_Capabilities>')).toThrow(
      'The WFS answered with <wfs:WFS_Capabilities> where a feature collection was expected.',
    );
  });
});

describe('afterRootStartTag, the text a harvest hashes to tell whether a GML page changed', () => {
  const stamped = (time: string, name: string) =>
    `<?xml version="1.0"?>\n<!-- made by a > b -->\n<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" next="a?b>c" timeStamp="${time}" numberMatched="1"><wfs:member><app:site xmlns:app="urn:a"><app:name>${name}</app:name></app:site></wfs:member></wfs:FeatureCollection>`;

  it('is the same for pages that differ only in their root attributes, and differs when a feature does', () => {
    const key = afterRootStartTag(stamped('2026-11-21T10:00:00Z', 'Ysgol'));
    expect(key).toBe('<wfs:member><app:site xmlns:app="urn:a"><app:name>Ysgol</app:name></app:site></wfs:member></wfs:FeatureCollection>');
    expect(afterRootStartTag(stamped('2026-11-21T10:00:01Z', 'Ysgol'))).toBe(key);
    expect(afterRootStartTag(stamped('2026-11-21T10:00:00Z', 'Ysgol Newydd'))).not.toBe(key);
  });

  it('is the page\'s own bytes when they are the text\'s UTF-8 (byte order mark or not), so a hash of either agrees', () => {
    const text = stamped('2026-11-21T10:00:00Z', 'Ysgol Gymraeg Llanfair-ym-Muallt ✓');
    const utf8 = (b: Buffer) => new TextDecoder('utf-8').decode(b);
    for (const buffer of [Buffer.from(text, 'utf8'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])]) {
      const key = afterRootStartTagBytes(buffer, utf8(buffer), utf8);
      expect(key).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(key as Uint8Array).equals(Buffer.from(afterRootStartTag(text), 'utf8'))).toBe(true);
    }
  });

  it('is the text when the bytes are in another charset and do not line up', () => {
    const text = stamped('2026-11-21T10:00:00Z', 'Caerdydd ŵ').replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16LE"?>');
    const buffer = Buffer.from(text, 'utf16le');
    const utf16 = (b: Buffer) => new TextDecoder('utf-16le').decode(b);
    expect(afterRootStartTagBytes(buffer, utf16(buffer), utf16)).toBe(afterRootStartTag(text));
  });
});

describe('readGmlFeatureBatches', () => {
  /** A WFS 2.0 page of `n` points, the first `plain` of them without a srsName, one nested collection around the rest. */
  const manyPoints = (n: number, plain = 0, lastSrs = 'urn:ogc:def:crs:EPSG::4326') => {
    const member = (i: number) => {
      const srs = i < plain ? '' : ` srsName="${i === n - 1 ? lastSrs : 'urn:ogc:def:crs:EPSG::4326'}"`;
      return `<wfs:member><app:site gml:id="site.${i}"><app:n>${i}</app:n><app:geom><gml:Point${srs}><gml:pos>51.${i} -3.${i}</gml:pos></gml:Point></app:geom></app:site></wfs:member>`;
    };
    const members = Array.from({ length: n }, (_, i) => member(i));
    return `<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="urn:example:app" numberMatched="${n}" numberReturned="${n}">
${members.slice(0, 100).join('\n')}
<wfs:member><wfs:FeatureCollection>${members.slice(100).join('\n')}</wfs:FeatureCollection></wfs:member>
</wfs:FeatureCollection>`;
  };

  it('hands on a page a few hundred features at a time, with the CRS from the first located one, as readGmlFeatures reads it whole', () => {
    const xml = manyPoints(600);
    const batches = readGmlFeatureBatches(xml);
    const sizes: number[] = [];
    const read: unknown[] = [];
    let next = batches.next();
    for (; !next.done; next = batches.next()) {
      sizes.push(next.value.features.length);
      expect(next.value.srid).toBe(4326);
      read.push(...next.value.features);
    }
    expect(sizes).toEqual([256, 256, 88]);
    expect(next.value).toMatchObject({ srid: 4326, numberMatched: 600, numberReturned: 600 });
    const whole = readGmlFeatures(xml);
    expect(read).toEqual(whole.features);
    expect(whole.features[599]).toMatchObject({ id: 'site.599', properties: { n: 599 }, geometry: { type: 'Point', coordinates: [-3.599, 51.599] } });
  });

  it('says the CRS is not settled while no feature has named one, and refuses a second CRS when its batch is read', () => {
    const unsettled = readGmlFeatureBatches(manyPoints(300, 280)).next();
    expect(unsettled.done).toBe(false);
    expect(!unsettled.done && unsettled.value.srid).toBeUndefined();
    const mixed = readGmlFeatureBatches(manyPoints(600, 0, 'EPSG:27700'));
    expect(mixed.next().done).toBe(false);
    expect(mixed.next().done).toBe(false);
    expect(() => mixed.next()).toThrow(SourceResponseError);
  });
});
