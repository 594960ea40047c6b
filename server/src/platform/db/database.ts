import type { Knex } from 'knex';

/** What the connected PostGIS can do, detected once at start-up. */
export interface Capabilities {
  postgisVersion: string;
  /** ST_AsMVT/ST_AsMVTGeom exist (PostGIS built with protobuf); PGlite's build has none. */
  mvt: boolean;
  /** ST_MakeValid(geom, 'method=structure') exists (GEOS ≥ 3.10), which keeps polygons polygonal. */
  makeValidStructure: boolean;
}

/** A bulk load of COPY text-format rows into one table; write() resolves when it may be called again. */
export interface CopyWriter {
  write(rows: string): Promise<void>;
  end(): Promise<void>;
  abort(reason: Error): Promise<void>;
}

/** The database Haenau runs on: embedded PGlite or a PostgreSQL server, behind the same knex. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly knex: Knex;
  readonly capabilities: Capabilities;
  /**
   * A read on the request path: rows of `sql` (knex `?` bindings). When `signal` aborts — the client
   * went away — a PostgreSQL server cancels the running statement; PGlite runs to the end.
   * `statementName` makes it a named prepared statement on a PostgreSQL server (same name, same
   * SQL, always): parsed once per connection, and planned once when a generic plan does as well.
   */
  read<T>(sql: string, bindings: readonly unknown[], signal?: AbortSignal, statementName?: string): Promise<T[]>;
  /** COPY … FROM STDIN (text format) into `table` (already quoted) with the given quoted columns. */
  copyInto(table: string, columns: string[]): CopyWriter;
  close(): Promise<void>;
}

/** `?` placeholders → `$1…$n`, leaving quoted literals and identifiers alone. */
export function toNumberedParams(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

/** Rows of a raw query, on both drivers. */
export async function queryRows<T>(knex: Knex | Knex.Transaction, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  const result = await knex.raw(sql, bindings as Knex.RawBinding[]);
  return (result as { rows: T[] }).rows;
}

export async function detectCapabilities(knex: Knex): Promise<Capabilities> {
  const [row] = await queryRows<{ version: string }>(knex, 'SELECT postgis_lib_version() AS version');
  const works = async (sql: string) =>
    knex.raw(sql).then(
      () => true,
      () => false,
    );
  return {
    postgisVersion: row?.version ?? 'unknown',
    mvt: await works(
      "SELECT ST_AsMVT(q) FROM (SELECT 1 AS a, ST_AsMVTGeom('POINT(1 1)'::geometry, ST_MakeEnvelope(0, 0, 10, 10)) AS geom) q",
    ),
    makeValidStructure: await works("SELECT ST_MakeValid('POLYGON((0 0,1 1,1 0,0 1,0 0))'::geometry, 'method=structure')"),
  };
}
