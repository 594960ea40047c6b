import type { Response } from 'express';
import type { FeatureStore } from '../features/feature-store';
import type { Layer } from '../layers/layer';
import { escapeXml, xmlName } from '../platform/xml';
import type { GetFeatureRequest } from './wfs-request';
import { WFS_NAMESPACE, WFS_PREFIX } from './wfs-names';

const ROOT_NS = `xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:${WFS_PREFIX}="${WFS_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

function schemaLocation(base: string, slug: string): string {
  return `${WFS_NAMESPACE} ${base}/wfs?SERVICE=WFS&amp;VERSION=2.0.0&amp;REQUEST=DescribeFeatureType&amp;TYPENAMES=${WFS_PREFIX}:${escapeXml(slug)} http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd http://www.opengis.net/gml/3.2 http://schemas.opengis.net/gml/3.2.1/gml.xsd`;
}

function propertyXml(name: string, value: unknown): string {
  const tag = `${WFS_PREFIX}:${xmlName(name)}`;
  if (value === null || value === undefined) return `<${tag} xsi:nil="true"/>`;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `<${tag}>${escapeXml(text)}</${tag}>`;
}

/** GetFeature: hits, GeoJSON (application/json) or GML 3.2, over the shared feature store. */
export async function getFeature(store: FeatureStore, layer: Layer, r: GetFeatureRequest, res: Response, base: string): Promise<void> {
  const version = layer.currentVersion!;
  const stamp = new Date().toISOString();
  if (r.hits) {
    const n = await store.count(version, r.query);
    res
      .type('application/gml+xml; version=3.2')
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection ${ROOT_NS} numberMatched="${n}" numberReturned="0" timeStamp="${stamp}" xsi:schemaLocation="${schemaLocation(base, layer.slug)}"/>`);
    return;
  }
  if (r.format === 'geojson') {
    // GeoJSON is always x,y (lon/lat for EPSG:4326), whatever axis order the CRS name implies.
    const query = { ...r.query, crs: { ...r.query.crs, flipAxes: false } };
    const page = await store.query(version, query);
    const crs = query.crs.srid === 4326 ? '' : `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${query.crs.srid}"}},`;
    const matched = page.numberMatched === undefined ? '' : `"numberMatched":${page.numberMatched},`;
    res
      .type('application/json; subtype=geojson')
      .send(`{"type":"FeatureCollection","name":${JSON.stringify(layer.slug)},${crs}${matched}"numberReturned":${page.features.length},"timeStamp":"${stamp}","features":[${page.features.join(',')}]}`);
    return;
  }
  const { rows, hasMore } = await store.queryGml(version, r.query);
  const matched = !hasMore && r.query.offset === 0 ? String(rows.length) : 'unknown';
  const members = rows.map((row) => {
    const props = JSON.parse(row.p) as Record<string, unknown>;
    const fields = version.propertySchema.filter((f) => f.name in props).map((f) => propertyXml(f.name, props[f.name]));
    const geometry = row.gml ? `<${WFS_PREFIX}:geometry>${row.gml}</${WFS_PREFIX}:geometry>` : '';
    return `  <wfs:member><${WFS_PREFIX}:${layer.slug} gml:id="${escapeXml(xmlName(`${layer.slug}.${row.id}`))}">${geometry}${fields.join('')}</${WFS_PREFIX}:${layer.slug}></wfs:member>`;
  });
  res
    .type('application/gml+xml; version=3.2')
    .send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection ${ROOT_NS} numberMatched="${matched}" numberReturned="${rows.length}" timeStamp="${stamp}" xsi:schemaLocation="${schemaLocation(base, layer.slug)}">\n${members.join('\n')}\n</wfs:FeatureCollection>`,
    );
}
