import { describe, expect, it } from 'vitest';
import { readGmlFeatures } from './gml-features';

const collection = (members: string) => `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="urn:a">
  ${members}</wfs:FeatureCollection>`;

/** A seeded PRNG (mulberry32), so the decimals below are the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readGmlFeatures reading in one pass', () => {
  it('reads posList decimals to exactly the doubles Number() gives', () => {
    const random = mulberry32(20261121);
    const tokens = Array.from({ length: 4000 }, (_, i) => {
      const digits = 1 + Math.floor(random() * 18);
      const text = String(Math.floor(random() * 10 ** digits)).padStart(digits, '0');
      const point = Math.floor(random() * (digits + 1));
      const decimal = point === digits ? text : `${text.slice(0, point) || '0'}.${text.slice(point)}`;
      return (i % 3 === 0 ? '-' : '') + (i % 7 === 0 ? `${decimal}e-3` : decimal);
    });
    const xml = collection(`<wfs:member><app:a gml:id="a.1"><app:g><gml:LineString srsName="EPSG:3857"><gml:posList>\n ${tokens.join(' \n\t')} </gml:posList></gml:LineString></app:g></app:a></wfs:member>`);
    const line = readGmlFeatures(xml).features[0]?.geometry as { coordinates: number[][] };
    expect(line.coordinates.flat()).toEqual(tokens.map(Number));
  });

  it('reads a posList split by a comment or holding character references', () => {
    const xml = collection(`<wfs:member><app:a><app:g><gml:LineString srsName="EPSG:3857"><gml:posList>1 2 <!-- x -->3&#32;4</gml:posList></gml:LineString></app:g></app:a></wfs:member>`);
    expect(readGmlFeatures(xml).features[0]?.geometry).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
  });

  it('reads a property that holds a geometry and something else as a value, not as the geometry', () => {
    const xml = collection(`<wfs:member><app:a gml:id="a.1"><app:both><gml:Point><gml:pos>1 2</gml:pos></gml:Point><app:note>n</app:note></app:both></app:a></wfs:member>`);
    expect(readGmlFeatures(xml).features[0]).toEqual({ type: 'Feature', id: 'a.1', geometry: null, properties: { both: { Point: { pos: '1 2' }, note: 'n' } } });
  });

  it('keeps a property called __proto__ as a property, reaching no prototype', () => {
    const xml = collection(`<wfs:member><app:a><app:__proto__><app:polluted>1</app:polluted></app:__proto__></app:a></wfs:member>`);
    const { properties } = readGmlFeatures(xml).features[0]!;
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.keys(properties ?? {})).toEqual(['__proto__']);
    expect((properties as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('keeps features, and members of multi-geometries, in document order', () => {
    const xml = collection(`<wfs:member><app:a gml:id="a.1"/></wfs:member><wfs:member><app:b gml:id="b.1"/></wfs:member><wfs:member><app:a gml:id="a.2"/></wfs:member>`);
    expect(readGmlFeatures(xml).features.map((f) => f.id)).toEqual(['a.1', 'b.1', 'a.2']);
  });

  it('reports a malformed document as malformed even when a feature before the fault could not be read', () => {
    const xml = collection(`<wfs:member><app:a><app:g><gml:Point srsName="urn:x:unknown"><gml:pos>1 2</gml:pos></gml:Point></app:g></app:a></wfs:member><wfs:member><app:b></app:c></wfs:member>`);
    expect(() => readGmlFeatures(xml)).toThrow(/^The service sent malformed XML at line 2, column \d+: Expected closing tag 'app:b'/);
  });

  it('counts every feature of a page over the limit before refusing it', () => {
    const members = Array.from({ length: 12 }, (_, i) => `<wfs:member><app:a gml:id="a.${i}"><app:n>${i}</app:n></app:a></wfs:member>`).join('');
    expect(() => readGmlFeatures(collection(members), { maxFeatures: 10 })).toThrow('The WFS sent 12 features in one page; Haenau accepts at most 10.');
  });
});
