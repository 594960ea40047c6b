import type { FeatureQuery } from '../features/feature-query';
import { compileFilter } from '../filter/compile-filter';
import { FilterSyntaxError } from '../filter/filter-ast';
import type { Layer } from '../layers/layer';
import { CRS84, EPSG_4326 } from '../platform/geo/crs';
import { parseFesFilter } from './fes-filter';
import { parseWfsCrs, typeNameToSlug } from './wfs-names';
import { OwsException } from './wfs-exception';


/** KVP with upper-cased keys: WFS parameter names are case-insensitive, values are not. */
export function normaliseKvp(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') out[k.toUpperCase()] = v;
  return out;
}

export type OutputFormat = 'gml' | 'geojson';

export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === '') return 'gml';
  const v = value.toLowerCase().replace(/\s/g, '');
  if (v.includes('json')) return 'geojson';
  if (/gml\/3\.(2|1\.1)|version=3\.2|^gml3(2)?$|^text\/xml$/.test(v)) return 'gml';
  throw new OwsException('InvalidParameterValue', 'outputFormat', `outputFormat "${value}" is not offered; use application/gml+xml; version=3.2 or application/json.`);
}

function nonNegativeInt(value: string | undefined, locator: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new OwsException('InvalidParameterValue', locator, `${locator} must be a whole number, not "${value}".`);
  return Number(value);
}

function parseBbox(value: string): FeatureQuery['bbox'] {
  const parts = value.split(',');
  const crs = parts.length === 5 ? parseWfsCrs(parts[4]!, 'BBOX') : parts.length === 4 ? EPSG_4326 : undefined;
  const n = parts.slice(0, 4).map(Number);
  if (!crs || n.some((x) => !Number.isFinite(x))) {
    throw new OwsException('InvalidParameterValue', 'BBOX', `BBOX must be four numbers and optionally a CRS; got "${value}".`);
  }
  const [a, b, c, d] = n as [number, number, number, number];
  const coords: [number, number, number, number] = crs.flipAxes ? [b, a, d, c] : [a, b, c, d];
  return { coords, srid: crs.srid };
}

function parseSortBy(value: string | undefined, layer: Layer): FeatureQuery['sortBy'] {
  if (!value) return undefined;
  const known = new Set(layer.currentVersion!.propertySchema.map((p) => p.name));
  return value.split(',').map((part) => {
    const [rawName = '', dir = 'ASC'] = part.trim().split(/\s+|\+/);
    const name = typeNameToSlug(rawName);
    if (!known.has(name)) throw new OwsException('InvalidParameterValue', 'SORTBY', `"${name}" is not a property of ${layer.slug}.`);
    if (!/^(ASC|DESC|A|D)$/i.test(dir)) throw new OwsException('InvalidParameterValue', 'SORTBY', `Sort direction "${dir}" must be ASC or DESC.`);
    return { name, descending: /^D/i.test(dir) };
  });
}

export interface GetFeatureRequest {
  query: FeatureQuery;
  hits: boolean;
  format: OutputFormat;
}

/** GetFeature KVP for one feature type → the shared FeatureQuery. */
export function parseGetFeature(kvp: Record<string, string>, layer: Layer, maxCount: number): GetFeatureRequest {
  const schema = layer.currentVersion!.propertySchema;
  const resultType = (kvp.RESULTTYPE ?? 'results').toLowerCase();
  if (resultType !== 'results' && resultType !== 'hits') throw new OwsException('InvalidParameterValue', 'resultType', 'resultType must be results or hits.');
  const count = nonNegativeInt(kvp.COUNT ?? kvp.MAXFEATURES, 'COUNT');
  const srs = kvp.SRSNAME ? parseWfsCrs(kvp.SRSNAME, 'srsName') : EPSG_4326;
  if (kvp.BBOX && kvp.FILTER) throw new OwsException('InvalidParameterValue', 'BBOX', 'BBOX and FILTER cannot be used together; put the BBOX inside the filter.');
  let filter: FeatureQuery['filter'];
  if (kvp.FILTER) {
    try {
      filter = compileFilter(parseFesFilter(kvp.FILTER), schema, CRS84);
    } catch (err) {
      if (err instanceof FilterSyntaxError) throw new OwsException('InvalidParameterValue', 'FILTER', `FILTER: ${err.message}.`);
      throw err;
    }
  }
  const properties = kvp.PROPERTYNAME
    ? kvp.PROPERTYNAME.replace(/^\(|\)$/g, '')
        .split(',')
        .map((p) => typeNameToSlug(p.trim()))
        .filter((p) => p && p !== 'geometry')
    : undefined;
  const resourceIds = kvp.RESOURCEID ? kvp.RESOURCEID.split(',').map((id) => id.trim().replace(`${layer.slug}.`, '')) : undefined;
  return {
    hits: resultType === 'hits',
    format: parseOutputFormat(kvp.OUTPUTFORMAT),
    query: {
      bbox: kvp.BBOX ? parseBbox(kvp.BBOX) : undefined,
      equals: [],
      filter,
      ids: resourceIds,
      properties,
      sortBy: parseSortBy(kvp.SORTBY, layer),
      limit: Math.min(count ?? maxCount, maxCount),
      offset: nonNegativeInt(kvp.STARTINDEX, 'STARTINDEX') ?? 0,
      crs: srs,
    },
  };
}
