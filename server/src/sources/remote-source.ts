import type { Feature } from 'geojson';
import type { Fetcher } from './safe-fetch';

/** The kinds of service a publisher can point Haenau at. */
export type SourceKind = 'wfs' | 'ogcapi' | 'arcgis' | 'geojson';

/** One thing a service offers that can become a layer: a WFS feature type, an OGC API collection, an ArcGIS layer, a GeoJSON document. */
export interface OfferedFeatureType {
  /** What PUT /api/layers/{slug}/source names: typeName, collectionId or layerId. */
  id: string;
  title?: string;
  description?: string;
  /** CRS names the service offers for it, e.g. "EPSG:27700". */
  crs?: string[];
  /** WGS84 bounds when the service says. */
  bbox?: [number, number, number, number];
  geometryType?: string;
}

/** What a service offers, from its capabilities / landing page / service JSON. */
export interface ServiceDescription {
  kind: SourceKind;
  /** The URL as normalised for harvesting (e.g. without GetCapabilities parameters). */
  url: string;
  title?: string;
  version?: string;
  /** Output formats the service lists (WFS), so the harvest can prefer GeoJSON. */
  outputFormats?: string[];
  /** Whether the service pages (WFS 2.0 ImplementsResultPaging, ArcGIS supportsPagination). */
  paging?: boolean;
  featureTypes: OfferedFeatureType[];
}

/** A page of features as the service sent them; coordinates are in `srid` in x/y (east/north) order. */
export interface FeaturePage {
  /** Parsed features (GML, Esri JSON) … */
  features?: Feature[];
  /** … or each GeoJSON feature's bytes as the service sent them, so they are parsed once, by the checker. */
  raw?: Buffer[];
  /** Further features of the same page, read only as they are asked for (after `features`). */
  moreFeatures?: Iterable<Feature[]>;
  /** For parsed features, text or bytes that change only when they do (the service's own), hashed instead of re-serialising them. */
  contentKey?: string | Uint8Array;
  /** Undefined when the service does not say (a plain GeoJSON file): the data decides, as for an upload. */
  srid: number | undefined;
  /** Bytes this page took on the wire, for progress and limits. */
  bytes: number;
}

export interface HarvestTarget {
  url: string;
  /** typeName (WFS), collectionId (OGC API), layerId (ArcGIS); unused for a GeoJSON URL. */
  featureType?: string;
}

/** In what order a source's pages come: sorted by a property it asked for, or the service's own. */
export type PageOrder = { sortedBy: string } | { unsortedBecause: string };

export interface PageOptions {
  pageSize: number;
  signal?: AbortSignal;
  /** Validators from the last harvest; a source that can ask conditionally does so and yields nothing when nothing changed. */
  validators?: { etag?: string; lastModified?: string };
  /** Set by the source when the service answered with validators (ETag / Last-Modified). */
  onValidators?: (v: { etag?: string; lastModified?: string }) => void;
  /** Set by the source when the service said "not modified". */
  onNotModified?: () => void;
  /**
   * Set by a source that asks for several pages: with the property it asked the service to sort by,
   * or why it could not. Unsorted, pages of a server that keeps no order may overlap.
   */
  onPaging?: (order: PageOrder) => void;
}

/** One implementation per kind of service (wfs-source.ts, ogcapi-source.ts, arcgis-source.ts, geojson-source.ts). */
export interface RemoteSource {
  kind: SourceKind;
  /** Does this URL look like this kind of service (without fetching)? Used to pick a kind when the publisher does not say. */
  recognises(url: URL): boolean;
  describe(url: string, fetcher: Fetcher): Promise<ServiceDescription>;
  pages(target: HarvestTarget, fetcher: Fetcher, options: PageOptions): AsyncIterable<FeaturePage>;
}

/** The service answered, but not with something we can use (wrong content type, bad XML, an exception report). */
export class SourceResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceResponseError';
  }
}

/** How many features a page holds, parsed or not. */
export const featuresIn = (page: FeaturePage): number => (page.raw ?? page.features ?? []).length;
