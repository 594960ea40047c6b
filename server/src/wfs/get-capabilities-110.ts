import type { Layer } from '../layers/layer';
import { escapeXml } from '../platform/xml';
import { WFS_NAMESPACE, WFS_PREFIX } from './wfs-names';

const FORMATS = ['text/xml; subtype=gml/3.1.1', 'application/json'];

const operation = (name: string, url: string, formats?: string[]) => `
    <ows:Operation name="${name}">
      <ows:DCP><ows:HTTP><ows:Get xlink:href="${escapeXml(url)}?"/></ows:HTTP></ows:DCP>${
        formats ? `\n      <ows:Parameter name="outputFormat">${formats.map((f) => `<ows:Value>${escapeXml(f)}</ows:Value>`).join('')}</ows:Parameter>` : ''
      }
    </ows:Operation>`;

/** WFS 1.1.0 GetCapabilities, for clients that do not speak 2.0: same layers, GML 3.1.1. */
export function capabilitiesXml110(url: string, layers: Layer[]): string {
  const types = layers
    .map((layer) => {
      const b = layer.currentVersion!.bbox;
      return `
    <FeatureType>
      <Name>${WFS_PREFIX}:${escapeXml(layer.slug)}</Name>
      <Title>${escapeXml(layer.title.en)}</Title>
      <Abstract>${escapeXml(layer.description.en ?? '')}</Abstract>
      <DefaultSRS>urn:ogc:def:crs:EPSG::4326</DefaultSRS>
      <OtherSRS>urn:ogc:def:crs:EPSG::27700</OtherSRS>
      <OutputFormats>${FORMATS.map((f) => `<Format>${escapeXml(f)}</Format>`).join('')}</OutputFormats>${
        b ? `\n      <ows:WGS84BoundingBox><ows:LowerCorner>${b[0]} ${b[1]}</ows:LowerCorner><ows:UpperCorner>${b[2]} ${b[3]}</ows:UpperCorner></ows:WGS84BoundingBox>` : ''
      }
    </FeatureType>`;
    })
    .join('');
  const comparisons = ['EqualTo', 'NotEqualTo', 'LessThan', 'GreaterThan', 'LessThanEqualTo', 'GreaterThanEqualTo', 'Like', 'Between', 'NullCheck'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<WFS_Capabilities xmlns="http://www.opengis.net/wfs" xmlns:wfs="http://www.opengis.net/wfs" xmlns:ows="http://www.opengis.net/ows" xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:${WFS_PREFIX}="${WFS_NAMESPACE}" version="1.1.0">
  <ows:ServiceIdentification>
    <ows:Title>Haenau</ows:Title>
    <ows:Abstract>Map layers published by Welsh public bodies.</ows:Abstract>
    <ows:ServiceType>WFS</ows:ServiceType>
    <ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion>
  </ows:ServiceIdentification>
  <ows:ServiceProvider><ows:ProviderName>Haenau</ows:ProviderName></ows:ServiceProvider>
  <ows:OperationsMetadata>${operation('GetCapabilities', url)}${operation('DescribeFeatureType', url)}${operation('GetFeature', url, FORMATS)}
  </ows:OperationsMetadata>
  <FeatureTypeList>
    <Operations><Operation>Query</Operation></Operations>${types}
  </FeatureTypeList>
  <ogc:Filter_Capabilities>
    <ogc:Spatial_Capabilities>
      <ogc:GeometryOperands><ogc:GeometryOperand>gml:Envelope</ogc:GeometryOperand><ogc:GeometryOperand>gml:Point</ogc:GeometryOperand><ogc:GeometryOperand>gml:LineString</ogc:GeometryOperand><ogc:GeometryOperand>gml:Polygon</ogc:GeometryOperand></ogc:GeometryOperands>
      <ogc:SpatialOperators>${['BBOX', 'Intersects', 'Within', 'Contains', 'Disjoint', 'Equals', 'Touches', 'Crosses', 'Overlaps'].map((o) => `<ogc:SpatialOperator name="${o}"/>`).join('')}</ogc:SpatialOperators>
    </ogc:Spatial_Capabilities>
    <ogc:Scalar_Capabilities><ogc:LogicalOperators/><ogc:ComparisonOperators>${comparisons.map((c) => `<ogc:ComparisonOperator>${c}</ogc:ComparisonOperator>`).join('')}</ogc:ComparisonOperators></ogc:Scalar_Capabilities>
    <ogc:Id_Capabilities><ogc:FID/></ogc:Id_Capabilities>
  </ogc:Filter_Capabilities>
</WFS_Capabilities>`;
}
