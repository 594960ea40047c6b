import type { Geometry, Position } from 'geojson';
import { FilterSyntaxError } from './filter-ast';

/** Reads Well-Known Text (2D, with optional Z ignored) into GeoJSON; positions in errors are 1-based. */
export class WktReader {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly offset = 0,
  ) {}

  static read(text: string, offset = 0): { geometry: Geometry; end: number } {
    const r = new WktReader(text, offset);
    r.i = offset;
    const geometry = r.geometry();
    return { geometry, end: r.i };
  }

  private fail(message: string): never {
    throw new FilterSyntaxError(message, this.i + 1);
  }

  private skip(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private word(): string {
    this.skip();
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.i));
    if (!m) this.fail('expected a WKT geometry type');
    this.i += m[0].length;
    return m[0].toUpperCase();
  }

  private expect(ch: string): void {
    this.skip();
    if (this.text[this.i] !== ch) this.fail(`expected "${ch}" in WKT`);
    this.i++;
  }

  private peek(ch: string): boolean {
    this.skip();
    return this.text[this.i] === ch;
  }

  private number(): number {
    this.skip();
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) this.fail('expected a number in WKT');
    this.i += m[0].length;
    return Number(m[0]);
  }

  private position(): Position {
    const p = [this.number(), this.number()];
    this.skip();
    if (/[-+.\d]/.test(this.text[this.i] ?? '')) this.number(); // a Z value: we work in 2D
    return p;
  }

  private list<T>(item: () => T): T[] {
    this.expect('(');
    const out = [item()];
    while (this.peek(',')) {
      this.i++;
      out.push(item());
    }
    this.expect(')');
    return out;
  }

  private geometry(): Geometry {
    let type = this.word();
    this.skip();
    const dims = /^(ZM|Z|M)(?=\s*\()/i.exec(this.text.slice(this.i));
    if (dims) this.i += dims[0].length;
    const ring = () => this.list(() => this.position());
    switch (type) {
      case 'POINT':
        return { type: 'Point', coordinates: this.list(() => this.position())[0]! };
      case 'LINESTRING':
        return { type: 'LineString', coordinates: ring() };
      case 'POLYGON':
        return { type: 'Polygon', coordinates: this.list(ring) };
      case 'MULTIPOINT':
        return { type: 'MultiPoint', coordinates: this.list(() => (this.peek('(') ? this.list(() => this.position())[0]! : this.position())) };
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: this.list(ring) };
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: this.list(() => this.list(ring)) };
      case 'GEOMETRYCOLLECTION':
        return { type: 'GeometryCollection', geometries: this.list(() => this.geometry()) };
      default:
        type = type.toLowerCase();
        return this.fail(`"${type}" is not a WKT geometry type`);
    }
  }
}
