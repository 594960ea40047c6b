import type { Geometry } from 'geojson';
import GJV from 'geojson-validation';
import type { InvalidPolicy } from '../layers/layer';
import { toHexEwkb } from './ewkb';
import type { RawFeature } from './feature-collection-splitter';
import { firstPosition, inspectGeometry } from './inspect-geometry';
import { type CrsSource, CrsDecision } from './crs-decision';
import { PropertySchemaBuilder } from './property-schema';
import { isWellFormedGeometry } from './well-formed-geometry';
import { coordinateRange, crsFromMember, crsLabel } from './source-crs';
import type { Problem, ReportBuilder } from './validation-report';


export interface CheckerOptions {
  /** SRID from the upload's crs parameter, which overrides everything else. */
  crsParam?: number;
  policy: InvalidPolicy;
  maxVertices: number;
  /** Text encoding of the upload (from Content-Type charset); UTF-8 unless declared. */
  charset: string;
  report: ReportBuilder;
  /** A harvest takes a service's ids as they come: a repeated id is dropped (and counted) instead of refusing the data. */
  dropRepeatedIds?: boolean;
}

/** Thrown when the upload as a whole cannot be read (not one feature's problem). */
export class UploadUnreadableError extends Error {}

const escapeCopyText = (s: string) => s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));

/**
 * A copy of a string that does not keep alive the text it was cut from: V8 holds a slice's whole
 * parent, so a harvest's set of GML ids kept every 6 MB page it had read (90 MB by mid-harvest).
 */
const detached = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** PostgreSQL text and jsonb cannot hold U+0000; it is removed and reported. */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', ''), withoutNul(v)])) as T;
  }
  return value;
}

/**
 * Checks each uploaded feature as it streams past and turns the good ones into COPY rows
 * (fid, feature_id, properties, geom as hex EWKB in the source CRS). Problems go to the report.
 */
export class FeatureChecker {
  private readonly crs: CrsDecision;
  private readonly seenIds: Set<string> | undefined;
  private repeatedIds = 0;
  readonly schema = new PropertySchemaBuilder();
  readonly antimeridianFids: number[] = [];
  /** Geometry types and bounds of the loaded features, so PostGIS need not rescan a layer nothing changed. */
  readonly geometryTypes = new Set<Geometry['type']>();
  readonly extent = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  hasIds = false;
  /** Some loaded line has a single distinct point: only then can PostGIS find a line invalid. */
  hasCollapsedLines = false;
  loaded = 0;
  private readonly decoder: TextDecoder;

  constructor(private readonly o: CheckerOptions) {
    this.crs = new CrsDecision(o.crsParam, (code, message) => this.warn(code, message));
    this.decoder = new TextDecoder(o.charset, { fatal: true });
    this.seenIds = o.dropRepeatedIds ? new Set() : undefined;
  }

  /** The source CRS, once settled (at the first located feature, or by the crs parameter). */
  get srid(): number | undefined {
    return this.crs.srid;
  }

  get crsSource(): CrsSource | undefined {
    return this.crs.source;
  }

  /** Every loaded id differs from every other: repeats were dropped as they came. */
  get idsUnique(): boolean {
    return this.seenIds !== undefined;
  }

  /** Features whose id an earlier feature had (counted where repeats are dropped). */
  get repeatedIdCount(): number {
    return this.repeatedIds;
  }

  /** Rows are worth loading only while nothing has made the upload unpublishable. */
  get publishable(): boolean {
    return this.o.report.errorCount === 0;
  }

  /** Top-level members of a FeatureCollection: only the legacy `crs` and `type` matter here. */
  onMember(name: string, value: unknown, seenFeatures: number): void {
    if (name === 'type' && value !== 'FeatureCollection') {
      throw new UploadUnreadableError(
        `The document's type is ${JSON.stringify(value)}; upload a FeatureCollection, or send features one per line as newline-delimited GeoJSON.`,
      );
    }
    if (name !== 'crs') return;
    const srid = crsFromMember(value);
    if (srid === 'unreadable') throw new UploadUnreadableError(`The "crs" member ${JSON.stringify(value)} does not name a CRS we can read; send the crs parameter instead.`);
    if (srid !== undefined) this.crs.member(srid, seenFeatures);
  }

