import { describe, expect, it } from 'vitest';
import { dateFieldNames, esriFeatureToGeoJson, esriGeometryToGeoJson } from './esri-json';
import { SourceResponseError } from './remote-source';

// Rings as Esri writes them: outer rings clockwise, holes anticlockwise (y pointing north).
const outerCw = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]];
const holeCcw = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]];
const farOuterCw = [[20, 0], [20, 10], [30, 10], [30, 0], [20, 0]];
const farHoleCcw = [[22, 2], [24, 2], [24, 4], [22, 4], [22, 2]];
const reversed = (ring: number[][]) => [...ring].reverse();

describe('esriGeometryToGeoJson', () => {
  it('turns {x, y} into a Point and keeps z', () => {
    expect(esriGeometryToGeoJson({ x: -3.18, y: 51.48 })).toEqual({ type: 'Point', coordinates: [-3.18, 51.48] });
    expect(esriGeometryToGeoJson({ x: -3.18, y: 51.48, z: 12.5 })).toEqual({ type: 'Point', coordinates: [-3.18, 51.48, 12.5] });
  });

  it('gives null for the empty geometries ArcGIS writes', () => {
    expect(esriGeometryToGeoJson({ x: 'NaN', y: 'NaN' })).toBeNull();
    expect(esriGeometryToGeoJson({ x: null, y: null })).toBeNull();
    expect(esriGeometryToGeoJson({ x: Number.NaN, y: 51 })).toBeNull();
    expect(esriGeometryToGeoJson({})).toBeNull();
    expect(esriGeometryToGeoJson({ rings: [] })).toBeNull();
    expect(esriGeometryToGeoJson({ paths: [[[1, 1]]] })).toBeNull();
    expect(esriGeometryToGeoJson({ points: [] })).toBeNull();
  });

  it('turns points into a MultiPoint', () => {
    expect(esriGeometryToGeoJson({ points: [[1, 2], [3, 4]] })).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
  });

  it('turns one path into a LineString and several into a MultiLineString', () => {
    expect(esriGeometryToGeoJson({ paths: [[[0, 0], [1, 1], [2, 0]]] })).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] });
    expect(esriGeometryToGeoJson({ paths: [[[0, 0], [1, 1]], [[5, 5], [6, 6]]] })).toEqual({
      type: 'MultiLineString',
      coordinates: [[[0, 0], [1, 1]], [[5, 5], [6, 6]]],
    });
  });

  it('drops m but keeps z, as hasZ and hasM say', () => {
    expect(esriGeometryToGeoJson({ paths: [[[0, 0, 7], [1, 1, 8]]], hasM: true })).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1]] });
    expect(esriGeometryToGeoJson({ paths: [[[0, 0, 5, 7], [1, 1, 6, 8]]] }, { hasZ: true, hasM: true })).toEqual({ type: 'LineString', coordinates: [[0, 0, 5], [1, 1, 6]] });
    expect(esriGeometryToGeoJson({ points: [[0, 0, 5]] }, { hasZ: true })).toEqual({ type: 'MultiPoint', coordinates: [[0, 0, 5]] });
  });

  it('writes a polygon with RFC 7946 winding: outer ring anticlockwise, hole clockwise', () => {
    expect(esriGeometryToGeoJson({ rings: [outerCw, holeCcw] })).toEqual({ type: 'Polygon', coordinates: [reversed(outerCw), reversed(holeCcw)] });
  });

  it('gives each hole to the outer ring that contains it, whatever order the rings come in', () => {
    expect(esriGeometryToGeoJson({ rings: [farHoleCcw, outerCw, holeCcw, farOuterCw] })).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [reversed(outerCw), reversed(holeCcw)],
        [reversed(farOuterCw), reversed(farHoleCcw)],
      ],
    });
  });

  it('gives a hole to the innermost outer ring when islands sit in lakes', () => {
    const lakeCcw = [[1, 1], [9, 1], [9, 9], [1, 9], [1, 1]];
    const islandCw = [[3, 3], [3, 7], [7, 7], [7, 3], [3, 3]];
    const pondCcw = [[4, 4], [5, 4], [5, 5], [4, 5], [4, 4]];
    expect(esriGeometryToGeoJson({ rings: [outerCw, lakeCcw, islandCw, pondCcw] })).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [reversed(outerCw), reversed(lakeCcw)],
        [reversed(islandCw), reversed(pondCcw)],
      ],
    });
  });

  it('judges a hole that touches its outer ring by a vertex off the boundary', () => {
    // The first vertex (0, 5) lies on the outer ring's western edge; (0, 0) would be a corner.
    const notchCcw = [[0, 5], [3, 3], [3, 7], [0, 5]];
    const result = esriGeometryToGeoJson({ rings: [notchCcw, outerCw] });
    expect(result).toEqual({ type: 'Polygon', coordinates: [reversed(outerCw), reversed(notchCcw)] });
  });

  it('keeps an anticlockwise ring that lies in no outer ring as a polygon of its own, and closes open rings', () => {
    const openCcw = [[50, 50], [60, 50], [60, 60]];
    expect(esriGeometryToGeoJson({ rings: [outerCw, openCcw] })).toEqual({
      type: 'MultiPolygon',
      coordinates: [[reversed(outerCw)], [[[50, 50], [60, 50], [60, 60], [50, 50]]]],
    });
  });

  it('refuses true curves and says what the publisher can do', () => {
    const curve = { curveRings: [[[0, 0], { c: [[10, 0], [5, 5]] }, [0, 0]]] };
    expect(() => esriGeometryToGeoJson(curve)).toThrow(SourceResponseError);
    expect(() => esriGeometryToGeoJson(curve)).toThrow(/curvePaths\/curveRings.*enable GeoJSON output \(f=geojson\).*densify/);
  });

  it('refuses a vertex that is not a pair of numbers', () => {
    expect(() => esriGeometryToGeoJson({ paths: [[[0, 0], [Number.NaN, 1]]] })).toThrow('The service sent a vertex that is not a pair of numbers: [null,1].');
  });
});

