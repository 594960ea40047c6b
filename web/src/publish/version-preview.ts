import type { Map as MapLibreMap } from 'maplibre-gl';
import { h } from '../dom';
import type { Version } from './portal-api';
import { pt } from './portal-i18n';
import { type LayerLook, layerLook, mapContainer, portalMap } from './preview-map';

/**
 * Any version drawn on a map from its own tiles (the organisation's preview route), so an officer
 * sees what a version holds before rolling back to it. One map, reused for whichever version is chosen.
 */
export function versionPreview(slug: string, look: LayerLook) {
  const m = pt();
  const heading = h('h2', { class: 'govuk-heading-m', tabindex: '-1' });
  const container = mapContainer('version-map');
  const section = h('section', { hidden: true, 'data-testid': 'version-preview' }, heading, container);
  let map: Promise<MapLibreMap> | undefined;

  const show = async (v: Version) => {
    section.hidden = false;
    heading.textContent = m.previewHeading(v.version);
    heading.focus();
    const bounds = v.bbox ? ([v.bbox[0], v.bbox[1], v.bbox[2], v.bbox[3]] as [number, number, number, number]) : null;
    map ??= portalMap(container, m.previewMapLabel(v.version), m.basemap, bounds);
    const ready = await map;
    ready.getCanvas().setAttribute('aria-label', m.previewMapLabel(v.version));
    for (const layer of layerLook('version', slug, look)) if (ready.getLayer(layer.id)) ready.removeLayer(layer.id);
    if (ready.getSource('version')) ready.removeSource('version');
    ready.addSource('version', {
      type: 'vector',
      tiles: [`${location.origin}/api/layers/${encodeURIComponent(slug)}/versions/${v.version}/tiles/WebMercatorQuad/{z}/{y}/{x}`],
      ...(bounds ? { bounds } : {}),
      maxzoom: 16,
    });
    for (const layer of layerLook('version', slug, look)) ready.addLayer(layer);
    if (bounds) ready.fitBounds(bounds, { padding: 40, maxZoom: 15, animate: false });
    ready.once('idle', () => (container.dataset.version = String(v.version)));
  };
  return { section, show };
}
