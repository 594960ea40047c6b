import type { Layer } from '../layers/layer';
import { escapeXml, xmlName } from '../platform/xml';
import { WFS_NAMESPACE, WFS_PREFIX } from './wfs-names';
import { WFS_200, type WfsVersion } from './wfs-version';

const XSD_TYPE: Record<string, string> = {
  string: 'xsd:string',
  integer: 'xsd:long',
  number: 'xsd:double',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  'date-time': 'xsd:dateTime',
};

const GML_TYPE: Record<string, string> = {
  Point: 'gml:PointPropertyType',
  MultiPoint: 'gml:MultiPointPropertyType',
  // The GML 3.1 names GDAL and QGIS map to simple (non-curve) geometry types.
  LineString: 'gml:LineStringPropertyType',
  MultiLineString: 'gml:MultiLineStringPropertyType',
  Polygon: 'gml:PolygonPropertyType',
  MultiPolygon: 'gml:MultiPolygonPropertyType',
};

/** The XSD for one or more layers, from each current version's property schema. */
export function describeFeatureTypeXml(layers: Layer[], wfs: WfsVersion = WFS_200): string {
  const types = layers
    .map((layer) => {
      const v = layer.currentVersion!;
      const fields = v.propertySchema
        .map((p) => `\n        <xsd:element name="${escapeXml(xmlName(p.name))}" type="${XSD_TYPE[p.type] ?? 'xsd:string'}" minOccurs="0" nillable="true"/>`)
        .join('');
      const name = escapeXml(layer.slug);
      return `
  <xsd:element name="${name}" type="${WFS_PREFIX}:${name}Type" substitutionGroup="${wfs.version === '2.0.0' ? 'gml:AbstractFeature' : 'gml:_Feature'}"/>
  <xsd:complexType name="${name}Type">
    <xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
        <xsd:element name="geometry" type="${GML_TYPE[v.geometryType ?? ''] ?? 'gml:GeometryPropertyType'}" minOccurs="0" nillable="true"/>${fields}
    </xsd:sequence></xsd:extension></xsd:complexContent>
  </xsd:complexType>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="${wfs.gmlNamespace}" xmlns:${WFS_PREFIX}="${WFS_NAMESPACE}" targetNamespace="${WFS_NAMESPACE}" elementFormDefault="qualified" version="${wfs.version}">
  <xsd:import namespace="${wfs.gmlNamespace}" schemaLocation="${wfs.gmlSchema}"/>${types}
</xsd:schema>`;
}
