import type { Request } from 'express';
import type { Layer } from '../layers/layer';
import { CRS84, SERVED_CRS } from '../platform/geo/crs';
import { requestBase } from '../platform/http/links';

/** The OGC API collection document for one published layer. */
export function collectionJson(req: Request, layer: Layer) {
  const v = layer.currentVersion!;
  const href = `${requestBase(req)}/ogc/collections/${encodeURIComponent(layer.slug)}`;
  return {
    id: layer.slug,
    title: layer.title.en,
    description: layer.description.en ?? undefined,
    keywords: layer.keywords,
    attribution: layer.attribution ?? undefined,
    license: layer.licence,
    itemType: 'feature',
    extent: v.bbox ? { spatial: { bbox: [v.bbox], crs: CRS84.uri } } : undefined,
    crs: SERVED_CRS.map((c) => c.uri),
    storageCrs: CRS84.uri,
    links: [
      { rel: 'self', type: 'application/json', title: 'This collection', href: `${href}?f=json` },
      { rel: 'alternate', type: 'text/html', title: 'This collection as HTML', href: `${href}?f=html` },
      { rel: 'items', type: 'application/geo+json', title: 'Features', href: `${href}/items?f=json` },
      { rel: 'items', type: 'text/html', title: 'Features as HTML', href: `${href}/items?f=html` },
      { rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: 'Queryable properties', href: `${href}/queryables` },
      { rel: 'license', type: 'text/html', title: layer.licence, href: licenceUrl(layer.licence) },
      { rel: 'describedby', type: 'application/json', title: 'Layer metadata and versions', href: `${requestBase(req)}/api/layers/${encodeURIComponent(layer.slug)}` },
    ],
  };
}

export function licenceUrl(licence: string): string {
  return licence === 'OGL-UK-3.0'
    ? 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/'
    : `https://spdx.org/licenses/${encodeURIComponent(licence)}.html`;
}
