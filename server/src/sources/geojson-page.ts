import { FeatureCollectionSplitter } from '../ingest/feature-collection-splitter';
import { JsonSyntaxError } from '../ingest/json-value-capture';
import { SourceResponseError } from './remote-source';

/** Largest single feature a service may send (as an upload's HAENAU_MAX_FEATURE_BYTES default). */
const MAX_FEATURE_BYTES = 64 * 1024 * 1024;

export interface GeoJsonPage {
  /** Each element of "features", as bytes: parsed later, once, by the checker. */
  raw: Buffer[];
  /** The other top-level members (type, crs, links, numberMatched…), parsed. */
  members: Record<string, unknown>;
}

/** A GeoJSON FeatureCollection page cut into its features without parsing them; `what` names it in errors. */
export function splitGeoJsonPage(body: Buffer, what: string): GeoJsonPage {
  const members: Record<string, unknown> = {};
  const splitter = new FeatureCollectionSplitter({ maxFeatureBytes: MAX_FEATURE_BYTES, onMember: (name, value) => (members[name] = value) });
  try {
    const raw = splitter.push(body).map((r) => r.bytes);
    splitter.end();
    if (members.type !== 'FeatureCollection') throw new SourceResponseError(`${what} is JSON but not a GeoJSON FeatureCollection (its type is ${JSON.stringify(members.type ?? null)}).`);
    return { raw, members };
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new SourceResponseError(`${what} sent something that is not valid JSON at line ${err.line}: ${err.message}.`);
    throw err;
  }
}
