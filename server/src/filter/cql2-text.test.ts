import { describe, expect, it } from 'vitest';
import { parseCql2Json } from './cql2-json';
import { parseCql2Text } from './cql2-text';

describe('parseCql2Text', () => {
  it('gives AND precedence over OR and reads NOT, LIKE, IN, BETWEEN and IS NULL', () => {
    expect(parseCql2Text("a = 1 OR b <> 'x' AND NOT c IS NULL")).toEqual({
      op: 'or',
      args: [
        { op: '=', left: { kind: 'property', name: 'a' }, right: { kind: 'number', value: 1 } },
        {
          op: 'and',
          args: [
            { op: '<>', left: { kind: 'property', name: 'b' }, right: { kind: 'string', value: 'x' } },
            { op: 'not', arg: { op: 'isNull', value: { kind: 'property', name: 'c' } } },
          ],
        },
      ],
    });
    expect(parseCql2Text("name NOT LIKE 'Ysgol%'")).toEqual({ op: 'not', arg: { op: 'like', value: { kind: 'property', name: 'name' }, pattern: 'Ysgol%' } });
    expect(parseCql2Text('pupils BETWEEN 10 AND 20')).toMatchObject({ op: 'between', low: { value: 10 }, high: { value: 20 } });
    expect(parseCql2Text("type IN ('primary', 'special')")).toMatchObject({ op: 'in', list: [{ value: 'primary' }, { value: 'special' }] });
    expect(parseCql2Text("opened > DATE('2000-01-01')")).toMatchObject({ right: { kind: 'date', value: '2000-01-01' } });
  });

  it('reads spatial functions with WKT and BBOX operands', () => {
    expect(parseCql2Text('S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))')).toEqual({
      op: 's_intersects',
      left: { kind: 'property', name: 'geometry' },
      right: { kind: 'geometry', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } },
    });
    expect(parseCql2Text('s_within(geometry, BBOX(-3.5, 51, -3, 52))')).toMatchObject({ op: 's_within', right: { kind: 'bbox', bbox: [-3.5, 51, -3, 52] } });
    expect(parseCql2Text('S_CONTAINS(geometry, POINT Z (1 2 3))')).toMatchObject({ right: { geometry: { type: 'Point', coordinates: [1, 2] } } });
  });

  it('keeps doubled quotes inside strings and quoted property names whole', () => {
    expect(parseCql2Text(`"odd name" = 'it''s'`)).toEqual({ op: '=', left: { kind: 'property', name: 'odd name' }, right: { kind: 'string', value: "it's" } });
  });

  it.each([
    ["name = 'open", /not closed with ' \(at character 8\)/],
    ['name = ', /expected a property name or a value \(at character 8\)/],
    ['a = 1 b = 2', /unexpected text after the end of the filter \(at character 7\)/],
    ['S_INTERSECTS(geometry, POLYGON((0 0, 1)))', /expected a number in WKT \(at character 39\)/],
    ['a ~ 1', /unexpected "~" \(at character 3\)/],
  ])('reports where %j goes wrong', (text, message) => {
    expect(() => parseCql2Text(text)).toThrow(message);
  });
});

describe('parseCql2Json', () => {
  it('reads the same expressions as the text form', () => {
    const json = parseCql2Json(JSON.stringify({ op: 'and', args: [{ op: 'like', args: [{ property: 'name' }, 'Ysgol%'] }, { op: 'in', args: [{ property: 'type' }, ['primary']] }] }));
    expect(json).toEqual(parseCql2Text("name LIKE 'Ysgol%' AND type IN ('primary')"));
  });

  it('names the JSON path of a bad node', () => {
    expect(() => parseCql2Json('{"op":"and","args":[{"op":"=","args":[{"property":"a"}]},true]}')).toThrow(/takes 2 arguments, not 1 at \$\.args\[0\]/);
    expect(() => parseCql2Json('{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[1]}]}')).toThrow(/not a valid GeoJSON geometry/);
  });
});
