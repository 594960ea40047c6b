import type { ServerResponse } from 'node:http';
import type { FeaturePage, FeatureQuery } from '../features/feature-query';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import { NotFoundError } from '../platform/errors';
import { negotiateFormat, MEDIA } from '../platform/http/content-negotiation';
import { escapeHtml, htmlPage } from '../platform/http/html';
import { joinedBody } from '../platform/http/joined-body';
import { linkWithQuery } from '../platform/http/links';
import type { ReadHandler, ReadRequest } from '../platform/http/read-routes';
import { abortSignalOf } from '../platform/http/request-signal';
import { type ItemsLimits, parseItemsQuery } from './parse-items-query';
import { licenceUrl } from './collection-json';

export interface ItemsDeps {
  featureStore: FeatureStore;
  requireCollection: (id: string) => Promise<Layer>;
  limits: ItemsLimits;
}

function pageLinks(req: ReadRequest, layer: Layer, q: FeatureQuery, page: FeaturePage, json: boolean) {
  const path = `/ogc/collections/${encodeURIComponent(layer.slug)}/items`;
  const f = json ? 'json' : 'html';
  const withQuery = (changes: Record<string, string | number | undefined>) => linkWithQuery(req.base, path, req.query, changes);
  const links = [
    { rel: 'self', type: json ? MEDIA.geojson : 'text/html', title: 'This page', href: withQuery({ f }) },
    { rel: 'alternate', type: json ? 'text/html' : MEDIA.geojson, title: json ? 'This page as HTML' : 'This page as GeoJSON', href: withQuery({ f: json ? 'html' : 'json' }) },
    { rel: 'collection', type: MEDIA.json, title: layer.title.en, href: `${req.base}/ogc/collections/${encodeURIComponent(layer.slug)}?f=json` },
    { rel: 'license', type: 'text/html', title: layer.licence, href: licenceUrl(layer.licence) },
  ];
  // Default order pages by keyset (fid > last), which stays fast however deep; explicit offsets page by offset.
  const byOffset = q.offset > 0 || q.sortBy !== undefined;
  if (page.hasMore) {
    const next = byOffset ? { offset: q.offset + q.limit, after: undefined } : { after: page.lastFid, offset: undefined };
    links.push({ rel: 'next', type: links[0]!.type, title: 'Next page', href: withQuery({ f, limit: q.limit, ...next }) });
  }
  if (q.offset > 0) {
    links.push({ rel: 'prev', type: links[0]!.type, title: 'Previous page', href: withQuery({ f, limit: q.limit, offset: Math.max(0, q.offset - q.limit) }) });
  }
  return links;
}

function itemsHtml(layer: Layer, page: FeaturePage, links: Array<{ rel: string; href: string; title: string }>): string {
  const features = page.features.map((f) => JSON.parse(f) as { id: unknown; properties: Record<string, unknown> });
  // The upload's column order (jsonb keeps keys in its own order), then any key the schema lacks.
  const present = new Set(features.flatMap((f) => Object.keys(f.properties ?? {})));
  const columns = [...new Set([...layer.currentVersion!.propertySchema.map((p) => p.name).filter((n) => present.has(n)), ...present])];
  const head = `<tr><th scope="col">id</th>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const rows = features
    .map((f) => `<tr><td><a href="items/${encodeURIComponent(String(f.id))}?f=html">${escapeHtml(f.id)}</a></td>${columns.map((c) => `<td>${escapeHtml(typeof f.properties[c] === 'object' && f.properties[c] !== null ? JSON.stringify(f.properties[c]) : f.properties[c])}</td>`).join('')}</tr>`)
    .join('\n');
  const nav = links.filter((l) => l.rel === 'next' || l.rel === 'prev').map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a>`).join(' · ');
  return `<p>${page.features.length} features${page.numberMatched !== undefined ? ` of ${page.numberMatched}` : ''}. Licence: ${escapeHtml(layer.licence)}${layer.attribution ? `; ${escapeHtml(layer.attribution)}` : ''}.</p>
<table><caption>Features of ${escapeHtml(layer.title.en)}</caption>${head}\n${rows}</table><p>${nav}</p>`;
}

/**
 * One write of the whole body with the headers: Node sets Content-Length itself when it writes a
 * body, so it is set here only for HEAD, which writes none.
 */
function send(res: ServerResponse, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.setHeader('Content-Type', type);
  if (res.req.method === 'HEAD') res.setHeader('Content-Length', Buffer.byteLength(body));
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

function sendCollection(res: ServerResponse, q: FeatureQuery, page: FeaturePage, links: unknown[]): void {
  const head = JSON.stringify({
    type: 'FeatureCollection',
    ...(page.numberMatched !== undefined ? { numberMatched: page.numberMatched } : {}),
    numberReturned: page.features.length,
    timeStamp: new Date().toISOString(),
    links,
  });
  send(res, MEDIA.geojson, joinedBody(`${head.slice(0, -1)},"features":[`, page.features, ']}'), { 'Content-Crs': `<${q.crs.uri}>` });
}

export function listItems(deps: ItemsDeps): ReadHandler {
  return async (req, res) => {
    const layer = await deps.requireCollection(req.params.collectionId!);
    const q = parseItemsQuery(req.query, layer.currentVersion!.propertySchema, deps.limits);
    const json = negotiateFormat(req.query.f, req.raw) === 'json';
    const page = await deps.featureStore.query(layer.currentVersion!, q, abortSignalOf(res));
    const links = pageLinks(req, layer, q, page, json);
    if (json) return sendCollection(res, q, page, links);
    send(res, MEDIA.html, htmlPage(`${layer.title.en}: features`, itemsHtml(layer, page, links), links[1]!.href));
  };
}

export function getItem(deps: ItemsDeps): ReadHandler {
  return async (req, res) => {
    const layer = await deps.requireCollection(req.params.collectionId!);
    const q = parseItemsQuery({ crs: req.query.crs, properties: req.query.properties }, [], deps.limits);
    const featureId = req.params.featureId!;
    const json = negotiateFormat(req.query.f, req.raw) === 'json';
    const text = await deps.featureStore.get(layer.currentVersion!, featureId, q, abortSignalOf(res));
    if (!text) throw new NotFoundError(`Collection "${layer.slug}" has no feature "${featureId}".`);
    const collection = `${req.base}/ogc/collections/${encodeURIComponent(layer.slug)}`;
    const self = `${collection}/items/${encodeURIComponent(featureId)}`;
    const links = [
      { rel: 'self', type: MEDIA.geojson, href: `${self}?f=json` },
      { rel: 'alternate', type: 'text/html', href: `${self}?f=html` },
      { rel: 'collection', type: MEDIA.json, href: `${collection}?f=json` },
    ];
    if (json) return send(res, MEDIA.geojson, `${text.slice(0, -1)},"links":${JSON.stringify(links)}}`, { 'Content-Crs': `<${q.crs.uri}>` });
    const f = JSON.parse(text) as { properties: Record<string, unknown>; geometry: { type: string } | null };
    const rows = Object.entries(f.properties)
      .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</td></tr>`)
      .join('\n');
    const body = `<p>Geometry: ${escapeHtml(f.geometry?.type ?? 'none')}</p><table><caption>Properties</caption>${rows}</table>`;
    send(res, MEDIA.html, htmlPage(`${layer.title.en}: ${featureId}`, body, `${self}?f=json`));
  };
}
