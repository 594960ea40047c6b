import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/test-app';

const ctx = useTestApp({ seed: true });
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
const wfs = (kvp: Record<string, string>) => request(ctx.t.app).get('/wfs').query({ SERVICE: 'WFS', VERSION: '2.0.0', ...kvp });
const getFeature = (kvp: Record<string, string>) => wfs({ REQUEST: 'GetFeature', TYPENAMES: 'haenau:sample-schools', ...kvp });
const members = (text: string) => {
  const doc = xml.parse(text).FeatureCollection;
  const m = doc.member === undefined ? [] : Array.isArray(doc.member) ? doc.member : [doc.member];
  return { doc, features: m.map((x: Record<string, Record<string, unknown>>) => Object.values(x)[0]!) };
};


describe('GetCapabilities', () => {
  it('lists every published layer with its WGS84 bbox, both CRSs and the output formats', async () => {
    const res = await request(ctx.t.app).get('/wfs?service=WFS&request=GetCapabilities').expect(200);
    expect(res.headers['content-type']).toMatch(/xml/);
    const caps = xml.parse(res.text).WFS_Capabilities;
    const types = caps.FeatureTypeList.FeatureType as Array<Record<string, unknown>>;
    expect(types.map((f) => f.Name).sort()).toEqual(['haenau:sample-active-travel-routes', 'haenau:sample-schools', 'haenau:sample-wards']);
    const schools = types.find((f) => f.Name === 'haenau:sample-schools')!;
    expect(schools.DefaultCRS).toBe('urn:ogc:def:crs:EPSG::4326');
    expect(schools.OtherCRS).toBe('urn:ogc:def:crs:EPSG::27700');
    expect((schools.WGS84BoundingBox as { LowerCorner: string }).LowerCorner).toMatch(/^-3\.\d+ 51\.\d+$/);
    expect(res.text).toContain('<ows:Constraint name="ImplementsResultPaging"><ows:NoValues/><ows:DefaultValue>TRUE');
    expect(res.text).toContain('<Format>application/json</Format>');
  });

  it('refuses a version it does not speak with VersionNegotiationFailed', async () => {
    const res = await request(ctx.t.app).get('/wfs?service=WFS&request=GetCapabilities&acceptversions=1.0.0').expect(400);
    expect(res.text).toContain('exceptionCode="VersionNegotiationFailed"');
  });
});

describe('DescribeFeatureType', () => {
  it('derives the XSD from the layer’s property schema', async () => {
    const res = await wfs({ REQUEST: 'DescribeFeatureType', TYPENAMES: 'haenau:sample-schools' }).expect(200);
    expect(res.text).toContain('<xsd:element name="geometry" type="gml:PointPropertyType"');
    expect(res.text).toContain('<xsd:element name="pupils" type="xsd:long"');
    expect(res.text).toContain('<xsd:element name="welsh_medium" type="xsd:boolean"');
    expect(res.text).toContain('<xsd:element name="opened" type="xsd:date"');
  });
});

