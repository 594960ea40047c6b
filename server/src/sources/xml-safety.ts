import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { SourceResponseError } from './remote-source';
import { attr, childrenNamed, isNode, list, localName, textOf, type XmlNode } from './xml-node';

/** The service sent XML we refuse to read because reading it could expand entities or touch files. */
export class XmlSafetyError extends SourceResponseError {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSafetyError';
  }
}

/** The service answered with an OWS ExceptionReport or an OGC ServiceExceptionReport. */
export class ServiceExceptionError extends SourceResponseError {
  constructor(
    message: string,
    /** exceptionCode / code of the first exception, e.g. "InvalidParameterValue". */
    readonly code: string | undefined,
    /** What the exception names as wrong, e.g. "typename". */
    readonly locator: string | undefined,
  ) {
    super(message);
    this.name = 'ServiceExceptionError';
  }
}

export interface ParseXmlOptions {
  /** Keep "gml:" etc. on element and attribute names (and xmlns declarations) instead of removing them. Default false. */
  keepPrefixes?: boolean;
  /** Names that are always arrays, as fast-xml-parser's isArray. */
  isArray?: X2jOptions['isArray'];
}

const DTD_REFUSED =
  'The service sent XML with a document type declaration (DTD); Haenau does not expand XML entities, so it does not read documents that declare them.';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; anything else (&foo;) is left as written. */
function decodeReferences(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g, (m, name?: string, dec?: string, hex?: string) => {
    if (name) return PREDEFINED[name] ?? m;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

const excerpt = (s: string) => JSON.stringify(s.replace(/\s+/g, ' ').trim().slice(0, 80));

function refuseHtml(xml: string): never {
  const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(xml.slice(0, 65_536))?.[1]?.trim();
  throw new SourceResponseError(`The service sent an HTML page${title ? ` (${JSON.stringify(title)})` : ''} where XML was expected.`);
}

/**
 * Walks the prolog (XML declaration, comments, processing instructions) up to the root element and refuses
 * any DOCTYPE there, so no entity declaration ever reaches the parser. Returns where the root starts.
 */
function checkProlog(xml: string): number {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i] ?? '')) i++;
    if (i >= xml.length) throw new SourceResponseError('The service sent an empty response where XML was expected.');
    const skip = xml.startsWith('<?', i) ? '?>' : xml.startsWith('<!--', i) ? '-->' : undefined;
    if (skip) {
      const end = xml.indexOf(skip, i + 2);
      if (end === -1) throw new SourceResponseError('The service sent XML that ends inside its prolog.');
      i = end + skip.length;
      continue;
    }
    if (xml.startsWith('<!', i)) {
      if (/^<!DOCTYPE\s+html\b[^[<>]*>/i.test(xml.slice(i, i + 300))) refuseHtml(xml);
      throw new XmlSafetyError(DTD_REFUSED);
    }
    if (xml[i] !== '<') throw new SourceResponseError(`The service did not send XML; its response begins ${excerpt(xml.slice(i, i + 200))}.`);
    if (/^<html[\s>]/i.test(xml.slice(i, i + 6))) refuseHtml(xml);
    return i;
  }
}

/** fast-xml-parser's validator, with its messages turned into what a publisher can act on. */
function checkWellFormed(xml: string): void {
  const result = XMLValidator.validate(xml);
  if (result === true) return;
  const { msg, line, col } = result.err;
  const unclosed = /^Unclosed tag|^Invalid '\[/.test(msg);
  // A document cut off mid-transfer either leaves elements open or stops inside a tag or text.
  if (unclosed || !xml.trimEnd().endsWith('>')) {
    const open = unclosed ? [...msg.matchAll(/"([^"]+)"|^Unclosed tag '([^']+)'/g)].map((m) => m[1] ?? m[2]) : [];
    const which = open.length > 0 ? ` before <${open.join('>, <')}> ${open.length > 1 ? 'are' : 'is'} closed` : ` at line ${line}`;
    throw new SourceResponseError(`The service's XML ends${which}; the response looks cut off (${msg}).`);
  }
  throw new SourceResponseError(`The service sent malformed XML at line ${line}, column ${col}: ${msg}`);
}

/** Folds CDATA sections (kept raw under '#cdata' so no reference in them is decoded) back into text. */
function foldCdata(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(foldCdata);
  if (!isNode(v)) return v;
  for (const [k, child] of Object.entries(v)) if (k !== '#cdata') v[k] = foldCdata(child);
  if (!('#cdata' in v)) return v;
  const text = `${v['#text'] ?? ''}${list(v['#cdata']).join('')}`;
  delete v['#cdata'];
  return Object.keys(v).every((k) => k === '#text') ? text : Object.assign(v, { '#text': text });
}

/**
 * Parses a service's XML without ever expanding entities: a DOCTYPE in the prolog is refused before parsing
 * (billion laughs, external entities), the parser's entity processing is off, and only the five predefined
 * entities and character references are decoded. Malformed, truncated, HTML or non-XML input throws a
 * SourceResponseError saying which. Attributes are '@name', text '#text', values stay strings.
 */
export function parseXmlSafely(xml: string, options: ParseXmlOptions = {}): unknown {
  const body = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  checkProlog(body);
  checkWellFormed(body);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: !options.keepPrefixes,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: '#cdata',
    maxNestedTags: 100,
    tagValueProcessor: (_name, value) => decodeReferences(value),
    attributeValueProcessor: (_name, value) => decodeReferences(value),
    ...(options.isArray ? { isArray: options.isArray } : {}),
  });
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch (err) {
    throw new SourceResponseError(`The service sent XML Haenau could not read: ${(err as Error).message}`);
  }
  return body.includes('<![CDATA[') ? foldCdata(doc) : doc;
}

/** The document's root element as [qualified name, node]. */
export function rootElement(doc: unknown): [string, XmlNode] {
  const entry = isNode(doc) ? Object.entries(doc).find(([k]) => !k.startsWith('@') && !k.startsWith('#')) : undefined;
  if (!entry) throw new SourceResponseError('The service sent XML without a root element.');
  const [name, node] = entry;
  return [name, isNode(node) ? node : { '#text': textOf(node) }];
}

/**
 * Throws a ServiceExceptionError quoting the server's own words when the root is an OWS ExceptionReport
 * (WFS 1.1/2.0) or an OGC ServiceExceptionReport (WFS 1.0). Works with prefixes kept or removed.
 */
export function throwIfExceptionReport(doc: unknown, service = 'The WFS'): void {
  const [name, root] = rootElement(doc);
  const kind = localName(name);
  if (kind !== 'ExceptionReport' && kind !== 'ServiceExceptionReport') return;
  const exceptions = childrenNamed(root, kind === 'ExceptionReport' ? 'Exception' : 'ServiceException');
  const texts = exceptions.flatMap((e) => (kind === 'ExceptionReport' ? childrenNamed(e, 'ExceptionText').map(textOf) : [textOf(e)]));
  const words = texts.map((t) => t.trim()).filter((t) => t !== '');
  const first = exceptions[0];
  const code = attr(first, 'exceptionCode') ?? attr(first, 'code');
  const locator = attr(first, 'locator');
  const said = words.length > 0 ? words.map((t) => JSON.stringify(t.slice(0, 500))).join('; ') : 'no explanation';
  const detail = [code, locator && `locator ${locator}`].filter(Boolean).join(', ');
  throw new ServiceExceptionError(`${service} answered with an exception: ${said}${detail ? ` (${detail})` : ''}.`, code, locator);
}
