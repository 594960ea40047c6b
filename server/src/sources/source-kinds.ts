import { arcgisSource } from './arcgis-source';
import { geojsonSource } from './geojson-source';
import { ogcapiSource } from './ogcapi-source';
import type { RemoteSource, SourceKind } from './remote-source';
import { wfsSource } from './wfs-source';

/** Every kind of remote service Haenau harvests; adding one is one file and one line here. */
export const SOURCE_KINDS: Record<SourceKind, RemoteSource> = {
  wfs: wfsSource,
  ogcapi: ogcapiSource,
  arcgis: arcgisSource,
  geojson: geojsonSource,
};
