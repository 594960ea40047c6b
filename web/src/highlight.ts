import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

export const HIGHLIGHT_BOTTOM = 'highlight-fill';
const SOURCE = 'highlight';

/** Layers over every overlay that outline what is selected or found (GOV.UK focus yellow on black). */
export function addHighlightLayers(map: MapLibreMap): void {
  map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: HIGHLIGHT_BOTTOM, type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ffdd00', 'fill-opacity': 0.35 } });
  map.addLayer({ id: 'highlight-casing', type: 'line', source: SOURCE, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#0b0c0c', 'line-width': 7 } });
  map.addLayer({ id: 'highlight-line', type: 'line', source: SOURCE, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#ffdd00', 'line-width': 4 } });
  map.addLayer({ id: 'highlight-point', type: 'circle', source: SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 8, 'circle-color': '#ffdd00', 'circle-stroke-color': '#0b0c0c', 'circle-stroke-width': 3 } });
}

/** What the highlight shows: the selection and the near-this results, each kept until replaced. */
export class Highlight {
  private groups = new Map<string, GeoJSON.Feature[]>();
  constructor(private readonly map: MapLibreMap) {}

  set(group: 'selection' | 'near', features: GeoJSON.Feature[]): void {
    this.groups.set(group, features.filter((f) => f.geometry));
    const source = this.map.getSource(SOURCE) as GeoJSONSource | undefined;
    source?.setData({ type: 'FeatureCollection', features: [...this.groups.values()].flat() });
  }
}
