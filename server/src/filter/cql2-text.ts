import { type Comparison, type Expr, FilterSyntaxError, type Scalar, SPATIAL_OPS, type Spatial, type SpatialOp } from './filter-ast';
import { WktReader } from './wkt';

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'punct'; v: string; at: number }
  | { t: 'wkt'; at: number; end: number }
  | { t: 'end'; at: number };

const WKT_TYPES = /^(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\b/i;

/** CQL2 text → tokens; a WKT literal is kept whole for the WKT reader. Positions are 0-based here. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const wkt = WKT_TYPES.exec(rest);
    if (wkt) {
      const { end } = WktReader.read(text, i);
      out.push({ t: 'wkt', at: i, end });
      i = end;
      continue;
    }
    if (ch === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterSyntaxError('a string is not closed with \'', i + 1);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += text[j++];
      }
      out.push({ t: 'string', v, at: i });
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      const j = text.indexOf('"', i + 1);
      if (j === -1) throw new FilterSyntaxError('a quoted property name is not closed with "', i + 1);
      out.push({ t: 'ident', v: text.slice(i + 1, j), at: i });
      i = j + 1;
      continue;
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(rest);
    if (num && (/\d/.test(ch) || ch === '.' || ((ch === '-' || ch === '+') && !/^[-+]\s/.test(rest)))) {
      out.push({ t: 'number', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const op = /^(<>|<=|>=|[=<>(),])/.exec(rest);
    if (op) {
      out.push({ t: 'punct', v: op[0], at: i });
      i += op[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.:]*/.exec(rest);
    if (word) {
      out.push({ t: 'word', v: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected "${ch}"`, i + 1);
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'IN', 'BETWEEN', 'IS', 'NULL', 'TRUE', 'FALSE']);

/** Recursive-descent parser for the CQL2 text the standard's basic, advanced-comparison and spatial classes define. */
class Parser {
  private k = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private get tok(): Token {
    return this.tokens[this.k]!;
  }

  private fail(message: string, tok: Token = this.tok): never {
    throw new FilterSyntaxError(message, tok.at + 1);
  }

  private isWord(w: string): boolean {
    return this.tok.t === 'word' && this.tok.v.toUpperCase() === w;
  }

  private acceptWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.k++;
    return true;
  }

  private expectPunct(p: string): void {
    if (this.tok.t !== 'punct' || this.tok.v !== p) this.fail(`expected "${p}"`);
    this.k++;
  }

  parse(): Expr {
    const e = this.or();
    if (this.tok.t !== 'end') this.fail('unexpected text after the end of the filter');
    return e;
  }

  private or(): Expr {
    const args = [this.and()];
    while (this.acceptWord('OR')) args.push(this.and());
    return args.length === 1 ? args[0]! : { op: 'or', args };
  }

  private and(): Expr {
    const args = [this.not()];
    while (this.acceptWord('AND')) args.push(this.not());
    return args.length === 1 ? args[0]! : { op: 'and', args };
  }

  private not(): Expr {
    if (this.acceptWord('NOT')) return { op: 'not', arg: this.not() };
    return this.primary();
  }

  private primary(): Expr {
    if (this.tok.t === 'punct' && this.tok.v === '(') {
      this.k++;
      const e = this.or();
      this.expectPunct(')');
      return e;
    }
    if (this.tok.t === 'word') {
      const upper = this.tok.v.toUpperCase();
      if ((SPATIAL_OPS as readonly string[]).includes(upper.toLowerCase()) && this.tokens[this.k + 1]?.t === 'punct') return this.spatial(upper.toLowerCase() as SpatialOp);
      if ((upper === 'TRUE' || upper === 'FALSE') && !this.isComparisonAhead()) {
        this.k++;
        return { op: 'literal-boolean', value: upper === 'TRUE' };
      }
    }
    return this.predicate();
  }

  private isComparisonAhead(): boolean {
    const next = this.tokens[this.k + 1];
    return next?.t === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(next.v);
  }

  private predicate(): Expr {
    const left = this.scalar();
    const t = this.tok;
    if (t.t === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
      this.k++;
      return { op: t.v as Comparison, left, right: this.scalar() };
    }
    const negated = this.acceptWord('NOT');
    let e: Expr;
    if (this.acceptWord('LIKE')) {
      const p = this.tok;
      if (p.t !== 'string') this.fail('LIKE needs a quoted pattern');
      this.k++;
      e = { op: 'like', value: left, pattern: p.v };
    } else if (this.acceptWord('BETWEEN')) {
      const low = this.scalar();
      if (!this.acceptWord('AND')) this.fail('BETWEEN needs "AND"');
      e = { op: 'between', value: left, low, high: this.scalar() };
    } else if (this.acceptWord('IN')) {
      this.expectPunct('(');
      const list = [this.scalar()];
      while (this.tok.t === 'punct' && this.tok.v === ',') {
        this.k++;
        list.push(this.scalar());
      }
      this.expectPunct(')');
      e = { op: 'in', value: left, list };
    } else if (!negated && this.acceptWord('IS')) {
      const not = this.acceptWord('NOT');
      if (!this.acceptWord('NULL')) this.fail('expected "NULL" after "IS"');
      e = { op: 'isNull', value: left };
      return not ? { op: 'not', arg: e } : e;
    } else {
      return this.fail('expected a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN or IS NULL)');
    }
    return negated ? { op: 'not', arg: e } : e;
  }

  private scalar(): Scalar {
    const t = this.tok;
    if (t.t === 'string') {
      this.k++;
      return { kind: 'string', value: t.v };
    }
    if (t.t === 'number') {
      this.k++;
      return { kind: 'number', value: t.v };
    }
    if (t.t === 'ident') {
      this.k++;
      return { kind: 'property', name: t.v };
    }
    if (t.t === 'word') {
      const upper = t.v.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE') {
        this.k++;
        return { kind: 'boolean', value: upper === 'TRUE' };
      }
      if ((upper === 'DATE' || upper === 'TIMESTAMP') && this.tokens[this.k + 1]?.t === 'punct') {
        this.k++;
        this.expectPunct('(');
        const s = this.tok;
        if (s.t !== 'string') this.fail(`${upper} needs a quoted value`);
        this.k++;
        this.expectPunct(')');
        if (Number.isNaN(Date.parse(s.v))) this.fail(`${upper}('${s.v}') is not a valid ${upper.toLowerCase()}`, s);
        return { kind: upper === 'DATE' ? 'date' : 'timestamp', value: s.v };
      }
      if (KEYWORDS.has(upper)) this.fail(`expected a property name or a value, found "${t.v}"`);
      this.k++;
      return { kind: 'property', name: t.v };
    }
    return this.fail('expected a property name or a value');
  }

  private spatialOperand(): Spatial {
    const t = this.tok;
    if (t.t === 'wkt') {
      this.k++;
      return { kind: 'geometry', geometry: WktReader.read(this.text, t.at).geometry };
    }
    if (t.t === 'word' && t.v.toUpperCase() === 'BBOX') {
      this.k++;
      this.expectPunct('(');
      const n: number[] = [];
      for (;;) {
        const v = this.tok;
        if (v.t !== 'number') this.fail('BBOX needs numbers');
        n.push(v.v);
        this.k++;
        if (this.tok.t === 'punct' && this.tok.v === ',') this.k++;
        else break;
      }
      this.expectPunct(')');
      if (n.length !== 4 && n.length !== 6) this.fail('BBOX needs 4 or 6 numbers', t);
      const b = n.length === 6 ? [n[0]!, n[1]!, n[3]!, n[4]!] : n;
      return { kind: 'bbox', bbox: b as [number, number, number, number] };
    }
    const s = this.scalar();
    if (s.kind !== 'property') this.fail('a spatial function takes a geometry property, a WKT geometry or BBOX(…)', t);
    return s;
  }

  private spatial(op: SpatialOp): Expr {
    this.k++;
    this.expectPunct('(');
    const left = this.spatialOperand();
    this.expectPunct(',');
    const right = this.spatialOperand();
    this.expectPunct(')');
    return { op, left, right };
  }
}

/** Parses a cql2-text filter; errors carry the character position. */
export function parseCql2Text(text: string): Expr {
  if (text.trim() === '') throw new FilterSyntaxError('the filter is empty');
  return new Parser(text, tokenize(text)).parse();
}