  /** The CRS a file of another format declares (.prj, GeoPackage SRS, KML): read as a leading crs member would be. */
  declareFileCrs(srid: number, where: string): void {
    this.crs.file(srid, where);
  }

  /** A note about the upload as a whole from a reader of another format (e.g. KML network links not followed). */
  warnAboutFile(code: string, message: string): void {
    this.warn(code, message);
  }

  /** Call after the last feature: fails when a trailing crs member contradicts how the features were read. */
  finish(): void {
    if (this.repeatedIds > 0) {
      const n = this.repeatedIds;
      this.warn('repeated-ids-dropped', `${n} feature${n === 1 ? '' : 's'} had the same id as an earlier one; ${n === 1 ? 'it was' : 'they were'} loaded without an id.`);
    }
    const conflict = this.crs.lateConflict();
    if (conflict) throw new UploadUnreadableError(conflict);
  }

  private warn(code: string, message: string): void {
    this.o.report.add({ severity: 'warning', code, message });
  }

  private current: RawFeature | undefined;
  private currentId: string | number | undefined;
  /** A vertex of the feature being checked, in the source CRS, so its problems can be shown on a map. */
  private currentAt: [number, number] | undefined;

  /** Records a problem of the feature being checked (an arrow property: one closure, not one per feature). */
  private readonly problem = (severity: Problem['severity'], code: string, message: string, id?: string | number) => {
    const raw = this.current!;
    const featureId = id ?? this.currentId;
    this.o.report.add({
      index: raw.index,
      ...(raw.line !== undefined ? { line: raw.line } : {}),
      ...(featureId !== undefined ? { id: featureId } : {}),
      ...(this.currentAt ? { at: this.currentAt } : {}),
      severity,
      code,
      message,
    });
  };

  /** The COPY row for this feature, or null when it has an error that stops it being loaded. */
  check(raw: RawFeature): string | null {
    this.current = raw;
    this.currentId = undefined;
    this.currentAt = undefined;
    const problem = this.problem;
    if (raw.readerProblem) {
      problem(raw.readerProblem.severity, raw.readerProblem.code, raw.readerProblem.message);
      if (raw.readerProblem.severity === 'error') return null;
    }
    const f = raw.bytes ? this.parse(raw.bytes) : (raw.parsed as Record<string, unknown>);
    if (f === undefined) return null;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) {
      problem('error', 'not-a-feature', 'Each item must be a GeoJSON Feature object.');
      return null;
    }
    const rawId = f.id;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined;
    if (f.type !== 'Feature') {
      problem('error', 'not-a-feature', `Its type is ${JSON.stringify(f.type)}; expected "Feature".`, id);
      return null;
    }
    if (rawId !== undefined && rawId !== null && id === undefined) {
      problem('error', 'bad-id', `Its id must be a string or a number, not ${JSON.stringify(rawId)}.`);
      return null;
    }
    let properties = f.properties;
    if (!('properties' in f)) problem('warning', 'no-properties', 'It has no "properties" member; it was loaded with none.', id);
    if (properties === undefined || properties === null) properties = {};
    if (typeof properties !== 'object' || Array.isArray(properties)) {
      problem('error', 'properties-not-object', `Its properties must be a JSON object, not ${Array.isArray(properties) ? 'an array' : typeof properties}.`, id);
      return null;
    }
    if (!('geometry' in f)) {
      problem('error', 'no-geometry', 'It has no "geometry" member; use "geometry": null for a feature without a location.', id);
      return null;
    }
    const geom = this.checkGeometry(f.geometry as Geometry | null, id, raw.index + 1);
    if (geom === false) return null;

