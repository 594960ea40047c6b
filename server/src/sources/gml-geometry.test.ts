import { describe, expect, it } from 'vitest';
import type { GmlCrsOptions } from './gml-crs';
import { readGmlGeometry } from './gml-geometry';
import { GmlScanner } from './gml-scanner';

const NS = 'xmlns:gml="http://www.opengis.net/gml/3.2"';

/** A geometry element (its root given gml's namespace) → GeoJSON, with no CRS inherited. */
function read(xml: string, o: GmlCrsOptions = {}) {
  const s = new GmlScanner(xml.replace(/^<([\w:]+)/, `<$1 ${NS}`));
  s.step();
  return readGmlGeometry(s, undefined, o);
}
const geometry = (xml: string) => read(xml).geometry;

describe('readGmlGeometry', () => {
  it('reads a Point from pos, GML 2 coordinates and GML 2 coord', () => {
    expect(geometry('<gml:Point><gml:pos>1.5 2.5</gml:pos></gml:Point>')).toEqual({ type: 'Point', coordinates: [1.5, 2.5] });
    expect(geometry('<gml:Point><gml:coordinates>1.5,2.5</gml:coordinates></gml:Point>')).toEqual({ type: 'Point', coordinates: [1.5, 2.5] });
    expect(geometry('<gml:Point><gml:coord><gml:X>1.5</gml:X><gml:Y>2.5</gml:Y></gml:coord></gml:Point>')).toEqual({ type: 'Point', coordinates: [1.5, 2.5] });
  });

  it('reads GML 2 coordinates with their own cs, ts and decimal separators', () => {
    const xml = '<gml:LineString><gml:coordinates cs=" " ts=";" decimal=",">1,5 2,5;3,25 4</gml:coordinates></gml:LineString>';
    expect(geometry(xml)).toEqual({ type: 'LineString', coordinates: [[1.5, 2.5], [3.25, 4]] });
  });

  it('reads a LineString from a list of pos and from coord elements', () => {
    expect(geometry('<gml:LineString><gml:pos>0 0</gml:pos><gml:pos>1 1</gml:pos></gml:LineString>')).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1]] });
    expect(geometry('<gml:LineString><gml:coord><gml:X>0</gml:X><gml:Y>0</gml:Y></gml:coord><gml:coord><gml:X>1</gml:X><gml:Y>1</gml:Y></gml:coord></gml:LineString>')).toEqual({
      type: 'LineString',
      coordinates: [[0, 0], [1, 1]],
    });
  });

  it('honours srsDimension on the geometry as well as on the posList', () => {
    expect(geometry('<gml:LineString srsDimension="3"><gml:posList>0 0 5 1 1 6</gml:posList></gml:LineString>')).toEqual({ type: 'LineString', coordinates: [[0, 0, 5], [1, 1, 6]] });
    expect(geometry('<gml:LineString><gml:posList srsDimension="3">0 0 5 1 1 6</gml:posList></gml:LineString>')).toEqual({ type: 'LineString', coordinates: [[0, 0, 5], [1, 1, 6]] });
  });

  it('reads posList as 3D in a geographic 3D CRS, swapping lat/lon and keeping the height', () => {
    const { geometry: g, crs } = read('<gml:LineString srsName="urn:ogc:def:crs:EPSG::4979"><gml:posList>51 -1 10 52 -2 20</gml:posList></gml:LineString>');
    expect(g).toEqual({ type: 'LineString', coordinates: [[-1, 51, 10], [-2, 52, 20]] });
    expect(crs).toEqual({ srid: 4979, swapAxes: true, dimension: 3 });
  });

  it('reads a bare LinearRing as a closed LineString', () => {
    expect(geometry('<gml:LinearRing><gml:posList>0 0 1 0 1 1 0 0</gml:posList></gml:LinearRing>')).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 0], [1, 1], [0, 0]] });
  });

  it('joins the LineStringSegments of a Curve and the members of a CompositeCurve', () => {
    const curve = '<gml:Curve><gml:segments><gml:LineStringSegment><gml:posList>0 0 1 1</gml:posList></gml:LineStringSegment><gml:LineStringSegment><gml:posList>1 1 2 0</gml:posList></gml:LineStringSegment></gml:segments></gml:Curve>';
    expect(geometry(curve)).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] });
    const composite = `<gml:CompositeCurve><gml:curveMember><gml:LineString><gml:posList>5 5 6 6</gml:posList></gml:LineString></gml:curveMember></gml:CompositeCurve>`;
    expect(geometry(composite)).toEqual({ type: 'LineString', coordinates: [[5, 5], [6, 6]] });
  });

  it('reads MultiCurve members that are Curves, and curveMembers holding several', () => {
    const xml = `<gml:MultiCurve><gml:curveMember><gml:Curve><gml:segments><gml:LineStringSegment><gml:posList>0 0 1 1</gml:posList></gml:LineStringSegment></gml:segments></gml:Curve></gml:curveMember>
      <gml:curveMembers><gml:LineString><gml:posList>2 2 3 3</gml:posList></gml:LineString><gml:LineString><gml:posList>4 4 5 5</gml:posList></gml:LineString></gml:curveMembers></gml:MultiCurve>`;
    expect(geometry(xml)).toEqual({ type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]], [[4, 4], [5, 5]]] });
  });

  it('reads a Polygon whose rings are gml:Ring curves', () => {
    const xml = `<gml:Polygon><gml:exterior><gml:Ring><gml:curveMember><gml:LineString><gml:posList>0 0 4 0 4 4</gml:posList></gml:LineString></gml:curveMember>
      <gml:curveMember><gml:LineString><gml:posList>4 4 0 4 0 0</gml:posList></gml:LineString></gml:curveMember></gml:Ring></gml:exterior></gml:Polygon>`;
    expect(geometry(xml)).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]] });
  });

  it('reads a Surface of PolygonPatches as a Polygon, and MultiSurface members that are Surfaces', () => {
    const patch = (x: number) => `<gml:PolygonPatch><gml:exterior><gml:LinearRing><gml:posList>${x} 0 ${x + 1} 0 ${x + 1} 1 ${x} 0</gml:posList></gml:LinearRing></gml:exterior></gml:PolygonPatch>`;
    const ring = (x: number) => [[x, 0], [x + 1, 0], [x + 1, 1], [x, 0]];
    expect(geometry(`<gml:Surface><gml:patches>${patch(0)}</gml:patches></gml:Surface>`)).toEqual({ type: 'Polygon', coordinates: [ring(0)] });
    const multi = `<gml:MultiSurface><gml:surfaceMember><gml:Surface><gml:patches>${patch(0)}</gml:patches></gml:Surface></gml:surfaceMember>
      <gml:surfaceMembers><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>5 0 6 0 6 1 5 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMembers></gml:MultiSurface>`;
    expect(geometry(multi)).toEqual({ type: 'MultiPolygon', coordinates: [[ring(0)], [ring(5)]] });
  });

  it('reads MultiPoint pointMembers and a MultiGeometry as a GeometryCollection', () => {
    const pts = '<gml:MultiPoint><gml:pointMembers><gml:Point><gml:pos>1 2</gml:pos></gml:Point><gml:Point><gml:pos>3 4</gml:pos></gml:Point></gml:pointMembers></gml:MultiPoint>';
    expect(geometry(pts)).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    const coll = `<gml:MultiGeometry srsName="urn:ogc:def:crs:EPSG::4326"><gml:geometryMember><gml:Point><gml:pos>51 -1</gml:pos></gml:Point></gml:geometryMember>
      <gml:geometryMember><gml:LineString><gml:posList>51 -1 52 -2</gml:posList></gml:LineString></gml:geometryMember></gml:MultiGeometry>`;
    expect(geometry(coll)).toEqual({
      type: 'GeometryCollection',
      geometries: [{ type: 'Point', coordinates: [-1, 51] }, { type: 'LineString', coordinates: [[-1, 51], [-2, 52]] }],
    });
  });

  it('applies an outer srsName to members, and the swap only for the URN form', () => {
    const member = '<gml:pointMember><gml:Point><gml:pos>51 -1</gml:pos></gml:Point></gml:pointMember>';
    expect(geometry(`<gml:MultiPoint srsName="urn:ogc:def:crs:EPSG::4258">${member}</gml:MultiPoint>`)).toEqual({ type: 'MultiPoint', coordinates: [[-1, 51]] });
    expect(geometry(`<gml:MultiPoint srsName="EPSG:4258">${member}</gml:MultiPoint>`)).toEqual({ type: 'MultiPoint', coordinates: [[51, -1]] });
    expect(read(`<gml:MultiPoint srsName="EPSG:4258">${member}</gml:MultiPoint>`, { shortEpsgIsLatLon: true }).geometry).toEqual({ type: 'MultiPoint', coordinates: [[-1, 51]] });
  });

  it('takes the CRS from members when only they name it', () => {
    const { geometry: g, crs } = read('<gml:MultiPoint><gml:pointMember><gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>51 -1</gml:pos></gml:Point></gml:pointMember></gml:MultiPoint>');
    expect(g).toEqual({ type: 'MultiPoint', coordinates: [[-1, 51]] });
    expect(crs?.srid).toBe(4326);
  });

  it('refuses what it cannot read faithfully, saying what', () => {
    expect(() => geometry('<gml:Curve><gml:segments><gml:Arc><gml:posList>0 0 1 1 2 0</gml:posList></gml:Arc></gml:segments></gml:Curve>')).toThrow(
      'curved segments (gml:Arc) are not supported',
    );
    expect(() => geometry('<gml:LineString><gml:posList srsDimension="2">0 0 1</gml:posList></gml:LineString>')).toThrow('a posList of 3 values does not divide into 2D positions');
    expect(() => geometry('<gml:Point><gml:pos>1 north</gml:pos></gml:Point>')).toThrow('"north" in a pos is not a number');
    expect(() => geometry('<gml:Point><gml:pos>1</gml:pos></gml:Point>')).toThrow('a position has 1 value(s)');
    expect(() => geometry('<gml:Point/>')).toThrow('a Point does not have exactly one position');
    expect(() => geometry('<gml:MultiPoint srsName="EPSG:27700"><gml:pointMember><gml:Point srsName="EPSG:4326"><gml:pos>1 2</gml:pos></gml:Point></gml:pointMember></gml:MultiPoint>')).toThrow(
      'one geometry mixes EPSG:27700 and EPSG:4326',
    );
  });
});
