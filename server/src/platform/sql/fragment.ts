/** A piece of SQL with its values kept apart as bindings (knex `?` placeholders). */
export interface SqlFragment {
  sql: string;
  bindings: unknown[];
}

export const sql = (text: string, ...bindings: unknown[]): SqlFragment => ({ sql: text, bindings });

/** Joins fragments with a separator, e.g. ' AND '; an empty list gives an empty fragment. */
export function joinSql(parts: SqlFragment[], separator: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(separator), bindings: parts.flatMap((p) => p.bindings) };
}
