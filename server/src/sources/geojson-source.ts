import type { Feature } from 'geojson';
import { crsFromMember } from '../ingest/source-crs';
import { type FeaturePage, type RemoteSource, SourceResponseError } from './remote-source';
import { splitGeoJsonPage } from './geojson-page';
import { getJson, getJsonBytes } from './source-http';

interface FeatureCollectionLike {
  type?: unknown;
  name?: unknown;
  crs?: unknown;
  features?: unknown;
}

/** The features of a GeoJSON FeatureCollection, or an error saying what the document is instead. */
function featuresOf(doc: unknown, url: string): { features: Feature[]; srid: number | undefined; name?: string } {
  const d = (doc ?? {}) as FeatureCollectionLike;
  const srid = crsFromMember(d.crs);
  if (srid === 'unreadable') throw new SourceResponseError(`The GeoJSON at ${url} has a "crs" member Haenau cannot read.`);
  if (d.type !== 'FeatureCollection' || !Array.isArray(d.features)) {
    throw new SourceResponseError(`${url} is JSON but not a GeoJSON FeatureCollection (its type is ${JSON.stringify(d.type ?? null)}).`);
  }
  return { features: d.features as Feature[], srid, name: typeof d.name === 'string' ? d.name : undefined };
}

/**
 * A GeoJSON file at a URL. It is one document, so it is asked for conditionally (ETag /
 * Last-Modified from the last harvest) and read whole, within the fetcher's size limit.
 */
export const geojsonSource: RemoteSource = {
  kind: 'geojson',

  recognises: (url) => /\.(geo)?json$/i.test(url.pathname) || /geojson/i.test(url.search),

  async describe(url, fetcher) {
    const { json } = await getJson(fetcher, url, url);
    const { features, name } = featuresOf(json, url);
    const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? url;
    return {
      kind: 'geojson',
      url,
      featureTypes: [{ id: 'features', title: name ?? last, description: `${features.length} features` }],
    };
  },

  async *pages(target, fetcher, o) {
    const headers: Record<string, string> = {};
    if (o.validators?.etag) headers['if-none-match'] = o.validators.etag;
    if (o.validators?.lastModified) headers['if-modified-since'] = o.validators.lastModified;
    const { res, buffer } = await getJsonBytes(fetcher, target.url, target.url, { headers, signal: o.signal });
    o.onValidators?.({ etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined });
    if (res.status === 304) {
      o.onNotModified?.();
      return;
    }
    // Cut into features without parsing them: the checker parses each once.
    const { raw, members } = splitGeoJsonPage(buffer, target.url);
    const srid = crsFromMember(members.crs);
    if (srid === 'unreadable') throw new SourceResponseError(`The GeoJSON at ${target.url} has a "crs" member Haenau cannot read.`);
    for (let i = 0; i < Math.max(raw.length, 1); i += o.pageSize) {
      const page: FeaturePage = { raw: raw.slice(i, i + o.pageSize), srid, bytes: i === 0 ? buffer.length : 0 };
      yield page;
    }
  },
};
