import type { PropertyField } from '../layers/layer';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return DATE.test(v) ? 'date' : DATE_TIME.test(v) ? 'date-time' : 'string';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

/** Two observed types → the narrowest type that holds both (integer+number → number; else string). */
function widen(a: string, b: string): string {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('number')) return 'number';
  if (pair.has('date') && pair.has('date-time')) return 'date-time';
  if ((pair.has('date') || pair.has('date-time')) && pair.has('string')) return 'string';
  return a === 'object' || b === 'object' || a === 'array' || b === 'array' ? 'object' : 'string';
}

/** The JSON kinds a property's non-null values took: 'string', 'number', 'boolean', 'object' (arrays too). */
export type JsonKinds = ReadonlyMap<string, ReadonlySet<string>>;

const jsonKind = (v: unknown) => (typeof v === 'object' ? 'object' : typeof v);

/** A property with at most this many distinct values is a category (what a map styles by at low zoom). */
export const MAX_CATEGORIES = 256;

/** Infers each property's type over all features, in first-seen order. */
export class PropertySchemaBuilder {
  private readonly types = new Map<string, string>();
  private readonly jsonKinds = new Map<string, Set<string>>();
  /** Distinct primitive values per property, until there are more than MAX_CATEGORIES (then null). */
  private readonly values = new Map<string, Set<unknown> | null>();

  add(properties: Record<string, unknown>): void {
    for (const key in properties) {
      const value = properties[key];
      const t = typeOf(value);
      const seen = this.types.get(key);
      if (seen === undefined) this.types.set(key, t);
      else if (seen !== t) this.types.set(key, widen(seen, t));
      if (value !== null) {
        const kinds = this.jsonKinds.get(key);
        if (kinds === undefined) this.jsonKinds.set(key, new Set([jsonKind(value)]));
        else if (kinds.size === 1 && !kinds.has(jsonKind(value))) kinds.add(jsonKind(value));
        const seen = this.values.get(key);
        if (seen === undefined) this.values.set(key, new Set([value]));
        else if (seen !== null && !seen.has(value)) {
          if (seen.size >= MAX_CATEGORIES) this.values.set(key, null);
          else seen.add(value);
        }
      }
    }
  }

  /** Properties with at most MAX_CATEGORIES distinct values. */
  categories(): ReadonlySet<string> {
    return new Set([...this.values].filter(([, v]) => v !== null).map(([k]) => k));
  }

  /** Which JSON kinds each property took (a property whose values all differ in kind is "mixed" to typed columns). */
  kinds(): JsonKinds {
    return this.jsonKinds;
  }

  build(): PropertyField[] {
    return [...this.types].map(([name, type]) => ({ name, type }));
  }
}
