import type { LayerSpecification, LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';
import { basemapStyle } from '../basemap-style';
import { h } from '../dom';

/** MapLibre is fetched the first time a portal page draws a map: signing in and forms need none of it. */
const loadMapLibre = () => import('maplibre-gl').then((m) => m.default);

export interface LayerLook {
  color?: string;
  outlineColor?: string;
  lineWidth?: number;
  circleRadius?: number;
  fillOpacity?: number;
}

/** A map in the portal: the same basemap as the citizen map, a label for screen readers, zoom buttons. */
export async function portalMap(container: HTMLElement, label: string, attribution: string, bounds?: LngLatBoundsLike | null): Promise<MapLibreMap> {
  const maplibregl = await loadMapLibre();
  const map = new maplibregl.Map({
    container,
    style: await basemapStyle(attribution),
    center: [-3.75, 52.35],
    zoom: 6.2,
    attributionControl: { compact: true },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', label);
  if (bounds) map.fitBounds(bounds, { padding: 40, maxZoom: 15, animate: false });
  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())));
  return map;
}

/** The box a map needs for a map container: a fixed height, the width of the column. */
export const mapContainer = (testid: string) => h('div', { class: 'app-portal__map', 'data-testid': testid });

/** Style layers drawing one MVT layer whatever geometries it holds, in the layer's own colours. */
export function layerLook(source: string, sourceLayer: string, look: LayerLook): LayerSpecification[] {
  const colour = look.color ?? '#1d70b8';
  const common = { source, 'source-layer': sourceLayer } as const;
  return [
    { id: `${source}-fill`, type: 'fill', ...common, filter: ['==', '$type', 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': look.fillOpacity ?? 0.4 } },
    { id: `${source}-line`, type: 'line', ...common, filter: ['!=', '$type', 'Point'], paint: { 'line-color': look.outlineColor ?? colour, 'line-width': look.lineWidth ?? 2 } },
    {
      id: `${source}-point`,
      type: 'circle',
      ...common,
      filter: ['==', '$type', 'Point'],
      paint: { 'circle-color': colour, 'circle-radius': look.circleRadius ?? 5, 'circle-stroke-color': look.outlineColor ?? '#0b0c0c', 'circle-stroke-width': 1 },
    },
  ];
}
