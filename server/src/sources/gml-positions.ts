import type { Position } from 'geojson';
import { crsFromSrsName, type GmlCrs, type GmlCrsOptions } from './gml-crs';
import { type GmlScanner, START } from './gml-scanner';
import { SourceResponseError } from './remote-source';

/** Where a geometry is read: the CRS and srsDimension its ancestors declared. */
export interface Ctx {
  crs: GmlCrs | undefined;
  dimension: number | undefined;
  o: GmlCrsOptions;
  /** The first srsName met anywhere in the geometry, for members that carry one when their parent does not. */
  seen: { crs?: GmlCrs };
  /** srsName → CRS, so a page's thousands of identical srsNames are matched once. */
  crsCache: Map<string, GmlCrs>;
}

export const fail = (message: string): never => {
  throw new SourceResponseError(`The service sent GML Haenau cannot read: ${message}`);
};

export function crsOf(srsName: string, ctx: Pick<Ctx, 'o' | 'crsCache'>): GmlCrs {
  let crs = ctx.crsCache.get(srsName);
  if (!crs) ctx.crsCache.set(srsName, (crs = crsFromSrsName(srsName, ctx.o)));
  return crs;
}

/** The context inside the geometry element step() just entered: its own srsName and srsDimension win over inherited ones. */
export function enter(s: GmlScanner, ctx: Ctx): Ctx {
  const srsName = s.attr('srsName');
  const dim = s.attr('srsDimension');
  if (srsName === undefined && dim === undefined) return ctx;
  let crs = ctx.crs;
  if (srsName !== undefined) {
    crs = crsOf(srsName, ctx);
    const other = ctx.seen.crs;
    if (other && other.srid !== crs.srid) fail(`one geometry mixes EPSG:${other.srid} and EPSG:${crs.srid}.`);
    ctx.seen.crs ??= crs;
  }
  return { ...ctx, crs, dimension: dim !== undefined ? Number(dim) : ctx.dimension };
}

// 10^k is exact in a double up to 10^22: a decimal of at most 15 digits divided by it is correctly rounded.
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Where parseDecimals puts a text's numbers: one array for every call, grown when a text needs more. */
const SCRATCH_SIZE = 4096;
let scratch = new Float64Array(SCRATCH_SIZE);
/** A scratch grown past this (a posList of half a million positions) is handed out and not kept. */
const SCRATCH_KEPT = 1 << 20;

/**
 * Reads the whitespace-separated decimals in src[from, to) into `scratch`, without slicing strings, and
 * returns how many, or -1 when it cannot. Plain decimals of up to 15 digits are exact (one correctly
 * rounded division, the same double as Number()); any other token goes through Number(); anything
 * that is not finite returns -1. No array per text: a harvest's posLists are most of what it reads.
 */
function parseDecimals(src: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  while (i < to) {
    let c = src.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    if (n === scratch.length) {
      const grown = new Float64Array(n * 2);
      grown.set(scratch);
      scratch = grown;
    }
    const start = i;
    const negative = c === 45;
    if (negative) c = src.charCodeAt(++i);
    let mantissa = 0;
    let digits = 0;
    let decimals = 0;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      c = src.charCodeAt(++i);
    }
    if (c === 46) {
      c = src.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        decimals++;
        c = src.charCodeAt(++i);
      }
    }
    if (digits > 0 && digits <= 15 && (i >= to || c <= 32)) {
      const v = mantissa / POW10[decimals]!;
      scratch[n++] = negative ? -v : v;
      continue;
    }
    while (i < to && src.charCodeAt(i) > 32) i++;
    const v = Number(src.slice(start, i));
    if (!Number.isFinite(v)) return -1;
    scratch[n++] = v;
  }
  return n;
}

/** The numbers in a text, as the old reader split them; names the first token that is not one. */
function slowNumbers(text: string, what: string): number[] {
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '');
  return tokens.map((t) => {
    const n = Number(t);
    return Number.isFinite(n) ? n : fail(`${JSON.stringify(t.slice(0, 40))} in a ${what} is not a number.`);
  });
}

/**
 * The numbers in the text of the element leaf() just read, as a Float64Array or array: in place
 * when the text is plain (a view of the scratch, good until the next call), else decoded first.
 */
function numbers(s: GmlScanner, what: string): ArrayLike<number> {
  const raw = s.rawText();
  const n = raw ? parseDecimals(s.xml, raw[0], raw[1]) : -1;
  if (n < 0) return slowNumbers(s.text(), what);
  const values = scratch.subarray(0, n);
  if (scratch.length > SCRATCH_KEPT) scratch = new Float64Array(SCRATCH_SIZE);
  return values;
}

