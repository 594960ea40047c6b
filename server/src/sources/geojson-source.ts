import { crsFromMember } from '../ingest/source-crs';
import { type FeaturePage, type RemoteSource, SourceResponseError } from './remote-source';
import { splitGeoJsonPage } from './geojson-page';
import { getJsonBytes } from './source-http';

/** A GeoJSON FeatureCollection cut into its features' bytes, with the CRS its crs member names; `url` names it in errors. */
function readDocument(buffer: Buffer, url: string): { raw: Buffer[]; srid: number | undefined; name?: string } {
  const { raw, members } = splitGeoJsonPage(buffer, url);
  const srid = crsFromMember(members.crs);
  if (srid === 'unreadable') throw new SourceResponseError(`The GeoJSON at ${url} has a "crs" member Haenau cannot read.`);
  return { raw, srid, name: typeof members.name === 'string' ? members.name : undefined };
}

/**
 * A GeoJSON file at a URL. It is one document, so it is asked for conditionally (ETag /
 * Last-Modified from the last harvest) and read whole, within the fetcher's size limit.
 */
export const geojsonSource: RemoteSource = {
  kind: 'geojson',

  recognises: (url) => /\.(geo)?json$/i.test(url.pathname) || /geojson/i.test(url.search),

  async describe(url, fetcher) {
    const { raw, name } = readDocument((await getJsonBytes(fetcher, url, url)).buffer, url);
    const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? url;
    return {
      kind: 'geojson',
      url,
      featureTypes: [{ id: 'features', title: name ?? last, description: `${raw.length} features` }],
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
    const { raw, srid } = readDocument(buffer, target.url);
    for (let i = 0; i < Math.max(raw.length, 1); i += o.pageSize) {
      const page: FeaturePage = { raw: raw.slice(i, i + o.pageSize), srid, bytes: i === 0 ? buffer.length : 0 };
      yield page;
    }
  },
};
