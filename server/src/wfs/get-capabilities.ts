import type { Layer } from '../layers/layer';
import { escapeXml } from '../platform/xml';
import { WFS_NAMESPACE, WFS_PREFIX } from './wfs-names';

export const GML32_FORMAT = 'application/gml+xml; version=3.2';
const FORMATS = [GML32_FORMAT, 'text/xml; subtype=gml/3.2.1', 'application/json'];

const operation = (name: string, url: string, params = '') => `
    <ows:Operation name="${name}">
      <ows:DCP><ows:HTTP><ows:Get xlink:type="simple" xlink:href="${escapeXml(url)}?"/></ows:HTTP></ows:DCP>${params}
    </ows:Operation>`;

const allowed = (name: string, values: string[]) =>
  `\n      <ows:Parameter name="${name}"><ows:AllowedValues>${values.map((v) => `<ows:Value>${escapeXml(v)}</ows:Value>`).join('')}</ows:AllowedValues></ows:Parameter>`;

const constraint = (name: string, value: string) =>
  `\n    <ows:Constraint name="${name}"><ows:NoValues/><ows:DefaultValue>${value}</ows:DefaultValue></ows:Constraint>`;

function featureType(layer: Layer): string {
  const v = layer.currentVersion!;
  const bbox = v.bbox
    ? `\n      <ows:WGS84BoundingBox><ows:LowerCorner>${v.bbox[0]} ${v.bbox[1]}</ows:LowerCorner><ows:UpperCorner>${v.bbox[2]} ${v.bbox[3]}</ows:UpperCorner></ows:WGS84BoundingBox>`
    : '';
  return `
    <FeatureType>
      <Name>${WFS_PREFIX}:${escapeXml(layer.slug)}</Name>
      <Title>${escapeXml(layer.title.en)}</Title>
      <Abstract>${escapeXml(layer.description.en ?? '')}</Abstract>
      <ows:Keywords>${layer.keywords.map((k) => `<ows:Keyword>${escapeXml(k)}</ows:Keyword>`).join('')}</ows:Keywords>
      <DefaultCRS>urn:ogc:def:crs:EPSG::4326</DefaultCRS>
      <OtherCRS>urn:ogc:def:crs:EPSG::27700</OtherCRS>
      <OutputFormats>${FORMATS.map((f) => `<Format>${escapeXml(f)}</Format>`).join('')}</OutputFormats>${bbox}
      <MetadataURL xlink:href="${escapeXml(`/api/layers/${layer.slug}`)}"/>
    </FeatureType>`;
}

/** WFS 2.0 GetCapabilities: every published layer with its WGS84 bbox, both CRSs and the output formats. */
export function capabilitiesXml(url: string, layers: Layer[], countDefault: number): string {
  const comparisons = ['PropertyIsEqualTo', 'PropertyIsNotEqualTo', 'PropertyIsLessThan', 'PropertyIsGreaterThan', 'PropertyIsLessThanOrEqualTo', 'PropertyIsGreaterThanOrEqualTo', 'PropertyIsLike', 'PropertyIsNull', 'PropertyIsBetween'];
  const spatial = ['BBOX', 'Intersects', 'Within', 'Contains', 'Disjoint', 'Equals', 'Touches', 'Crosses', 'Overlaps'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<WFS_Capabilities xmlns="http://www.opengis.net/wfs/2.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:${WFS_PREFIX}="${WFS_NAMESPACE}" version="2.0.0" xsi:schemaLocation="http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd">
  <ows:ServiceIdentification>
    <ows:Title>Haenau</ows:Title>
    <ows:Abstract>Map layers published by Welsh public bodies.</ows:Abstract>
    <ows:ServiceType codeSpace="OGC">WFS</ows:ServiceType>
    <ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>
    <ows:Fees>none</ows:Fees>
    <ows:AccessConstraints>none; each layer states its licence</ows:AccessConstraints>
  </ows:ServiceIdentification>
  <ows:ServiceProvider><ows:ProviderName>Haenau</ows:ProviderName></ows:ServiceProvider>
  <ows:OperationsMetadata>${operation('GetCapabilities', url, allowed('AcceptVersions', ['2.0.0']))}${operation('DescribeFeatureType', url, allowed('outputFormat', ['application/gml+xml; version=3.2', 'text/xml; subtype=gml/3.2.1']))}${operation('GetFeature', url, allowed('outputFormat', FORMATS) + allowed('resultType', ['results', 'hits']))}${constraint('ImplementsBasicWFS', 'TRUE')}${constraint('ImplementsResultPaging', 'TRUE')}${constraint('KVPEncoding', 'TRUE')}${constraint('XMLEncoding', 'FALSE')}${constraint('ImplementsTransactionalWFS', 'FALSE')}${constraint('CountDefault', String(countDefault))}
  </ows:OperationsMetadata>
  <FeatureTypeList>${layers.map(featureType).join('')}
  </FeatureTypeList>
  <fes:Filter_Capabilities>
    <fes:Conformance>${['ImplementsQuery', 'ImplementsAdHocQuery', 'ImplementsMinStandardFilter', 'ImplementsStandardFilter', 'ImplementsMinSpatialFilter', 'ImplementsSpatialFilter', 'ImplementsSorting', 'ImplementsResourceId']
      .map((c) => `<fes:Constraint name="${c}"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></fes:Constraint>`)
      .join('')}</fes:Conformance>
    <fes:Id_Capabilities><fes:ResourceIdentifier name="fes:ResourceId"/></fes:Id_Capabilities>
    <fes:Scalar_Capabilities><fes:LogicalOperators/><fes:ComparisonOperators>${comparisons.map((c) => `<fes:ComparisonOperator name="${c}"/>`).join('')}</fes:ComparisonOperators></fes:Scalar_Capabilities>
    <fes:Spatial_Capabilities>
      <fes:GeometryOperands><fes:GeometryOperand name="gml:Envelope"/><fes:GeometryOperand name="gml:Point"/><fes:GeometryOperand name="gml:LineString"/><fes:GeometryOperand name="gml:Polygon"/></fes:GeometryOperands>
      <fes:SpatialOperators>${spatial.map((s) => `<fes:SpatialOperator name="${s}"/>`).join('')}</fes:SpatialOperators>
    </fes:Spatial_Capabilities>
  </fes:Filter_Capabilities>
</WFS_Capabilities>`;
}
