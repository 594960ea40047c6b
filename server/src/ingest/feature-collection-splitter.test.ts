import { describe, expect, it } from 'vitest';
import { FeatureCollectionSplitter } from './feature-collection-splitter';
import { JsonSyntaxError } from './json-value-capture';
import { NdjsonSplitter } from './ndjson-splitter';

function splitAll(text: string, chunkSize: number) {
  const members: Record<string, unknown> = {};
  const s = new FeatureCollectionSplitter({ maxFeatureBytes: 1e6, onMember: (k, v) => (members[k] = v) });
  const buf = Buffer.from(text);
  const features = [];
  for (let i = 0; i < buf.length; i += chunkSize) features.push(...s.push(buf.subarray(i, i + chunkSize)));
  s.end();
  return { features: features.map((f) => ({ ...f, value: JSON.parse(f.bytes.toString()) })), members };
}

const doc = `\uFEFF{
  "type": "FeatureCollection",
  "crs": {"type": "name", "properties": {"name": "EPSG:27700"}},
  "features": [
    {"type": "Feature", "properties": {"name": "a \\"quoted\\" ]} name"}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
    {"type": "Feature",
     "properties": {"n": [1, {"x": "{"}]}, "geometry": null}
  ],
  "count": 2, "ok": true
}`;

describe('FeatureCollectionSplitter', () => {
  it('cuts out each feature with its starting line, whatever the chunk size', () => {
    for (const size of [1, 2, 7, 64, 100000]) {
      const { features, members } = splitAll(doc, size);
      expect(features.map((f) => f.index)).toEqual([0, 1]);
      expect(features.map((f) => f.line)).toEqual([5, 6]);
      expect(features[0]!.value.properties.name).toBe('a "quoted" ]} name');
      expect(features[1]!.value.properties.n).toEqual([1, { x: '{' }]);
      expect(members).toEqual({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:27700' } }, count: 2, ok: true });
    }
  });

  it('reports members that come after the features with how many features were already seen', () => {
    const seen: Array<[string, number]> = [];
    const s = new FeatureCollectionSplitter({ maxFeatureBytes: 1e6, onMember: (k, _v, n) => seen.push([k, n]) });
    s.push(Buffer.from('{"features":[{"type":"Feature"}],"crs":{"type":"name"}}'));
    s.end();
    expect(seen).toEqual([['crs', 1]]);
  });

  it.each([
    ['[]', /expected a GeoJSON FeatureCollection object/],
    ['{"features": {}}', /"features" must be an array/],
    ['{"features": [{"a":1},]}', /expected a feature after feature 1/],
    ['{"features": [{"a":1}', /ends before the FeatureCollection is complete/],
    ['{"features": []} x', /after the end of the FeatureCollection/],
    ['', /the upload is empty/],
    ['{"features": [{"a":1}}', /expected "," or "]" after feature 1, found "}"/],
  ])('refuses %j with a message that says what is wrong', (text, message) => {
    expect(() => splitAll(text, 3)).toThrow(message);
  });

  it('refuses a feature larger than the limit before holding all of it', () => {
    const s = new FeatureCollectionSplitter({ maxFeatureBytes: 100, onMember: () => {} });
    const big = `{"features":[{"type":"Feature","properties":{"p":"${'x'.repeat(500)}"}}]}`;
    expect(() => s.push(Buffer.from(big))).toThrow(JsonSyntaxError);
  });
});

describe('NdjsonSplitter', () => {
  it('yields one feature per non-blank line with its line number', () => {
    const s = new NdjsonSplitter(1e6);
    const out = [...s.push(Buffer.from('\uFEFF{"a":1}\r\n\n\u001e{"a":2}\n{"a"')), ...s.push(Buffer.from(':3}')), ...s.end()];
    expect(out.map((f) => [f.index, f.line, f.bytes.toString()])).toEqual([
      [0, 1, '{"a":1}'],
      [1, 3, '{"a":2}'],
      [2, 4, '{"a":3}'],
    ]);
  });
});
