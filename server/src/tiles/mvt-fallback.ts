import { fromVectorTileJs, type VectorTileFeatureLike, type VectorTileLayerLike } from '@maplibre/vt-pbf';
import type Point from '@mapbox/point-geometry';
import type { Geometry, Position } from 'geojson';
import type { LayerVersion } from '../layers/layer';
import { type SqlFragment, sql } from '../platform/sql/fragment';
import { BUFFER, EXTENT, type TileAddress, tileBounds3857, tileSpan } from './tile-matrix';
import { tileSource } from './tile-sql';

/**
 * The MVT encoder for a PostGIS without protobuf (the embedded PGlite has no ST_AsMVT): PostGIS
 * still clips, simplifies, moves into the tile's 4096 grid, snaps, repairs and orients — the work
 * ST_AsMVTGeom does — and Node only writes the protobuf, with MapLibre's vt-pbf. Properties follow
 * ST_AsMVT's rules: strings, numbers and booleans are kept; nulls, objects and arrays are left out.
 */
export interface FallbackRow {
  mvt_id: string | number;
  /** The attributes as JSON text: typed columns and the jsonb rest, merged. */
  p: string;
  g: string;
}

/** The rows of one layer's tile, geometry as GeoJSON in tile coordinates (integers, y down). */
export function fallbackRowsSql(v: LayerVersion, t: TileAddress): SqlFragment {
  const source = tileSource(v, t);
  const [minX, , , maxY] = tileBounds3857(t);
  const span = tileSpan(t.z);
  const s = EXTENT / span;
  const b = (BUFFER / EXTENT) * span;
  const clipBox = `ST_MakeEnvelope(${minX - b}, ${maxY - span - b}, ${minX + span + b}, ${maxY + b}, 3857)`;
  const inGrid = `ST_SnapToGrid(ST_Affine(ST_ClipByBox2D(${source.geom}, ${clipBox}), ${s}, 0, 0, ${-s}, ${-minX * s}, ${maxY * s}), 1)`;
  // Snapping can fold a polygon onto itself; MVT readers need valid rings, exterior clockwise on screen.
  const shaped = `CASE WHEN ST_Dimension(g) = 2
      THEN ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(g), 3))
      ELSE ST_RemoveRepeatedPoints(g) END`;
  return sql(
    `SELECT mvt_id, p, ST_AsGeoJSON(tg, 0) AS g FROM (
       SELECT mvt_id, p, ${shaped} AS tg FROM (
         SELECT ${source.mvtId} AS mvt_id, ${source.json} AS p, ${inGrid} AS g FROM ${source.from} WHERE ${source.where}) clipped
        WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)) s
     WHERE tg IS NOT NULL AND NOT ST_IsEmpty(tg)`,
  );
}

type Rings = Point[][];
const pt = (p: Position) => ({ x: p[0]!, y: p[1]! }) as Point;

/** MVT geometry: type 1 points (one run of all points), 2 lines, 3 polygon rings in order. */
function mvtGeometry(g: Geometry): { type: 1 | 2 | 3; rings: Rings } | undefined {
  switch (g.type) {
    case 'Point':
      return { type: 1, rings: [[pt(g.coordinates)]] };
    case 'MultiPoint':
      return { type: 1, rings: [g.coordinates.map(pt)] };
    case 'LineString':
      return g.coordinates.length > 1 ? { type: 2, rings: [g.coordinates.map(pt)] } : undefined;
    case 'MultiLineString': {
      const rings = g.coordinates.filter((l) => l.length > 1).map((l) => l.map(pt));
      return rings.length ? { type: 2, rings } : undefined;
    }
    case 'Polygon':
      return g.coordinates.length ? { type: 3, rings: g.coordinates.map((r) => r.map(pt)) } : undefined;
    case 'MultiPolygon': {
      const rings = g.coordinates.flatMap((poly) => poly.map((r) => r.map(pt)));
      return rings.length ? { type: 3, rings } : undefined;
    }
    default:
      return undefined;
  }
}

function mvtProperties(json: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(JSON.parse(json) as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** One MVT layer from the fallback rows; an empty buffer when no feature survived, as ST_AsMVT does. */
export function encodeFallbackLayer(name: string, rows: FallbackRow[]): Uint8Array {
  const features: VectorTileFeatureLike[] = [];
  for (const r of rows) {
    const geometry = mvtGeometry(JSON.parse(r.g) as Geometry);
    if (!geometry) continue;
    features.push({
      type: geometry.type,
      id: Number(r.mvt_id),
      properties: mvtProperties(r.p),
      extent: EXTENT,
      loadGeometry: () => geometry.rings,
    });
  }
  if (features.length === 0) return new Uint8Array(0);
  const layer: VectorTileLayerLike = { version: 2, name, extent: EXTENT, length: features.length, feature: (i) => features[i]! };
  return fromVectorTileJs({ layers: { [name]: layer } });
}