describe('GetFeature', () => {
  it('returns GML 3.2 by default, EPSG:4326 in lat/lon order', async () => {
    const res = await getFeature({ COUNT: '2' }).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/gml\+xml; version=3\.2/);
    const { doc, features } = members(res.text);
    expect(doc['@numberReturned']).toBe('2');
    const json = await request(ctx.t.app).get('/ogc/collections/sample-schools/items?limit=1').expect(200);
    const [lon, lat] = json.body.features[0].geometry.coordinates;
    expect(features[0].geometry.Point['@srsName']).toBe('urn:ogc:def:crs:EPSG::4326');
    expect(features[0].geometry.Point.pos['#text']).toBe(`${lat} ${lon}`);
    expect(features[0]['@id']).toBe('sample-schools.SCH0001');
  });

  it('returns GeoJSON for OUTPUTFORMAT=application/json, and EPSG:27700 for SRSNAME', async () => {
    const res = await getFeature({ COUNT: '1', OUTPUTFORMAT: 'application/json', SRSNAME: 'urn:ogc:def:crs:EPSG::27700' }).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(res.text);
    expect(body.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::27700');
    expect(body.features[0].geometry.coordinates[0]).toBeGreaterThan(290_000);
  });

  it('counts with RESULTTYPE=hits', async () => {
    const res = await getFeature({ RESULTTYPE: 'hits' }).expect(200);
    expect(members(res.text).doc['@numberMatched']).toBe('300');
  });

  it('pages with COUNT and STARTINDEX', async () => {
    const first = members((await getFeature({ COUNT: '5', STARTINDEX: '0' }).expect(200)).text).features.map((f: { '@id': string }) => f['@id']);
    const second = members((await getFeature({ COUNT: '5', STARTINDEX: '5' }).expect(200)).text).features.map((f: { '@id': string }) => f['@id']);
    expect(first).toHaveLength(5);
    expect(second[0]).toBe('sample-schools.SCH0006');
    expect(new Set([...first, ...second]).size).toBe(10);
  });

  it('sorts with SORTBY and keeps only PROPERTYNAME properties', async () => {
    const res = await getFeature({ COUNT: '5', SORTBY: 'pupils DESC', PROPERTYNAME: 'name,pupils', OUTPUTFORMAT: 'application/json' }).expect(200);
    const features = JSON.parse(res.text).features as Array<{ properties: { pupils: number } }>;
    const pupils = features.map((f) => f.properties.pupils);
    expect(pupils).toEqual([...pupils].sort((a, b) => b - a));
    expect(Object.keys(features[0]!.properties).sort()).toEqual(['name', 'pupils']);
  });

  it('reads BBOX in the URN CRS as lat/lon, and in EPSG:27700 as easting/northing', async () => {
    const latLon = JSON.parse((await getFeature({ BBOX: '51.9,-3.4,52.05,-3.2,urn:ogc:def:crs:EPSG::4326', OUTPUTFORMAT: 'application/json' }).expect(200)).text);
    const ogc = await request(ctx.t.app).get('/ogc/collections/sample-schools/items?bbox=-3.4,51.9,-3.2,52.05&limit=1000').expect(200);
    expect(latLon.numberReturned).toBe(ogc.body.numberReturned);
    const bng = JSON.parse((await getFeature({ BBOX: '289000,214000,341000,256000,urn:ogc:def:crs:EPSG::27700', OUTPUTFORMAT: 'application/json' }).expect(200)).text);
    expect(bng.numberReturned).toBe(300);
  });

  it('applies the FES 2.0 filters QGIS sends', async () => {
    const fes = (body: string) => `<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">${body}</fes:Filter>`;
    const count = async (filter: string) => JSON.parse((await getFeature({ FILTER: fes(filter), OUTPUTFORMAT: 'application/json', COUNT: '1000' }).expect(200)).text).numberReturned as number;
    const all = (await request(ctx.t.app).get('/ogc/collections/sample-schools/items?limit=1000').expect(200)).body.features as Array<{ properties: { type: string; name: string; pupils: number } }>;
    expect(await count('<fes:PropertyIsEqualTo><fes:ValueReference>haenau:type</fes:ValueReference><fes:Literal>special</fes:Literal></fes:PropertyIsEqualTo>')).toBe(all.filter((f) => f.properties.type === 'special').length);
    expect(await count('<fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!"><fes:ValueReference>name</fes:ValueReference><fes:Literal>Pen*</fes:Literal></fes:PropertyIsLike>')).toBe(all.filter((f) => f.properties.name.startsWith('Pen')).length);
    expect(
      await count(
        '<fes:And><fes:PropertyIsGreaterThan><fes:ValueReference>pupils</fes:ValueReference><fes:Literal>300</fes:Literal></fes:PropertyIsGreaterThan><fes:PropertyIsLessThanOrEqualTo><fes:ValueReference>pupils</fes:ValueReference><fes:Literal>600</fes:Literal></fes:PropertyIsLessThanOrEqualTo></fes:And>',
      ),
    ).toBe(all.filter((f) => f.properties.pupils > 300 && f.properties.pupils <= 600).length);
    expect(
      await count('<fes:BBOX><fes:ValueReference>geometry</fes:ValueReference><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>51.9 -3.4</gml:lowerCorner><gml:upperCorner>52.05 -3.2</gml:upperCorner></gml:Envelope></fes:BBOX>'),
    ).toBe((await request(ctx.t.app).get('/ogc/collections/sample-schools/items?bbox=-3.4,51.9,-3.2,52.05&limit=1000')).body.numberReturned);
    expect(await count('<fes:ResourceId rid="sample-schools.SCH0003"/><fes:ResourceId rid="sample-schools.SCH0004"/>')).toBe(2);
  });
});

describe('WFS 1.1.0 for older clients', () => {
  it('answers GetCapabilities, GetFeature (GML 3.1.1) and hits in the 1.1.0 dialect', async () => {
    const caps = await request(ctx.t.app).get('/wfs?service=WFS&request=GetCapabilities&version=1.1.0').expect(200);
    const doc = xml.parse(caps.text).WFS_Capabilities;
    expect(doc['@version']).toBe('1.1.0');
    expect(doc.FeatureTypeList.FeatureType.map((f: { DefaultSRS: string }) => f.DefaultSRS)).toEqual(Array(3).fill('urn:ogc:def:crs:EPSG::4326'));
    const page = await request(ctx.t.app).get('/wfs?service=WFS&version=1.1.0&request=GetFeature&typename=haenau:sample-schools&maxfeatures=3').expect(200);
    expect(page.text).toContain('xmlns:gml="http://www.opengis.net/gml"');
    expect(page.text).toContain('numberOfFeatures="3"');
    expect(page.text.match(/<gml:featureMember>/g)).toHaveLength(3);
    const hits = await request(ctx.t.app).get('/wfs?service=WFS&version=1.1.0&request=GetFeature&typename=haenau:sample-schools&resulttype=hits').expect(200);
    expect(hits.text).toContain('numberOfFeatures="300"');
  });
});

describe('WFS errors', () => {
  it.each([
    [{ REQUEST: 'GetFeature', TYPENAMES: 'haenau:nope' }, 'InvalidParameterValue', 'typeNames'],
    [{ REQUEST: 'Transaction' }, 'OperationNotSupported', 'request'],
    [{ REQUEST: 'GetFeature', TYPENAMES: 'haenau:sample-schools', BBOX: '1,2,3' }, 'InvalidParameterValue', 'BBOX'],
    [{ REQUEST: 'GetFeature', TYPENAMES: 'haenau:sample-schools', SRSNAME: 'EPSG:3857' }, 'InvalidParameterValue', 'srsName'],
    [{ REQUEST: 'GetFeature', TYPENAMES: 'haenau:sample-schools', FILTER: '<fes:Filter' }, 'InvalidParameterValue', 'FILTER'],
  ])('%j is an ows:ExceptionReport with code %s', async (kvp, code, locator) => {
    const res = await wfs(kvp).expect(400);
    expect(res.headers['content-type']).toMatch(/xml/);
    expect(res.text).toContain(`exceptionCode="${code}"`);
    expect(res.text).toContain(`locator="${locator}"`);
  });

  it('refuses a FILTER that declares entities (billion laughs) without expanding them', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo><fes:ValueReference>name</fes:ValueReference><fes:Literal>&lol2;</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>`;
    const res = await getFeature({ FILTER: bomb }).expect(400);
    expect(res.text).toMatch(/may not declare a DOCTYPE or entities/);
  });
});
