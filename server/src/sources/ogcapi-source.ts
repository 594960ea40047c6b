import { type OfferedFeatureType, type RemoteSource, SourceResponseError } from './remote-source';
import { splitGeoJsonPage } from './geojson-page';
import { getJson, getJsonBytes, withQuery } from './source-http';
import type { Fetcher } from './safe-fetch';

interface Link {
  href: string;
  rel?: string;
  type?: string;
}

interface Collection {
  id: string;
  title?: string;
  description?: string;
  links?: Link[];
  crs?: string[];
  extent?: { spatial?: { bbox?: number[][] } };
  itemType?: string;
}

const linkTo = (links: Link[] | undefined, rel: string, base: string) => {
  const candidates = (links ?? []).filter((l) => l.rel === rel);
  const link = candidates.find((l) => !l.type || /json/.test(l.type)) ?? candidates[0];
  return link ? new URL(link.href, base).href : undefined;
};

const offered = (c: Collection): OfferedFeatureType => {
  const bbox = c.extent?.spatial?.bbox?.[0];
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    crs: c.crs,
    ...(bbox && bbox.length === 4 ? { bbox: bbox as [number, number, number, number] } : {}),
  };
};

/** Where a service's collections are listed, from a landing page, a /collections URL or one collection's URL. */
async function collectionsOf(url: string, fetcher: Fetcher): Promise<{ collectionsUrl: string; collections: Collection[]; title?: string }> {
  const { json } = await getJson(fetcher, withQuery(url, { f: 'json' }), url);
  const doc = json as { collections?: Collection[]; links?: Link[]; id?: string; title?: string };
  if (Array.isArray(doc.collections)) return { collectionsUrl: url.split('?')[0]!, collections: doc.collections, title: doc.title };
  if (typeof doc.id === 'string' && linkTo(doc.links, 'items', url)) {
    return { collectionsUrl: url.split('?')[0]!.replace(/\/collections\/[^/]+\/?$/, '/collections'), collections: [doc as Collection], title: doc.title };
  }
  const data = linkTo(doc.links, 'data', url) ?? linkTo(doc.links, 'http://www.opengis.net/def/rel/ogc/1.0/data', url);
  if (!data) throw new SourceResponseError(`${url} is JSON but neither an OGC API landing page (no "data" link) nor a list of collections.`);
  const listed = await getJson(fetcher, withQuery(data, { f: 'json' }), data);
  const collections = (listed.json as { collections?: Collection[] }).collections;
  if (!Array.isArray(collections)) throw new SourceResponseError(`${data} does not list collections.`);
  return { collectionsUrl: data.split('?')[0]!, collections, title: doc.title };
}

/** OGC API – Features: collections from the landing page, items page by page following "next" links. */
export const ogcapiSource: RemoteSource = {
  kind: 'ogcapi',

  recognises: (url) => /\/collections(\/|$)/.test(url.pathname) || /\/ogc\/?$/.test(url.pathname),

  async describe(url, fetcher) {
    const { collections, title } = await collectionsOf(url, fetcher);
    return { kind: 'ogcapi', url, title, paging: true, featureTypes: collections.filter((c) => !c.itemType || c.itemType === 'feature').map(offered) };
  },

  async *pages(target, fetcher, o) {
    if (!target.featureType) throw new SourceResponseError('Name the collection to harvest (collectionId).');
    const { collections, collectionsUrl } = await collectionsOf(target.url, fetcher);
    const collection = collections.find((c) => c.id === target.featureType);
    if (!collection) throw new SourceResponseError(`The service has no collection "${target.featureType}" any more; it offers ${collections.map((c) => c.id).join(', ') || 'none'}.`);
    let next: string | undefined = withQuery(linkTo(collection.links, 'items', collectionsUrl) ?? `${collectionsUrl}/${encodeURIComponent(collection.id)}/items`, { limit: o.pageSize, f: 'json' });
    const visited = new Set<string>();
    o.onPaging?.({ unsortedBecause: 'its "next" links follow its own order, and OGC API – Features (Part 1) has no way to ask for another' });
    while (next) {
      if (visited.has(next)) throw new SourceResponseError(`The service's "next" link leads back to a page already read (${next}).`);
      visited.add(next);
      const { buffer } = await getJsonBytes(fetcher, next, `The items of ${collection.id}`, { signal: o.signal });
      const { raw, members } = splitGeoJsonPage(buffer, `The items page ${next}`);
      yield { raw, srid: 4326, bytes: buffer.length };
      next = raw.length > 0 ? linkTo(members.links as Link[] | undefined, 'next', next) : undefined;
    }
  },
};
