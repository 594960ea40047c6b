import { JsonSyntaxError, JsonValueCapture } from './json-value-capture';

/** One feature as its JSON bytes, or as a reader of another format already built it, with where it stood in the upload. */
export type RawFeature = JsonFeature | ParsedFeature;

/** One feature's JSON bytes, with where it stood in the upload. */
export interface JsonFeature extends FeaturePlace {
  bytes: Buffer;
  parsed?: undefined;
}

/** A feature a reader of another format (GML) built: checked as it is, never written out and parsed again. */
export interface ParsedFeature extends FeaturePlace {
  parsed: unknown;
  bytes?: undefined;
}

interface FeaturePlace {
  /** 0-based position in the features array (or line order for NDJSON). */
  index: number;
  /** 1-based line where the feature starts; absent in formats without lines (Shapefile, GeoPackage). */
  line?: number;
  readerProblem?: { severity: 'error' | 'warning'; code: string; message: string };
}

export interface SplitterOptions {
  maxFeatureBytes: number;
  /** Members other than "features" (type, crs, name, bbox…) are parsed and handed over here. */
  onMember: (name: string, value: unknown, seenFeatures: number) => void;
}

const enum State {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  MemberValue,
  ArrayOpen,
  ElementOrEnd,
  Element,
  ElementCommaOrEnd,
  CommaOrEnd,
  End,
}


const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Splits a GeoJSON FeatureCollection into its features without holding the document in memory:
 * the top-level object is walked byte by byte and each element of "features" is cut out whole.
 */
export class FeatureCollectionSplitter {
  private state = State.Start;
  private line = 1;
  private offset = 0;
  private index = 0;
  private key = '';
  private featureLine = 1;
  private afterComma = false;
  private readonly capture: JsonValueCapture;
  private readonly memberCapture = new JsonValueCapture(16 * 1024 * 1024, () => `the "${this.key}" member`);
  private readonly keyCapture = new JsonValueCapture(1024, () => 'a member name');

  constructor(private readonly options: SplitterOptions) {
    this.capture = new JsonValueCapture(options.maxFeatureBytes, () => `feature ${this.index + 1}`);
  }

  private fail(message: string, at: number): never {
    throw new JsonSyntaxError(message, this.line, this.offset + at);
  }

  push(buf: Buffer): JsonFeature[] {
    const out: JsonFeature[] = [];
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (this.state === State.Key || this.state === State.MemberValue || this.state === State.Element) {
        const cap = this.captureFor(this.state);
        if (!cap.started && isSpace(buf[i]!)) {
          if (buf[i] === 0x0a) this.line++;
          i++;
          continue;
        }
        const end = cap.feed(buf, i, this.line, this.offset + i);
        this.line += cap.newlines;
        cap.newlines = 0;
        if (end === -1) break;
        i = end;
        this.finishValue(cap.take(), out);
        continue;
      }
      const b = buf[i]!;
      if (isSpace(b)) {
        if (b === 0x0a) this.line++;
        i++;
        continue;
      }
      // A structural byte is consumed; the first byte of a value is left for its capture.
      if (this.structural(b, i)) i++;
    }
    this.offset += n;
    return out;
  }

  /** Call at end of input: fails unless the document was complete. */
  end(): void {
    if (this.state === State.MemberValue && this.memberCapture.started && this.memberCapture.isScalar) {
      this.finishValue(this.memberCapture.take(), []);
    }
    if (this.state === State.Start) this.fail('the upload is empty', 0);
    if (this.state !== State.End) this.fail('the document ends before the FeatureCollection is complete', 0);
  }

  private captureFor(state: State): JsonValueCapture {
    if (state === State.Key) return this.keyCapture;
    return state === State.Element ? this.capture : this.memberCapture;
  }

  private parse(bytes: Buffer, what: string): unknown {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.fail(`${what} is not valid JSON (${(err as Error).message})`, 0);
    }
  }

  private finishValue(bytes: Buffer, out: JsonFeature[]): void {
    if (this.state === State.Key) {
      this.key = String(this.parse(bytes, 'a member name'));
      this.state = State.Colon;
    } else if (this.state === State.MemberValue) {
      this.options.onMember(this.key, this.parse(bytes, `the "${this.key}" member`), this.index);
      this.state = State.CommaOrEnd;
    } else {
      out.push({ index: this.index, line: this.featureLine, bytes });
      this.index++;
      this.state = State.ElementCommaOrEnd;
    }
  }

  private structural(b: number, at: number): boolean {
    const ch = String.fromCharCode(b);
    const afterComma = this.afterComma;
    this.afterComma = false;
    switch (this.state) {
      case State.Start:
        if (this.offset + at < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) return true; // UTF-8 byte order mark
        if (b !== 0x7b) this.fail(`expected a GeoJSON FeatureCollection object, found "${ch}"`, at);
        this.state = State.KeyOrEnd;
        return true;
      case State.KeyOrEnd:
        if (b === 0x7d && !afterComma) this.state = State.End;
        else if (b === 0x22) {
          this.state = State.Key;
          return false;
        } else this.fail(`expected a member name, found "${ch}"`, at);
        return true;
      case State.Colon:
        if (b !== 0x3a) this.fail(`expected ":" after "${this.key}", found "${ch}"`, at);
        this.state = this.key === 'features' ? State.ArrayOpen : State.MemberValue;
        return true;
      case State.ArrayOpen:
        if (b !== 0x5b) this.fail(`"features" must be an array, found "${ch}"`, at);
        this.state = State.ElementOrEnd;
        return true;
      case State.ElementOrEnd:
        if (b === 0x5d && !afterComma) {
          this.state = State.CommaOrEnd;
          return true;
        }
        if (b === 0x5d || b === 0x2c) this.fail(`expected a feature after feature ${this.index}, found "${ch}"`, at);
        this.featureLine = this.line;
        this.state = State.Element;
        return false;
      case State.ElementCommaOrEnd:
        if (b === 0x2c) {
          this.state = State.ElementOrEnd;
          this.afterComma = true;
        } else if (b === 0x5d) this.state = State.CommaOrEnd;
        else this.fail(`expected "," or "]" after feature ${this.index}, found "${ch}"`, at);
        return true;
      case State.CommaOrEnd:
        if (b === 0x2c) {
          this.state = State.KeyOrEnd;
          this.afterComma = true;
        } else if (b === 0x7d) this.state = State.End;
        else this.fail(`expected "," or "}" in the FeatureCollection, found "${ch}"`, at);
        return true;
      default:
        this.fail(`unexpected "${ch}" after the end of the FeatureCollection`, at);
    }
  }
}
