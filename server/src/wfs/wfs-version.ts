/** What differs between the WFS versions we speak: namespaces, element names and the GML flavour. */
export interface WfsVersion {
  version: '2.0.0' | '1.1.0';
  wfsNamespace: string;
  gmlNamespace: string;
  gmlSchema: string;
  wfsSchema: string;
  /** Element wrapping each feature in a FeatureCollection. */
  member: string;
  /** The default GetFeature output format's MIME type. */
  gmlFormat: string;
}

export const WFS_200: WfsVersion = {
  version: '2.0.0',
  wfsNamespace: 'http://www.opengis.net/wfs/2.0',
  gmlNamespace: 'http://www.opengis.net/gml/3.2',
  gmlSchema: 'http://schemas.opengis.net/gml/3.2.1/gml.xsd',
  wfsSchema: 'http://schemas.opengis.net/wfs/2.0/wfs.xsd',
  member: 'wfs:member',
  gmlFormat: 'application/gml+xml; version=3.2',
};

/** WFS 1.1.0 with GML 3.1.1, for older clients; PostGIS's ST_AsGML(3, …) output suits both GML versions. */
export const WFS_110: WfsVersion = {
  version: '1.1.0',
  wfsNamespace: 'http://www.opengis.net/wfs',
  gmlNamespace: 'http://www.opengis.net/gml',
  gmlSchema: 'http://schemas.opengis.net/gml/3.1.1/base/gml.xsd',
  wfsSchema: 'http://schemas.opengis.net/wfs/1.1.0/wfs.xsd',
  member: 'gml:featureMember',
  gmlFormat: 'text/xml; subtype=gml/3.1.1',
};
