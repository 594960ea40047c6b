/**
 * A parsed XML element as parseXmlSafely returns it: child elements keyed by (qualified) name, an array when
 * the name repeats; attributes as '@name'; text as '#text'. An element with neither is its text, a string.
 */
export type XmlNode = Record<string, unknown>;

export const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);

export const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** "gml:Point" → "Point". */
export function localName(qName: string): string {
  const i = qName.indexOf(':');
  return i === -1 ? qName : qName.slice(i + 1);
}

/** "gml:Point" → "gml"; "Point" → "". */
export function prefixOf(qName: string): string {
  const i = qName.indexOf(':');
  return i === -1 ? '' : qName.slice(0, i);
}

const isElementKey = (k: string) => !k.startsWith('@') && !k.startsWith('#');

/** Every child element as [qualified name, value], repeated names flattened (same-name order is kept; order across names is not). */
export function childElements(node: unknown): Array<[string, unknown]> {
  if (!isNode(node)) return [];
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(node)) if (isElementKey(k)) for (const item of list(v)) out.push([k, item]);
  return out;
}

/** Child elements grouped by name as the parser gave them: [qualified name, value or array of values]. */
export function childEntries(node: unknown): Array<[string, unknown]> {
  return isNode(node) ? Object.entries(node).filter(([k]) => isElementKey(k)) : [];
}

/** The values of the child elements whose local name is `name`, whatever their prefix. */
export function childrenNamed(node: unknown, name: string): unknown[] {
  return childElements(node)
    .filter(([k]) => localName(k) === name)
    .map(([, v]) => v);
}

export const firstChild = (node: unknown, name: string): unknown => childrenNamed(node, name)[0];

/** An attribute by local name ("id" finds gml:id), ignoring namespace declarations. */
export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@') && !k.startsWith('@xmlns') && localName(k.slice(1)) === name) return String(v);
  }
  return undefined;
}

/** An element's text: the string itself, or its '#text'. */
export function textOf(v: unknown): string {
  if (isNode(v)) return v['#text'] === undefined ? '' : String(v['#text']);
  return v === undefined || v === null ? '' : String(v);
}

/** Namespace prefixes in scope → their URIs. */
export type NamespaceScope = ReadonlyMap<string, string>;

/** The scope inside `node`: the parent's plus the node's own xmlns:prefix declarations. */
export function enterScope(node: unknown, parent: NamespaceScope): NamespaceScope {
  if (!isNode(node)) return parent;
  let scope: Map<string, string> | undefined;
  for (const [k, v] of Object.entries(node)) {
    if (k === '@xmlns' || k.startsWith('@xmlns:')) {
      scope ??= new Map(parent);
      scope.set(k === '@xmlns' ? '' : k.slice(7), String(v));
    }
  }
  return scope ?? parent;
}