    let json = JSON.stringify(properties);
    let featureId = id === undefined ? undefined : String(id);
    if (json.includes('\\u0000') || featureId?.includes('\u0000')) {
      properties = withoutNul(properties);
      json = JSON.stringify(properties);
      featureId = featureId?.replaceAll('\u0000', '');
      problem('repaired', 'nul-character', 'It held U+0000 (NUL) characters, which were removed.', id);
    }
    if (featureId !== undefined && this.seenIds) {
      if (this.seenIds.has(featureId)) {
        this.repeatedIds++;
        featureId = undefined;
      } else this.seenIds.add(detached(featureId));
    }
    this.schema.add(properties as Record<string, unknown>);
    this.loaded++;
    if (featureId !== undefined) this.hasIds = true;
    const fid = raw.index + 1;
    // COPY text format: backslashes double; JSON.stringify already escaped every control character.
    const copyJson = json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
    return `${fid}\t${featureId === undefined ? '\\N' : escapeCopyText(featureId)}\t${copyJson}\t${geom ?? '\\N'}\n`;
  }

  /** The feature's JSON bytes as a value, or undefined (with the problem recorded) when they are not JSON text. */
  private parse(bytes: Buffer): Record<string, unknown> | undefined {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      this.problem('error', 'not-utf8', `The text is not valid ${this.o.charset}; save the file as UTF-8 or declare its charset in the Content-Type.`);
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      this.problem('error', 'invalid-json', `Not valid JSON: ${(err as Error).message}.`);
      return undefined;
    }
  }

  /** Hex EWKB, null for no/empty geometry, or false when the geometry cannot be loaded. */
  private checkGeometry(g: Geometry | null, id: string | number | undefined, fid: number): string | null | false {
    this.currentId = id;
    const problem = this.problem;
    if (g === null) return null;
    if (typeof g === 'object' && 'coordinates' in g && Array.isArray(g.coordinates) && g.coordinates.length === 0) {
      problem('warning', 'empty-geometry', `Its ${g.type} has no coordinates; it was loaded without a location.`);
      return null;
    }
    const structural = isWellFormedGeometry(g) ? [] : (GJV.isGeometryObject(g, true) as string[]);
    if (structural.length > 0) {
      problem('error', 'bad-geometry', `Its geometry is not valid GeoJSON: ${structural.slice(0, 3).join('; ')}.`);
      return false;
    }
    const srid = this.crs.decide(g);
    const facts = inspectGeometry(g, coordinateRange(srid), srid === 4326);
    // A position out of range cannot be placed on a map; any other problem is shown at the first vertex.
    const first = facts.badPosition ? undefined : firstPosition(g);
    if (first) this.currentAt = [first[0]!, first[1]!];
    if (facts.empty) {
      problem('warning', 'empty-geometry', `Its ${g.type} has no coordinates; it was loaded without a location.`);
      return null;
    }
    if (facts.vertices > this.o.maxVertices) {
      problem('error', 'too-many-vertices', `Its geometry has ${facts.vertices} vertices, more than the limit of ${this.o.maxVertices}.`);
      return false;
    }
    if (facts.badPosition) {
      const pos = JSON.stringify(facts.badPosition.position);
      problem(
        'error',
        'out-of-range',
        facts.badPosition.reason === 'not-finite'
          ? `The position ${pos} is not a pair of finite numbers.`
          : `The position ${pos} is outside the range of ${crsLabel(srid)}${srid === 4326 ? ' (longitude −180..180, latitude −90..90)' : ''}; is the CRS right?`,
      );
      return false;
    }
    if (facts.minDims !== facts.maxDims) {
      const message = 'It mixes 2D and 3D positions in one geometry';
      if (this.o.policy === 'reject') {
        problem('error', 'mixed-dimensions', `${message}.`);
        return false;
      }
      problem('repaired', 'mixed-dimensions', `${message}; heights were dropped.`);
    } else if (facts.maxDims > 2) {
      problem('warning', 'heights-dropped', 'It has 3D positions; heights (Z) are not stored.');
    }
    if (facts.crossesAntimeridian) {
      if (this.o.policy === 'reject') {
        problem('error', 'crosses-antimeridian', 'It crosses the antimeridian (longitude ±180) without being split, as RFC 7946 asks.');
        return false;
      }
      this.antimeridianFids.push(fid);
      problem('repaired', 'crosses-antimeridian', 'It crosses the antimeridian (longitude ±180); it was split there, as RFC 7946 asks.');
    }
    this.geometryTypes.add(g.type);
    if (facts.collapsedLine) this.hasCollapsedLines = true;
    const e = this.extent;
    if (facts.minX < e.minX) e.minX = facts.minX;
    if (facts.minY < e.minY) e.minY = facts.minY;
    if (facts.maxX > e.maxX) e.maxX = facts.maxX;
    if (facts.maxY > e.maxY) e.maxY = facts.maxY;
    return toHexEwkb(g, srid);
  }
}
