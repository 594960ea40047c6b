import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import type { Geometry } from 'geojson';
import { type CsvError, parse } from 'csv-parse';
import { WktReader } from '../../filter/wkt';
import type { RawFeature } from '../feature-collection-splitter';
import { UploadUnreadableError } from '../feature-checker';
import { COLUMNS_LOOKED_FOR, COORDINATE, ColumnTypes, type CsvGeometry, findGeometryColumns, propertyNames } from './csv-columns';
import type { FormatReaderOptions } from './format-options';
import { Batcher, rawFeature, rejectedFeature } from './raw-features';
import type { SpooledRead } from './spooled-reader';

/** Text in the declared charset; bytes that are not are an error, never replacement characters. */
async function* decoded(file: string, charset: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(charset, { fatal: true });
  try {
    for await (const chunk of createReadStream(file)) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  } catch (err) {
    if (err instanceof TypeError) throw new UploadUnreadableError(`The CSV is not valid ${charset} text; save it as UTF-8, or declare its charset in the Content-Type.`);
    throw err;
  }
}

/** The delimiter the header line uses most: comma, semicolon or tab. */
async function sniffDelimiter(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const firstLine = head.subarray(0, bytesRead).toString('latin1').split(/\r?\n/)[0]!.replace(/"[^"]*"/g, '');
    const count = (d: string) => firstLine.split(d).length - 1;
    return [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best));
  } finally {
    await handle.close();
  }
}

const lineBreaks = (record: string[]) => record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

/**
 * Each record with the line it starts on. csv-parse's own count is where a record ends and counts
 * a CRLF inside quotes as two lines, so lines are counted here from the line breaks in the values.
 */
