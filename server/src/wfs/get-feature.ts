import type { Response } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import { joinedBody } from '../platform/http/joined-body';
import { abortSignalOf } from '../platform/http/request-signal';
import { escapeXml, xmlName } from '../platform/xml';
import type { GetFeatureRequest } from './wfs-request';
import { WFS_NAMESPACE, WFS_PREFIX } from './wfs-names';
import type { WfsVersion } from './wfs-version';

const rootNamespaces = (v: WfsVersion) =>
  `xmlns:wfs="${v.wfsNamespace}" xmlns:gml="${v.gmlNamespace}" xmlns:${WFS_PREFIX}="${WFS_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

function schemaLocation(v: WfsVersion, base: string, slug: string): string {
  return `${WFS_NAMESPACE} ${base}/wfs?SERVICE=WFS&amp;VERSION=${v.version}&amp;REQUEST=DescribeFeatureType&amp;TYPENAME=${WFS_PREFIX}:${escapeXml(slug)} ${v.wfsNamespace} ${v.wfsSchema} ${v.gmlNamespace} ${v.gmlSchema}`;
}

/** numberMatched/numberReturned in 2.0; in 1.1 numberOfFeatures, which for hits is the match count. */
function counts(v: WfsVersion, c: { matched: string; returned: number; hits?: boolean }): string {
  if (v.version === '2.0.0') return `numberMatched="${c.matched}" numberReturned="${c.returned}"`;
  return `numberOfFeatures="${c.hits ? c.matched : c.returned}"`;
}

function propertyXml(name: string, value: unknown): string {
  const tag = `${WFS_PREFIX}:${xmlName(name)}`;
  if (value === null || value === undefined) return `<${tag} xsi:nil="true"/>`;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `<${tag}>${escapeXml(text)}</${tag}>`;
}

/** GetFeature: hits, GeoJSON (application/json) or GML 3.2, over the shared feature store. */
export async function getFeature(store: FeatureStore, layer: Layer, r: GetFeatureRequest, res: Response, base: string, v: WfsVersion): Promise<void> {
  const version = layer.currentVersion!;
  const stamp = new Date().toISOString();
  const signal = abortSignalOf(res);
  if (r.hits) {
    const n = await store.count(version, r.query, signal);
    res
      .type(v.gmlFormat)
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection ${rootNamespaces(v)} ${counts(v, { matched: String(n), returned: 0, hits: true })} timeStamp="${stamp}" xsi:schemaLocation="${schemaLocation(v, base, layer.slug)}"/>`);
    return;
  }
  if (r.format === 'geojson') {
    // GeoJSON is always x,y (lon/lat for EPSG:4326), whatever axis order the CRS name implies.
    const query = { ...r.query, crs: { ...r.query.crs, flipAxes: false } };
    const page = await store.query(version, query, signal);
    const crs = query.crs.srid === 4326 ? '' : `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${query.crs.srid}"}},`;
    const matched = page.numberMatched === undefined ? '' : `"numberMatched":${page.numberMatched},`;
    res
      .type('application/json; subtype=geojson')
      .send(joinedBody(`{"type":"FeatureCollection","name":${JSON.stringify(layer.slug)},${crs}${matched}"numberReturned":${page.features.length},"timeStamp":"${stamp}","features":[`, page.features, ']}'));
    return;
  }
  const { rows, hasMore } = await store.queryGml(version, r.query, signal);
  const matched = !hasMore && r.query.offset === 0 ? String(rows.length) : 'unknown';
  const members = rows.map((row) => {
    const props = JSON.parse(row.p) as Record<string, unknown>;
    const fields = version.propertySchema.filter((f) => f.name in props).map((f) => propertyXml(f.name, props[f.name]));
    const geometry = row.gml ? `<${WFS_PREFIX}:geometry>${row.gml}</${WFS_PREFIX}:geometry>` : '';
    return `  <${v.member}><${WFS_PREFIX}:${layer.slug} gml:id="${escapeXml(xmlName(`${layer.slug}.${row.id}`))}">${geometry}${fields.join('')}</${WFS_PREFIX}:${layer.slug}></${v.member}>`;
  });
  res
    .type(v.gmlFormat)
    .send(
      joinedBody(
        `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection ${rootNamespaces(v)} ${counts(v, { matched, returned: rows.length })} timeStamp="${stamp}" xsi:schemaLocation="${schemaLocation(v, base, layer.slug)}">\n`,
        members,
        '\n</wfs:FeatureCollection>',
        '\n',
      ),
    );
}
