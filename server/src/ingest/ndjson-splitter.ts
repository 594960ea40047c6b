import { JsonSyntaxError } from './json-value-capture';
import { utf8BomLength } from '../platform/utf8-bom';
import type { JsonFeature } from './feature-collection-splitter';

/** Splits newline-delimited GeoJSON (and RFC 8142 sequences, whose records start with RS) into one feature per line. */
export class NdjsonSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private line = 1;
  private index = 0;
  private offset = 0;

  constructor(private readonly maxFeatureBytes: number) {}

  push(buf: Buffer): JsonFeature[] {
    const out: JsonFeature[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) {
        this.append(buf.subarray(start));
        break;
      }
      this.append(buf.subarray(start, nl));
      this.emit(out);
      start = nl + 1;
    }
    this.offset += buf.length;
    return out;
  }

  end(): JsonFeature[] {
    const out: JsonFeature[] = [];
    this.emit(out);
    if (this.index === 0) throw new JsonSyntaxError('the upload has no features', 1, 0);
    return out;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    this.size += part.length;
    if (this.size > this.maxFeatureBytes) {
      throw new JsonSyntaxError(`line ${this.line} is larger than the limit of ${this.maxFeatureBytes} bytes`, this.line, this.offset);
    }
    this.parts.push(part);
  }

  private emit(out: JsonFeature[]): void {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    let s = 0;
    let e = bytes.length;
    if (this.line === 1) s = utf8BomLength(bytes);
    while (s < e && (bytes[s] === 0x20 || bytes[s] === 0x09 || bytes[s] === 0x0d || bytes[s] === 0x1e)) s++;
    while (e > s && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09 || bytes[e - 1] === 0x0d)) e--;
    if (e > s) {
      bytes = bytes.subarray(s, e);
      out.push({ index: this.index++, line: this.line, bytes });
    }
    this.line++;
  }
}
