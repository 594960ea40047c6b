import { readdirSync, readFileSync } from 'node:fs';
import GJV from 'geojson-validation';
import { describe, expect, it } from 'vitest';
import { isWellFormedGeometry } from './well-formed-geometry';

const NASTY = '../shared/data/nasty-geojson';

/** Every geometry-like value in a parsed document: feature geometries and bare geometries. */
function geometriesIn(doc: unknown): unknown[] {
  if (typeof doc !== 'object' || doc === null) return [];
  const o = doc as { type?: unknown; features?: unknown; geometry?: unknown };
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) return o.features.flatMap(geometriesIn);
  if (o.type === 'Feature') return o.geometry === null || o.geometry === undefined ? [] : [o.geometry];
  return [doc];
}

const ring = [[0, 0], [1, 0], [1, 1], [0, 0]];
const made: unknown[] = [
  { type: 'Point', coordinates: [1, 2] },
  { type: 'Point', coordinates: [1, 2, 3] },
  { type: 'Point', coordinates: [1] },
  { type: 'Point', coordinates: [1, '2'] },
  { type: 'Point', coordinates: null },
  { type: 'Point' },
  { type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2] },
  { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
  { type: 'LineString', coordinates: [[0, 0]] },
  { type: 'LineString', coordinates: [[0, 0], [1]] },
  { type: 'LineString', coordinates: [0, 0] },
  { type: 'MultiPoint', coordinates: [[0, 0], [1, 1]] },
  { type: 'MultiPoint', coordinates: [[0, 0], 'x'] },
  { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] },
  { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2]]] },
  { type: 'Polygon', coordinates: [ring] },
  { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] },
  { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] },
  { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0, 5]]] },
  { type: 'Polygon', coordinates: [[[NaN, 0], [1, 0], [1, 1], [NaN, 0]]] },
  { type: 'Polygon', coordinates: ring },
  { type: 'MultiPolygon', coordinates: [[ring], [ring, ring]] },
  { type: 'MultiPolygon', coordinates: [ring] },
  { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'Polygon', coordinates: [ring] }] },
  { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1] }] },
  { type: 'GeometryCollection' },
  { type: 'Circle', coordinates: [1, 2] },
  { coordinates: [1, 2] },
  [1, 2],
  'Point',
];

describe('isWellFormedGeometry', () => {
  const paths = readdirSync(NASTY, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(geo)?json$/.test(f));
  const corpus = paths.flatMap((path) => {
    try {
      return geometriesIn(JSON.parse(readFileSync(`${NASTY}/${path}`, 'utf8'))).map((g) => ({ g, from: path }));
    } catch {
      return [];
    }
  });

  it('says yes only where geojson-validation finds nothing wrong, over the nasty corpus and made-up cases', () => {
    const cases = [...corpus, ...made.map((g) => ({ g, from: 'made' }))];
    expect(corpus.length).toBeGreaterThan(50);
    let yes = 0;
    for (const { g, from } of cases) {
      if (!isWellFormedGeometry(g)) continue;
      yes++;
      expect({ from, errors: GJV.isGeometryObject(g, true) }).toEqual({ from, errors: [] });
    }
    expect(yes).toBeGreaterThan(40);
  });

  it('says yes to the well-formed geometries that make up most data', () => {
    for (const i of [0, 1, 7, 11, 13, 15, 21, 23]) expect(isWellFormedGeometry(made[i])).toBe(true);
    for (const i of [2, 3, 4, 5, 8, 9, 10, 12, 14, 16, 17, 20, 22, 24, 25, 26, 27, 28, 29]) expect(isWellFormedGeometry(made[i])).toBe(false);
  });
});