describe('esriFeatureToGeoJson', () => {
  const fields = [
    { name: 'OBJECTID', type: 'esriFieldTypeOID' },
    { name: 'NAME', type: 'esriFieldTypeString' },
    { name: 'OPENED', type: 'esriFieldTypeDate' },
    { name: 'CLOSED', type: 'esriFieldTypeDate' },
    { name: 'VISITORS', type: 'esriFieldTypeInteger' },
  ];

  it('takes the id from the object id field and writes dates as ISO 8601', () => {
    const feature = esriFeatureToGeoJson(
      { attributes: { OBJECTID: 42, NAME: 'Roath Park', OPENED: 582940800000, CLOSED: null, VISITORS: 1200 }, geometry: { x: -3.175, y: 51.505 } },
      { objectIdField: 'OBJECTID', dateFields: dateFieldNames(fields) },
    );
    expect(feature).toEqual({
      type: 'Feature',
      id: 42,
      geometry: { type: 'Point', coordinates: [-3.175, 51.505] },
      properties: { OBJECTID: 42, NAME: 'Roath Park', OPENED: '1988-06-22T00:00:00.000Z', CLOSED: null, VISITORS: 1200 },
    });
  });

  it('keeps a feature without geometry, with a null geometry', () => {
    expect(esriFeatureToGeoJson({ attributes: { FID: 3 } }, { objectIdField: 'FID' })).toEqual({ type: 'Feature', id: 3, geometry: null, properties: { FID: 3 } });
    expect(esriFeatureToGeoJson({ attributes: { FID: 4 }, geometry: { x: 'NaN', y: 'NaN' } }, {})).toEqual({ type: 'Feature', geometry: null, properties: { FID: 4 } });
  });

  it('lists only esriFieldTypeDate fields as dates', () => {
    expect([...dateFieldNames(fields)]).toEqual(['OPENED', 'CLOSED']);
  });
});
