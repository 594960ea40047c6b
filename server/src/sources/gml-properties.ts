import { END, type GmlScanner, START, type Step } from './gml-scanner';

// Plain decimals become numbers when a double holds them exactly enough ("42", "-3.5", "0.000",
// "3020.0000000000000000"); codes keep their text: "01", "+44", "1e3", ids beyond 2^53, >15 significant digits.
const PLAIN_DECIMAL = /^-?(0|[1-9]\d*)(?:\.(\d+))?$/;

export function scalar(text: string): string | number | null {
  if (text === '') return null;
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return text;
  const digits = `${m[1]}${(m[2] ?? '').replace(/0+$/, '')}`.replace(/^0+/, '');
  const n = Number(text);
  return digits.length <= 15 ? (Object.is(n, -0) ? 0 : n) : text;
}

/** What a property element's start tag says about its value, read before its content is. */
export interface PropertyTag {
  hasAttributes: boolean;
  nil: boolean;
  href: string | undefined;
}

export function propertyTag(s: GmlScanner): PropertyTag {
  if (s.attributes().length === 0) return { hasAttributes: false, nil: false, href: undefined };
  const nil = s.attr('nil');
  return { hasAttributes: true, nil: nil === 'true' || nil === '1', href: s.attr('href') };
}

/** Adds a value under its element's name: a name that repeats collects an array. */
export function addValue(into: Map<string, unknown[]>, qName: string, value: unknown): void {
  const values = into.get(qName);
  if (values) values.push(value);
  else into.set(qName, [value]);
}

const local = (qName: string) => qName.slice(qName.indexOf(':') + 1);

/** Values by local name, one value or an array of the repeats; a later name with the same local name overwrites in place. */
export function valuesObject(values: Map<string, unknown[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [qName, vs] of values) {
    const key = local(qName);
    const value = vs.length === 1 ? vs[0] : vs;
    // Defined, not assigned: an element called __proto__ must not reach the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/**
 * A property element's value once `first` = s.step() has been read inside it: text → scalar, empty or
 * xsi:nil → null, by-reference (xlink:href, no text) → its href, child elements → an object by local name.
 * Consumes the element.
 */
export function propertyContent(s: GmlScanner, tag: PropertyTag, first: Step): unknown {
  if (first === END) {
    if (tag.nil) return null;
    const text = s.text();
    return !tag.hasAttributes || text !== '' ? scalar(text) : (tag.href ?? null);
  }
  const children = new Map<string, unknown[]>();
  do {
    const qName = s.name;
    addValue(children, qName, propertyValue(s));
  } while (s.step() === START);
  return tag.nil ? null : valuesObject(children);
}

/** The value of the property element step() just entered; consumes it. */
export function propertyValue(s: GmlScanner): unknown {
  const tag = propertyTag(s);
  return propertyContent(s, tag, s.step());
}
