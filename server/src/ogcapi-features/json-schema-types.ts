/** A property's inferred type as JSON Schema, for queryables and the OpenAPI parameters alike. */
export const JSON_SCHEMA_TYPE: Record<string, object> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  'date-time': { type: 'string', format: 'date-time' },
};