/** x/y(/z) in the CRS's east/north order; values past the third (measures) are dropped. */
function position(values: ArrayLike<number>, ctx: Ctx): Position {
  if (values.length < 2) fail(`a position has ${values.length} value(s); it needs at least 2.`);
  const a = values[0]!;
  const b = values[1]!;
  const xy = ctx.crs?.swapAxes ? [b, a] : [a, b];
  return values.length === 2 ? xy : [...xy, values[2]!];
}

function posList(s: GmlScanner, ctx: Ctx): Position[] {
  const dim = Number(s.attr('srsDimension') ?? ctx.dimension ?? ctx.crs?.dimension ?? 2);
  s.leaf();
  const values = numbers(s, 'posList');
  if (dim !== 2 && dim !== 3) fail(`srsDimension ${dim} is not 2 or 3.`);
  if (values.length % dim !== 0) fail(`a posList of ${values.length} values does not divide into ${dim}D positions.`);
  const swap = ctx.crs?.swapAxes === true;
  const out: Position[] = new Array(values.length / dim);
  for (let i = 0, p = 0; i < values.length; i += dim, p++) {
    const a = values[i]!;
    const b = values[i + 1]!;
    const xy = swap ? [b, a] : [a, b];
    if (dim === 3) xy.push(values[i + 2]!);
    out[p] = xy;
  }
  return out;
}

/** GML 2 <coordinates>, with its cs (between values), ts (between tuples) and decimal attributes. */
function coordinates(s: GmlScanner, ctx: Ctx): Position[] {
  const separator = (v: string) => (v.trim() === '' ? /\s+/ : v);
  const cs = separator(s.attr('cs') ?? ',');
  const ts = separator(s.attr('ts') ?? ' ');
  const decimal = s.attr('decimal') ?? '.';
  s.leaf();
  const text = s.text();
  if (text === '') return [];
  return text
    .split(ts)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const values = t.split(cs).map((v) => (decimal === '.' ? v : v.split(decimal).join('.')));
      return position(slowNumbers(values.join(' '), 'coordinates'), ctx);
    });
}

/** GML 2 <coord><X/><Y/><Z/></coord>: every X, then every Y, then every Z. */
function coord(s: GmlScanner, ctx: Ctx): Position {
  const axes: Record<string, number[]> = { X: [], Y: [], Z: [] };
  while (s.step() === START) {
    const axis = s.local === 'X' || s.local === 'Y' || s.local === 'Z' ? axes[s.local] : undefined;
    if (!axis) {
      s.skip();
      continue;
    }
    const name = s.local;
    s.leaf();
    axis.push(numbers(s, 'coord')[0] ?? fail(`an empty ${name} in a coord.`));
  }
  return position([...axes.X!, ...axes.Y!, ...axes.Z!], ctx);
}

/**
 * The positions of the point, line or ring element step() just entered, in whichever encoding the server
 * chose (posList, then coordinates, pos, coord, point properties); consumes the element.
 */
export function positions(s: GmlScanner, ctx: Ctx): Position[] {
  let list: Position[] | undefined;
  let coords: Position[] | undefined;
  const pos: Position[] = [];
  const coordList: Position[] = [];
  const points: Position[] = [];
  while (s.step() === START) {
    const kind = s.local;
    switch (kind) {
      case 'posList':
        if (list) s.skip();
        else list = posList(s, ctx);
        break;
      case 'coordinates':
        if (coords) s.skip();
        else coords = coordinates(s, ctx);
        break;
      case 'pos':
        s.leaf();
        pos.push(position(numbers(s, 'pos'), ctx));
        break;
      case 'coord':
        coordList.push(coord(s, ctx));
        break;
      case 'pointProperty':
      case 'pointRep':
        while (s.step() === START) {
          if (s.local === 'Point') points.push(point(s, enter(s, ctx)));
          else s.skip();
        }
        break;
      default:
        s.skip();
    }
  }
  return list ?? coords ?? (pos.length > 0 ? pos : coordList.length > 0 ? coordList : points);
}

/** The one position of the Point element step() just entered (ctx already entered). */
export function point(s: GmlScanner, ctx: Ctx): Position {
  const [p, extra] = positions(s, ctx);
  if (p === undefined || extra !== undefined) fail('a Point does not have exactly one position.');
  return p as Position;
}
