import { describe, expect, it } from 'vitest';
import { WkbError, readGeoPackageGeometry, readWkb } from './wkb';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('readWkb', () => {
  it('reads little- and big-endian points', () => {
    expect(readWkb(hex('0101000000 000000000000F03F 0000000000000040'))).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(readWkb(hex('0000000001 3FF0000000000000 4000000000000000'))).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('keeps Z and drops M from ISO and EWKB codes', () => {
    expect(readWkb(hex('01E9030000 000000000000F03F 0000000000000040 0000000000000840'))).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(readWkb(hex('01D1070000 000000000000F03F 0000000000000040 0000000000000840'))).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(readWkb(hex('0101000020 346C0000 000000000000F03F 0000000000000040'))).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('reads multi geometries part by part', () => {
    const line = '0102000000 02000000 0000000000000000 0000000000000000 000000000000F03F 000000000000F03F';
    expect(readWkb(hex(`0105000000 02000000 ${line} ${line}`))).toEqual({
      type: 'MultiLineString',
      coordinates: [
        [[0, 0], [1, 1]],
        [[0, 0], [1, 1]],
      ],
    });
  });

  it('treats an empty point (NaN NaN) as a point without coordinates', () => {
    expect(readWkb(hex('0101000000 000000000000F87F 000000000000F87F'))).toEqual({ type: 'Point', coordinates: [] });
  });

  it('refuses truncated bytes and counts larger than the bytes could hold', () => {
    expect(() => readWkb(hex('0101000000 000000000000F03F'))).toThrow(WkbError);
    expect(() => readWkb(hex('0102000000 FFFFFF7F 0000000000000000'))).toThrow(/too short/);
    expect(() => readWkb(hex('0109000000'))).toThrow(/not a WKB geometry type/);
  });
});

describe('readGeoPackageGeometry', () => {
  const point = '0101000000 000000000000F03F 0000000000000040';

  it('skips the header and its envelope', () => {
    const envelope = '000000000000F03F 000000000000F03F 0000000000000040 0000000000000040';
    expect(readGeoPackageGeometry(hex(`47500003 E6100000 ${envelope} ${point}`))).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(readGeoPackageGeometry(hex(`47500001 E6100000 ${point}`))).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('reads the empty flag as no geometry and refuses blobs that are not GeoPackage geometry', () => {
    expect(readGeoPackageGeometry(hex(`47500011 E6100000 ${point}`))).toBeNull();
    expect(() => readGeoPackageGeometry(hex(point))).toThrow(/"GP" header/);
  });
});
