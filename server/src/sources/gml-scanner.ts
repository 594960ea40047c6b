import { SourceResponseError } from './remote-source';
import { parseXmlSafely, XmlSafetyError } from './xml-safety';

/** step() read a start tag: the scanner is inside that element, whose name and attributes it holds. */
export const START = 1;
/** step() read the end tag of the element it was in (a self-closing tag's end included). */
export const END = 2;
export type Step = typeof START | typeof END;

/** As parseXmlSafely's maxNestedTags: bounds the readers' recursion. */
const MAX_DEPTH = 100;

const DTD_REFUSED =
  'The service sent XML with a document type declaration (DTD); Haenau does not expand XML entities, so it does not read documents that declare them.';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; anything else (&foo;) is left as written. */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g, (m, name?: string, dec?: string, hex?: string) => {
    if (name) return PREDEFINED[name] ?? m;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
// Letters, "_", ":" and anything beyond ASCII may start an XML name.
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 128;
const NO_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [];

/** A place to come back to: just after a start tag. */
export interface ScanMark {
  pos: number;
  depth: number;
  selfClosing: boolean;
}

/**
 * A single-pass pull scanner over a service's XML text: start and end tags, the text between them,
 * nothing kept but the open element names. It never expands an entity: a DOCTYPE or entity
 * declaration anywhere is refused (XmlSafetyError), and text and attribute values decode only the
 * five predefined entities and character references. Anything malformed or cut off is handed to
 * parseXmlSafely, whose diagnosis (cut off where, which tags are open, HTML page …) is the error.
 */
export class GmlScanner {
  pos: number;
  /** Qualified and local name of the element whose start tag step() last returned. */
  name = '';
  local = '';
  private attrFrom = 0;
  private attrTo = 0;
  private attrCache: ReadonlyArray<readonly [string, string]> | undefined;
  private selfClosing = false;
  private readonly open: string[] = [];
  private depth = 0;
  // The text just before the last tag: xml[textFrom, textTo), or `slowText` when a comment, CDATA or PI split it.
  private textFrom = 0;
  private textTo = 0;
  private slowText: string | undefined;
  private checked = false;

  constructor(readonly xml: string) {
    this.pos = this.prolog();
  }

  /** Reads up to and including the next start or end tag, skipping comments and processing instructions. */
  step(): Step {
    if (this.selfClosing) {
      this.selfClosing = false;
      this.depth--;
      this.textFrom = this.textTo = this.pos;
      this.slowText = undefined;
      return END;
    }
    const xml = this.xml;
    let from = this.pos;
    let slow: string | undefined;
    let cdata = '';
    for (;;) {
      const lt = xml.indexOf('<', from);
      if (lt === -1) return this.broken();
      const c = xml.charCodeAt(lt + 1);
      if (c === 33 /* ! */ || c === 63 /* ? */) {
        // Comments and PIs drop out of the text; CDATA comes after it, as parseXmlSafely folds it.
        const [end, data] = this.markup(lt);
        slow = (slow ?? '') + xml.slice(from, lt);
        cdata += data;
        from = end;
        continue;
      }
      this.textFrom = from;
      this.textTo = lt;
      this.slowText = slow === undefined ? undefined : decodeXmlText((slow + xml.slice(from, lt)).trim()) + cdata;
      return c === 47 /* / */ ? this.endTag(lt) : this.startTag(lt);
    }
  }

  /** Consumes the rest of the element step() just entered, children and all. */
  skip(): void {
    for (let d = 1; d > 0; ) d += this.step() === START ? 1 : -1;
  }

  /** Consumes the rest of an element that should hold only text; text() is then its text, child elements left out. */
  leaf(): void {
    if (this.step() === END) return;
    // Mixed content: the trimmed pieces of text around the children, joined as the tree reader joined them.
    let text = this.text();
    for (;;) {
      this.skip();
      const next = this.step();
      text += this.text();
      if (next === END) break;
    }
    this.slowText = text;
  }

  /** The text before the last tag read, trimmed and decoded, CDATA as written; after leaf() or an END, the element's text. */
  text(): string {
    return this.slowText ?? decodeXmlText(this.xml.slice(this.textFrom, this.textTo).trim());
  }

  /** The same text undecoded as [from, to) in `xml`, or undefined when comments or CDATA split it. */
  rawText(): [number, number] | undefined {
    return this.slowText === undefined ? [this.textFrom, this.textTo] : undefined;
  }

  /** The current element's attributes as [qualified name, value]: values trimmed and decoded, xmlns declarations included. */
  attributes(): ReadonlyArray<readonly [string, string]> {
    if (this.attrCache) return this.attrCache;
    if (this.attrFrom === this.attrTo) return (this.attrCache = NO_ATTRIBUTES);
    const xml = this.xml;
    const out: Array<[string, string]> = [];
    for (let i = this.attrFrom; i < this.attrTo; ) {
      if (isSpace(xml.charCodeAt(i)) || xml.charCodeAt(i) === 47) {
        i++;
        continue;
      }
      const eq = xml.indexOf('=', i);
      const name = eq === -1 ? '' : xml.slice(i, eq).trim();
      let q = eq + 1;
      while (isSpace(xml.charCodeAt(q))) q++;
      const quote = xml[q];
      const close = quote === '"' || quote === "'" ? xml.indexOf(quote, q + 1) : -1;
      if (name === '' || /[\s<>"']/.test(name) || close === -1 || close > this.attrTo) return this.broken();
      out.push([name, decodeXmlText(xml.slice(q + 1, close).trim())]);
      i = close + 1;
    }
    return (this.attrCache = out);
  }

  /** An attribute of the current element by local name ("id" finds gml:id), namespace declarations aside. */
  attr(local: string): string | undefined {
    for (const [name, value] of this.attributes()) {
      if (name.startsWith('xmlns')) continue;
      const colon = name.indexOf(':');
      if ((colon === -1 ? name : name.slice(colon + 1)) === local) return value;
    }
    return undefined;
  }

  mark(): ScanMark {
    return { pos: this.pos, depth: this.depth, selfClosing: this.selfClosing };
  }

  /** Back to a mark taken inside an element that is still open. */
  reset(m: ScanMark): void {
    this.pos = m.pos;
    this.depth = m.depth;
    this.selfClosing = m.selfClosing;
  }

  /** After the root's end tag: only comments, processing instructions and whitespace may follow. */
  finish(): void {
    const xml = this.xml;
    for (let i = this.pos; i < xml.length; ) {
      if (isSpace(xml.charCodeAt(i))) i++;
      else if (xml.startsWith('<?', i) || xml.startsWith('<!--', i)) i = this.markup(i)[0];
      else this.broken();
    }
  }

  private startTag(lt: number): Step {
    const xml = this.xml;
    let i = lt + 1;
    if (!isNameStart(xml.charCodeAt(i))) return this.broken();
    let c = xml.charCodeAt(i);
    while (c === c && !isSpace(c) && c !== 62 && c !== 47) c = xml.charCodeAt(++i);
    const name = xml.slice(lt + 1, i);
    const attrFrom = i;
    for (;;) {
      c = xml.charCodeAt(i);
      if (c === 62 /* > */) break;
      if (c === 34 || c === 39) {
        const close = xml.indexOf(c === 34 ? '"' : "'", i + 1);
        if (close === -1) return this.broken();
        i = close + 1;
      } else if (c !== c || c === 60 /* < */) return this.broken();
      else i++;
    }
    this.selfClosing = xml.charCodeAt(i - 1) === 47;
    this.name = name;
    const colon = name.indexOf(':');
    this.local = colon === -1 ? name : name.slice(colon + 1);
    this.attrFrom = attrFrom;
    this.attrTo = this.selfClosing ? i - 1 : i;
    this.attrCache = undefined;
    this.pos = i + 1;
    if (this.depth >= MAX_DEPTH) return this.broken();
    this.open[this.depth++] = name;
    return START;
  }

  private endTag(lt: number): Step {
    const xml = this.xml;
    const name = this.open[this.depth - 1];
    if (name === undefined || !xml.startsWith(name, lt + 2)) return this.broken();
    let i = lt + 2 + name.length;
    while (isSpace(xml.charCodeAt(i))) i++;
    if (xml.charCodeAt(i) !== 62) return this.broken();
    this.pos = i + 1;
    this.depth--;
    return END;
  }

  /** A comment, CDATA section or processing instruction at `lt`: where it ends, and the CDATA text it holds. */
  private markup(lt: number): [number, string] {
    const xml = this.xml;
    const close = xml.startsWith('<!--', lt) ? '-->' : xml.startsWith('<![CDATA[', lt) ? ']]>' : xml.startsWith('<?', lt) ? '?>' : undefined;
    if (close === undefined) {
      // Declarations inside the document are refused too: no entity is ever defined, so none is expanded.
      if (/^<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i.test(xml.slice(lt, lt + 12))) throw new XmlSafetyError(DTD_REFUSED);
      return this.broken();
    }
    const end = xml.indexOf(close, lt + 2);
    if (end === -1) return this.broken();
    return [end + close.length, close === ']]>' ? xml.slice(lt + 9, end) : ''];
  }

  /** Skips the XML declaration, comments and PIs before the root; refuses a DOCTYPE there. */
  private prolog(): number {
    const xml = this.xml;
    let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (;;) {
      while (isSpace(xml.charCodeAt(i))) i++;
      if (xml.startsWith('<?', i) || xml.startsWith('<!--', i)) i = this.markup(i)[0];
      else if (xml.startsWith('<!', i)) {
        // As parseXmlSafely: an HTML doctype is an error page; any other declaration is refused unread.
        if (/^<!DOCTYPE\s+html\b[^[<>]*>/i.test(xml.slice(i, i + 300))) return this.broken();
        throw new XmlSafetyError(DTD_REFUSED);
      } else if (xml.charCodeAt(i) === 60 && isNameStart(xml.charCodeAt(i + 1)) && !/^<html[\s>]/i.test(xml.slice(i, i + 6))) return i;
      else return this.broken();
    }
  }

  /**
   * Malformed, cut off, HTML or not XML at all: parseXmlSafely says which, in the words Haenau uses for
   * every XML it reads. Only an error path runs it, so its cost does not matter.
   */
  private broken(): never {
    const at = this.xml.slice(0, this.pos).split('\n').length;
    this.assertWellFormed();
    throw new SourceResponseError(`The service sent XML Haenau could not read, near line ${at}.`);
  }

  /**
   * Throws parseXmlSafely's diagnosis when the document is malformed anywhere. A tree reader checked the
   * whole document before reading any of it; a reader that stopped early on something else calls this so
   * that a malformed or cut-off document is still reported as such.
   */
  assertWellFormed(): void {
    if (this.checked) return;
    this.checked = true;
    parseXmlSafely(this.xml);
  }
}
