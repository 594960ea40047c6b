/** Where a CSV's geometry comes from, found from its header. */
export type CsvGeometry =
  | { kind: 'point'; x: number; y: number; srid?: number; names: string }
  | { kind: 'wkt'; column: number; srid?: number };

const LONGITUDE = ['lon', 'lng', 'long', 'longitude'];
const LATITUDE = ['lat', 'latitude'];
const EASTING = ['easting', 'eastings'];
const NORTHING = ['northing', 'northings'];
const X = ['x'];
const Y = ['y'];
const WKT = ['wkt', 'geometry', 'geom', 'the_geom'];

/** What the 400 for a CSV without coordinates says we looked for. */
export const COLUMNS_LOOKED_FOR =
  'longitude and latitude (lon, lng, long or longitude with lat or latitude), easting and northing (British National Grid), x and y, or a WKT column (wkt, geometry, geom or the_geom)';

/**
 * The geometry columns, by name without regard to case: lon/lat (declared WGS 84), then
 * easting/northing (declared British National Grid), then x/y (CRS left to ?crs= or the
 * coordinates), then WKT.
 */
export function findGeometryColumns(header: string[]): CsvGeometry | undefined {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (candidates: string[]) => names.findIndex((n) => candidates.includes(n));
  const pair = (xs: string[], ys: string[], srid?: number): CsvGeometry | undefined => {
    const x = find(xs);
    const y = find(ys);
    return x >= 0 && y >= 0 ? { kind: 'point', x, y, srid, names: `"${header[x]}" and "${header[y]}"` } : undefined;
  };
  const column = find(WKT);
  return pair(LONGITUDE, LATITUDE, 4326) ?? pair(EASTING, NORTHING, 27700) ?? pair(X, Y) ?? (column >= 0 ? { kind: 'wkt', column } : undefined);
}

/** Property names from the header: blanks become column_N, repeats get _2, _3… */
export function propertyNames(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    const base = h.trim() || `column_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}

/** A coordinate cell: any decimal number. */
export const COORDINATE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A cell that can be a JSON number without losing anything: no leading zeros or plus sign (codes
 * like "007" and phone numbers stay text) and integers within 2^53.
 */
export function isNumericCell(s: string): boolean {
  if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(s)) return false;
  const n = Number(s);
  return Number.isFinite(n) && (/[.eE]/.test(s) || Number.isSafeInteger(n));
}

/** Tracks, per column, whether every non-empty cell is numeric: such columns become numbers. */
export class ColumnTypes {
  private readonly numeric: boolean[];
  private readonly filled: boolean[];

  constructor(width: number) {
    this.numeric = Array<boolean>(width).fill(true);
    this.filled = Array<boolean>(width).fill(false);
  }

  add(record: string[]): void {
    for (let i = 0; i < this.numeric.length; i++) {
      const cell = record[i]?.trim();
      if (cell === undefined || cell === '') continue;
      this.filled[i] = true;
      if (this.numeric[i] && !isNumericCell(cell)) this.numeric[i] = false;
    }
  }

  isNumeric(i: number): boolean {
    return this.numeric[i]! && this.filled[i]!;
  }
}
