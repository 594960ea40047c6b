import type { StyleSpecification } from 'maplibre-gl';
import { api } from './api';

/**
 * The basemap drawn when no BASEMAP_STYLE_URL is set: sea, land and national borders from
 * Natural Earth data the build writes to /basemap/, so the map works with no network at all.
 */
export function offlineBasemapStyle(attribution: string): StyleSpecification {
  return {
    version: 8,
    name: 'Haenau offline basemap',
    sources: {
      land: { type: 'geojson', data: '/basemap/land.json', attribution, maxzoom: 10 },
      borders: { type: 'geojson', data: '/basemap/borders.json', maxzoom: 10 },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#d5e8f3' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f3f2f1', 'fill-outline-color': '#8eb8dc' } },
      { id: 'coast', type: 'line', source: 'land', paint: { 'line-color': '#5694ca', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.5, 12, 1.5] } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#6f777b', 'line-width': 1, 'line-dasharray': [3, 2] } },
    ],
  };
}

let configured: Promise<string | null> | undefined;

/** The operator's basemap (BASEMAP_STYLE_URL, asked for once a page) or, without one, the offline basemap. */
export async function basemapStyle(attribution: string): Promise<StyleSpecification | string> {
  configured ??= api.config().then((c) => c.basemapStyleUrl, () => null);
  return (await configured) ?? offlineBasemapStyle(attribution);
}