async function* records(file: string, charset: string, delimiter: string): AsyncGenerator<{ record: string[]; line: number }> {
  const parser = parse({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  const rows = pipeline(Readable.from(decoded(file, charset), { objectMode: false }), parser, () => {}) as AsyncIterable<{
    record: string[];
    info: { empty_lines: number };
  }>;
  let next = 1;
  let emptySoFar = 0;
  try {
    for await (const { record, info } of rows) {
      const line = next + (info.empty_lines - emptySoFar);
      yield { record, line };
      next = line + 1 + lineBreaks(record);
      emptySoFar = info.empty_lines;
    }
  } catch (err) {
    if ((err as CsvError).code?.startsWith('CSV_')) {
      throw new UploadUnreadableError(`The CSV cannot be read after line ${next - 1}: ${(err as Error).message}`);
    }
    throw err;
  }
}

type Located = { geometry: Geometry | null; problem?: { severity: 'error' | 'warning'; code: string; message: string } };

/** The row's geometry, or why it has none. */
function locate(record: string[], g: CsvGeometry, names: string[]): Located {
  const cell = (i: number) => (record[i] ?? '').trim();
  if (g.kind === 'point') {
    const [x, y] = [cell(g.x), cell(g.y)];
    if (x === '' && y === '') return { geometry: null, problem: { severity: 'warning', code: 'no-coordinates', message: `Its ${g.names} are empty; it was loaded without a location.` } };
    for (const [value, i] of [[x, g.x], [y, g.y]] as const) {
      if (!COORDINATE.test(value)) return { geometry: null, problem: { severity: 'error', code: 'bad-coordinates', message: `Its ${names[i]} ${JSON.stringify(value)} is not a number.` } };
    }
    return { geometry: { type: 'Point', coordinates: [Number(x), Number(y)] } };
  }
  const [, srid, text = ''] = /^(?:SRID=(\d+);)?\s*([\s\S]*)$/i.exec(cell(g.column))!;
  if ((srid === undefined ? undefined : Number(srid)) !== g.srid) {
    return { geometry: null, problem: { severity: 'error', code: 'mixed-srid', message: `Its ${names[g.column]} says SRID=${srid ?? '(none)'}, but the first row's said ${g.srid ?? '(none)'}.` } };
  }
  if (text === '') return { geometry: null, problem: { severity: 'warning', code: 'no-coordinates', message: `Its ${names[g.column]} is empty; it was loaded without a location.` } };
  try {
    const { geometry, end } = WktReader.read(text);
    if (text.slice(end).trim() !== '') throw new Error(`unexpected text after the geometry at character ${end + 1}`);
    return { geometry };
  } catch (err) {
    return { geometry: null, problem: { severity: 'error', code: 'bad-wkt', message: `Its ${names[g.column]} is not WKT we can read: ${(err as Error).message}.` } };
  }
}

interface CsvProfile {
  header: string[];
  geometry: CsvGeometry;
  types: ColumnTypes;
}

/** First pass: the header, where the geometry comes from, which columns are wholly numeric. */
async function profile(file: string, charset: string, delimiter: string): Promise<CsvProfile> {
  let p: CsvProfile | undefined;
  let firstWkt: string | undefined;
  for await (const { record } of records(file, charset, delimiter)) {
    if (!p) {
      const geometry = findGeometryColumns(record);
      if (!geometry) {
        throw new UploadUnreadableError(`The CSV has no coordinate columns: we look for ${COLUMNS_LOOKED_FOR}. Its columns are ${record.slice(0, 30).map((h) => `"${h}"`).join(', ')}.`);
      }
      p = { header: record, geometry, types: new ColumnTypes(record.length) };
      continue;
    }
    p.types.add(record);
    if (p.geometry.kind === 'wkt' && firstWkt === undefined && (record[p.geometry.column] ?? '').trim() !== '') firstWkt = record[p.geometry.column];
  }
  if (!p) throw new UploadUnreadableError('The CSV is empty; it needs a header row naming its columns, then one row per feature.');
  // An EWKT "SRID=n;" prefix on the first located row declares the CRS of every row.
  if (p.geometry.kind === 'wkt') p.geometry.srid = Number(/^\s*SRID=(\d+);/i.exec(firstWkt ?? '')?.[1]) || undefined;
  return p;
}

/** One data row as a feature for the checker (or as the reason it cannot be one). */
function rowFeature(record: string[], index: number, line: number, p: CsvProfile, names: string[], o: FormatReaderOptions, delimiter: string): RawFeature {
  const { header, geometry: g, types } = p;
  if (record.length > header.length) {
    return rejectedFeature(index, line, 'bad-row', `It has ${record.length} fields where the header has ${header.length}; does a value hold a "${delimiter === '\t' ? 'tab' : delimiter}" without quotes?`);
  }
  const { geometry, problem } = locate(record, g, names);
  if (problem?.severity === 'error') return rejectedFeature(index, line, problem.code, problem.message);
  const properties: Record<string, unknown> = {};
  names.forEach((name, i) => {
    if (g.kind === 'wkt' && i === g.column) return;
    const value = record[i] ?? '';
    properties[name] = value.trim() === '' ? null : types.isNumeric(i) ? Number(value) : value;
  });
  const raw = rawFeature({ type: 'Feature', properties, geometry }, index, line, o.maxFeatureBytes);
  if (problem) raw.readerProblem ??= problem;
  return raw;
}

/**
 * CSV with coordinate columns, streamed with csv-parse twice from the spooled file: once to learn
 * which columns are wholly numeric (they become numbers; everything else stays text, empty cells
 * null), once to build the features. A row whose coordinates cannot be read is an error at its line.
 */
export function readCsv(o: FormatReaderOptions): SpooledRead {
  return async function* (file, _dir, checker) {
    const delimiter = await sniffDelimiter(file);
    const p = await profile(file, o.charset, delimiter);
    const g = p.geometry;
    if (g.srid !== undefined) await o.declareCrs(checker, g.srid, g.kind === 'point' ? `the ${g.names} columns` : `the SRID in the "${p.header[g.column]}" column`);
    const names = propertyNames(p.header);
    const batcher = new Batcher();
    let index = 0;
    let atHeader = true;
    for await (const { record, line } of records(file, o.charset, delimiter)) {
      if (atHeader) {
        atHeader = false;
        continue;
      }
      const full = batcher.add(rowFeature(record, index++, line, p, names, o, delimiter));
      if (full) yield full;
    }
    yield batcher.rest();
  };
}
