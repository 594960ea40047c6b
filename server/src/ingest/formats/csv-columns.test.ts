import { describe, expect, it } from 'vitest';
import { ColumnTypes, findGeometryColumns, isNumericCell, propertyNames } from './csv-columns';

describe('CSV columns', () => {
  it('finds lon/lat in any case and order, before easting/northing, x/y and WKT', () => {
    expect(findGeometryColumns(['Location', 'Latitude', 'Longitude'])).toMatchObject({ kind: 'point', x: 2, y: 1, srid: 4326 });
    expect(findGeometryColumns(['Easting', 'Northing', 'lon', 'lat'])).toMatchObject({ x: 2, y: 3, srid: 4326 });
    expect(findGeometryColumns(['name', 'EASTING', 'NORTHING'])).toMatchObject({ x: 1, y: 2, srid: 27700 });
    expect(findGeometryColumns(['X', 'Y'])).toEqual({ kind: 'point', x: 0, y: 1, srid: undefined, names: '"X" and "Y"' });
    expect(findGeometryColumns(['name', 'WKT'])).toEqual({ kind: 'wkt', column: 1 });
    expect(findGeometryColumns(['name', 'lat'])).toBeUndefined();
  });

  it('makes numbers only of cells that lose nothing as numbers', () => {
    expect(['0', '-12', '3.25', '1e3', '9007199254740991'].every(isNumericCell)).toBe(true);
    expect(['007', '+1', '1.', '.5', 'NaN', '12 ', '9007199254740993', '01234 567890'].some(isNumericCell)).toBe(false);
  });

  it('types a column as numeric only when every filled cell is', () => {
    const t = new ColumnTypes(3);
    t.add(['1', 'a', '']);
    t.add(['2.5', '3', '']);
    expect([0, 1, 2].map((i) => t.isNumeric(i))).toEqual([true, false, false]);
  });

  it('names blank and repeated headers so no value is lost', () => {
    expect(propertyNames(['name', '', 'name', ' name '])).toEqual(['name', 'column_2', 'name_2', 'name_3']);
  });
});
