import type { PropertyField } from '../layers/layer';
import { CELLS_PER_TILE, thinningOf } from './thinning';
import { TILE_MATRIX_SET_ID } from './tile-matrix';
import { GENERALISED_TO_ZOOM, isGeneralised, isPointLayer, tileProperties } from './tile-sql';
import type { ServedLayer } from './tile-store';

/** Zoom up to which TileJSON tells clients to fetch tiles; deeper, a map over-zooms these (4096 units ≈ 0.15 m at z16). */
export const TILEJSON_MAXZOOM = 16;

const MVT_FIELD_TYPES: Record<string, string> = {
  string: 'String',
  date: 'String',
  'date-time': 'String',
  integer: 'Number',
  number: 'Number',
  boolean: 'Boolean',
};

/** vector_layers fields: what a tile carries (objects, arrays and nulls are not encoded in MVT). */
function fields(schema: PropertyField[]): Record<string, string> {
  const out: Record<string, string> = { '@id': 'String: the feature id, when it is not a plain integer (else the MVT feature id is the feature id)' };
  for (const f of schema) if (MVT_FIELD_TYPES[f.type]) out[f.name] = MVT_FIELD_TYPES[f.type]!;
  return out;
}

/** What a layer's low-zoom tiles leave out, in words and as data. */
export function generalisation(layer: ServedLayer) {
  const v = layer.currentVersion;
  const points = isPointLayer(v);
  const big = isGeneralised(v, 0);
  const lowZoomProperties = big ? tileProperties(v, 0).typed.map((c) => c.name) : null;
  const parts: string[] = [];
  const thinning = thinningOf(v);
  if (thinning) {
    const cells = CELLS_PER_TILE[thinning];
    const shows = thinning === 'points' ? 'one point' : 'the longest line whose centre lies in it';
    parts.push(`Up to zoom ${v.thinnedToZoom} each tile is cut into ${cells} × ${cells} cells and each cell shows ${shows}, the same one at every zoom.`);
  }
  if (!points) parts.push(`Up to zoom ${GENERALISED_TO_ZOOM} features smaller than a pixel (1/512 of a tile) are left out.`);
  if (lowZoomProperties) {
    parts.push(
      `Up to zoom ${GENERALISED_TO_ZOOM} tiles carry only the properties with few distinct values (${lowZoomProperties.join(', ') || 'none'}); every property is in the tiles from zoom ${GENERALISED_TO_ZOOM + 1}, and at /items/{featureId}.`,
    );
  }
  if (parts.length === 0) parts.push('Every feature is drawn at every zoom, with all its properties.');
  return {
    method: [thinning ? `${thinning === 'points' ? 'point' : 'line'}-grid-thinning` : null, points ? null : 'drop-sub-pixel', lowZoomProperties ? 'category-properties-only' : null].filter(Boolean),
    ...(thinning ? { cellsPerTile: CELLS_PER_TILE[thinning] } : {}),
    ...(lowZoomProperties ? { lowZoomProperties } : {}),
    fullDetailFromZoom: parts.length && (big || !points) ? GENERALISED_TO_ZOOM + 1 : 0,
    text: parts.join(' '),
  };
}

function unionBounds(layers: ServedLayer[]): [number, number, number, number] {
  const boxes = layers.map((l) => l.currentVersion.bbox).filter((b): b is [number, number, number, number] => b !== null);
  if (boxes.length === 0) return [-180, -85.0511, 180, 85.0511];
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.max(-85.0511, Math.min(...boxes.map((b) => b[1]))),
    Math.max(...boxes.map((b) => b[2])),
    Math.min(85.0511, Math.max(...boxes.map((b) => b[3]))),
  ];
}

/** A zoom at which the bounds fill roughly a 512-pixel view. */
function fittingZoom(b: [number, number, number, number]): number {
  const span = Math.max(b[2] - b[0], (b[3] - b[1]) * 1.5, 1e-6);
  return Math.max(0, Math.min(14, Math.floor(Math.log2(360 / span))));
}

/** TileJSON 3.0.0 for one layer or a set; `tiles` is the versioned URL template. */
export function tileJson(layers: ServedLayer[], o: { name: string; description?: string; tilesUrl: string }) {
  const bounds = unionBounds(layers);
  const attribution = [...new Set(layers.map((l) => l.attribution ?? l.licence))].join('; ');
  return {
    tilejson: '3.0.0',
    name: o.name,
    ...(o.description ? { description: o.description } : {}),
    attribution,
    scheme: 'xyz',
    tiles: [o.tilesUrl],
    minzoom: 0,
    maxzoom: TILEJSON_MAXZOOM,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, fittingZoom(bounds)],
    tileMatrixSet: TILE_MATRIX_SET_ID,
    vector_layers: layers.map((l) => ({
      id: l.slug,
      description: `${l.title.en}. ${generalisation(l).text}`,
      minzoom: 0,
      maxzoom: TILEJSON_MAXZOOM,
      fields: fields(l.currentVersion.propertySchema),
      geometry_type: l.currentVersion.geometryType,
      version: l.currentVersion.version,
      generalisation: generalisation(l),
    })),
  };
}
