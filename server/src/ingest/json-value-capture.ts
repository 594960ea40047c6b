const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Captures the bytes of one JSON value (object, array, string or scalar) that may span many chunks,
 * tracking only nesting and strings; JSON.parse checks the rest. Each chunk is scanned once.
 */
export class JsonValueCapture {
  private parts: Buffer[] = [];
  private size = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  /** Newlines seen inside the value, for the caller's line count. */
  newlines = 0;

  constructor(private readonly maxBytes: number, private readonly what: () => string) {}

  /** Scans buf from start; returns the index just past the value's end, or -1 when it needs more input. */
  feed(buf: Buffer, start: number, line: number, offset: number): number {
    let i = start;
    const n = buf.length;
    if (this.size === 0 && this.parts.length === 0 && this.depth === 0 && !this.inString && !this.scalar) {
      const b = buf[i]!;
      if (b === QUOTE) {
        this.inString = true;
        i++;
      } else if (b !== 0x7b && b !== 0x5b) {
        this.scalar = true;
      }
    }
    let end = -1;
    if (this.scalar) {
      for (; i < n; i++) {
        const b = buf[i]!;
        // A scalar (number, true, false, null) ends at the next delimiter or white space.
        if (b === 0x2c || b === 0x7d || b === 0x5d || b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09) {
          end = i;
          break;
        }
      }
    } else {
      let depth = this.depth;
      let inString = this.inString;
      let escaped = this.escaped;
      let newlines = 0;
      for (; i < n; i++) {
        const b = buf[i]!;
        if (b === NEWLINE) newlines++;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (depth === 0) {
              end = i + 1;
              break;
            }
          }
        } else if (b === QUOTE) inString = true;
        else if (b === 0x7b || b === 0x5b) depth++;
        else if (b === 0x7d || b === 0x5d) {
          depth--;
          if (depth === 0) {
            end = i + 1;
            break;
          }
          if (depth < 0) throw new JsonSyntaxError(`unexpected "${String.fromCharCode(b)}"`, line + newlines, offset + i - start);
        }
      }
      this.depth = depth;
      this.inString = inString;
      this.escaped = escaped;
      this.newlines += newlines;
    }
    const stop = end === -1 ? n : end;
    this.size += stop - start;
    if (this.size > this.maxBytes) {
      throw new JsonSyntaxError(`${this.what()} is larger than the limit of ${this.maxBytes} bytes`, line, offset);
    }
    this.parts.push(buf.subarray(start, stop));
    return end;
  }

  /** The captured value's bytes; a scalar at end of input is complete too. */
  take(): Buffer {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = false;
    this.newlines = 0;
    return bytes;
  }

  get started(): boolean {
    return this.parts.length > 0;
  }

  get isScalar(): boolean {
    return this.scalar;
  }
}
