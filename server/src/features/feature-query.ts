import type { ServedCrs } from '../platform/geo/crs';
import type { SqlFragment } from '../platform/sql/fragment';

/** What a reader asked for, already validated: the one shape both OGC API Features and WFS compile to. */
export interface FeatureQuery {
  /** x,y order, in `bbox.srid`; the SQL transforms the envelope, never the stored geometries. */
  bbox?: {
    coords: [number, number, number, number];
    srid: number;
    /** The layer holds only single points, for which the index's box test alone is exact. */
    pointsOnly?: boolean;
  };
  /** Exact-match filters on properties, already typed from the layer's schema. */
  equals: Array<{ name: string; value: string | number | boolean }>;
  /** Inclusive range on the layer's temporal property; open ends are undefined. */
  datetime?: { property: string; kind: 'date' | 'date-time'; start?: string; end?: string };
  /** Compiled filter (CQL2 or FES), values as bindings. */
  filter?: SqlFragment;
  /** Only these feature ids (WFS RESOURCEID). */
  ids?: string[];
  /** Properties to return; undefined means all. */
  properties?: string[];
  /** Sort keys; the default (and tie-breaker) is fid ascending. */
  sortBy?: Array<{ name: string; descending: boolean }>;
  limit: number;
  offset: number;
  /** Keyset paging: only features with fid greater than this (default order only). */
  after?: number;
  crs: ServedCrs;
  /** The version's table holds each feature's CRS84 GeoJSON (features-for-serving.ts): used when the page asks for exactly that. */
  prerendered?: boolean;
}

/** One page: each feature as GeoJSON text, ready to join. */
export interface FeaturePage {
  features: string[];
  /** Exact total when it was cheap to know; undefined otherwise (allowed by OGC API Features). */
  numberMatched?: number;
  /** True when at least one more feature follows this page. */
  hasMore: boolean;
  /** fid of the last feature, for the keyset `after` of the next page. */
  lastFid?: number;
}
