import { describe, expect, it } from 'vitest';
import { toHexEwkb } from './ewkb';

describe('toHexEwkb', () => {
  it('writes a point as little-endian EWKB with its SRID', () => {
    // SELECT ST_AsHexEWKB('SRID=4326;POINT(1 2)'::geometry, 'NDR')
    expect(toHexEwkb({ type: 'Point', coordinates: [1, 2] }, 4326).toUpperCase()).toBe('0101000020E6100000000000000000F03F0000000000000040');
  });

  it('leaves out heights and writes the SRID only on the outer geometry', () => {
    const hex = toHexEwkb({ type: 'MultiPoint', coordinates: [[1, 2, 9], [3, 4]] }, 27700);
    // SELECT ST_AsHexEWKB('SRID=27700;MULTIPOINT(1 2,3 4)'::geometry, 'NDR')
    expect(hex.toUpperCase()).toBe('0104000020346C0000020000000101000000000000000000F03F0000000000000040010100000000000000000008400000000000001040');
  });
});
