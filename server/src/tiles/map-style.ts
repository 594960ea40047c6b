import type { LayerStyle } from '../layers/layer';
import type { ServedLayer } from './tile-store';

/** Distinct defaults per geometry family, from the GOV.UK colour palette, for layers with no stored colour. */
const DEFAULT_COLOURS: Record<'point' | 'line' | 'polygon', string[]> = {
  point: ['#d4351c', '#4c2c92', '#f47738', '#912b88'],
  line: ['#1d70b8', '#00703c', '#d53880', '#28a197'],
  polygon: ['#f499be', '#85994b', '#5694ca', '#ffdd00'],
};

function family(geometryType: string | null): 'point' | 'line' | 'polygon' {
  if (geometryType?.includes('Point')) return 'point';
  if (geometryType?.includes('LineString')) return 'line';
  return 'polygon';
}

/** A MapLibre style layer, loosely typed: the style spec is checked by the browser test that draws it. */
export type StyleLayer = Record<string, unknown>;

/** A small stable number from the slug: a layer alone gets the same default colour wherever it is drawn. */
function slugIndex(slug: string): number {
  let h = 0;
  for (const c of slug) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

/**
 * The MapLibre style layers that draw one Haenau layer from the vector source `source`. `index`,
 * its place in a set drawn together, keeps defaults distinct within the set.
 */
export function styleLayers(layer: ServedLayer, source: string, index?: number): StyleLayer[] {
  const kind = family(layer.currentVersion.geometryType);
  const s: LayerStyle = layer.style ?? {};
  const colour = s.color ?? DEFAULT_COLOURS[kind][(index ?? slugIndex(layer.slug)) % 4]!;
  const outline = s.outlineColor ?? '#0b0c0c';
  const common = { source, 'source-layer': layer.slug, metadata: { 'haenau:layer': layer.slug, 'haenau:title': layer.title } };
  if (kind === 'point') {
    return [
      {
        id: layer.slug,
        type: 'circle',
        ...common,
        paint: {
          'circle-color': colour,
          'circle-radius': s.circleRadius ?? 5,
          'circle-stroke-color': outline,
          'circle-stroke-width': 1,
        },
      },
    ];
  }
  if (kind === 'line') {
    return [{ id: layer.slug, type: 'line', ...common, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': colour, 'line-width': s.lineWidth ?? 3 } }];
  }
  return [
    { id: `${layer.slug}-fill`, type: 'fill', ...common, paint: { 'fill-color': colour, 'fill-opacity': s.fillOpacity ?? 0.4 } },
    { id: `${layer.slug}-outline`, type: 'line', ...common, paint: { 'line-color': s.outlineColor ?? colour, 'line-width': s.lineWidth ?? 1.5 } },
  ];
}

/**
 * A MapLibre style (v8) drawing these layers, bottom first, from one vector source: the dataset
 * TileJSON. It has no basemap, so it can be laid over any map or merged into another style.
 */
export function mapStyle(layers: ServedLayer[], o: { name: string; tileJsonUrl: string }) {
  const source = 'haenau';
  return {
    version: 8,
    name: o.name,
    sources: { [source]: { type: 'vector', url: o.tileJsonUrl } },
    layers: layers.flatMap((l, i) => styleLayers(l, source, layers.length > 1 ? i : undefined)),
  };
}
