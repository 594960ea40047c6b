import type { Geometry } from 'geojson';
import type { ServedCrs } from '../platform/geo/crs';

/** A filter expression, whatever language it came in (CQL2 text, CQL2 JSON, FES XML). */
export type Expr =
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: 'literal-boolean'; value: boolean }
  | { op: Comparison; left: Scalar; right: Scalar }
  | { op: 'like'; value: Scalar; pattern: string; caseInsensitive?: boolean }
  | { op: 'in'; value: Scalar; list: Scalar[] }
  | { op: 'between'; value: Scalar; low: Scalar; high: Scalar }
  | { op: 'isNull'; value: Scalar }
  | { op: SpatialOp; left: Spatial; right: Spatial }
  | { op: 'resourceId'; ids: string[] };

export type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

export const SPATIAL_OPS = ['s_intersects', 's_within', 's_contains', 's_disjoint', 's_equals', 's_touches', 's_crosses', 's_overlaps'] as const;
export type SpatialOp = (typeof SPATIAL_OPS)[number];

export type Scalar =
  | { kind: 'property'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; value: string }
  | { kind: 'timestamp'; value: string };

/** A geometry operand: the feature geometry, a literal geometry, or a bbox, in its own CRS or else the filter CRS. */
export type Spatial =
  | { kind: 'property'; name: string }
  | { kind: 'geometry'; geometry: Geometry; crs?: ServedCrs }
  | { kind: 'bbox'; bbox: [number, number, number, number]; crs?: ServedCrs };

/** A filter that cannot be read: the message names what and where (character position, 1-based). */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(position === undefined ? message : `${message} (at character ${position})`);
  }
}
