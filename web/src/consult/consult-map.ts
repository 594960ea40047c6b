import maplibregl, { type GeoJSONSource, type MapGeoJSONFeature } from 'maplibre-gl';
import { basemapStyle } from '../basemap-style';
import { positions } from '../geometry';
import { addHighlightLayers, Highlight } from '../highlight';
import { t } from '../i18n';
import { OverlayLayers, slugOfSource } from '../overlay-layers';
import type { Consultation, PublicResponse } from './consult-api';

/** Published comments, drawn over the consulted layers and under the citizen's own draft. */
const RESPONSES = 'responses';
const RESPONSE_LAYERS = ['responses-casing', 'responses-line', 'responses-point'];
const COMMENT_COLOUR = '#4c2c92';

export type LonLat = [number, number];
export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export function bboxOf(g: GeoJSON.Geometry): Bbox {
  const all = positions(g);
  const xs = all.map((p) => p[0]!);
  const ys = all.map((p) => p[1]!);
  return { west: Math.min(...xs), south: Math.min(...ys), east: Math.max(...xs), north: Math.max(...ys) };
}

/** What a click on the map met: where, the consulted layers' features there, and the published comment there. */
export interface MapClick {
  at: LonLat;
  features: { layer: string; id: string }[];
  responseId: string | undefined;
}

/** The MVT feature's OGC id: "@id" when the id is not a plain integer, else the tile's integer id. */
const ogcId = (f: MapGeoJSONFeature) => (f.properties?.['@id'] as string | undefined) ?? (f.id === undefined ? undefined : String(f.id));

/**
 * The consultation's map: the offline (or configured) basemap, the area outlined, each consulted
 * layer from its own vector tiles and stored style, the published comments, and the citizen's
 * draft in the highlight colours. The only file of the page that talks to MapLibre.
 */
export class ConsultMap {
  readonly highlight: Highlight;
  private readonly overlays: OverlayLayers;
  private readonly popup = new maplibregl.Popup({ maxWidth: '300px', focusAfterOpen: false });

  private constructor(readonly map: maplibregl.Map) {
    this.highlight = new Highlight(map);
    this.overlays = new OverlayLayers(map, () => (map.getLayer(RESPONSE_LAYERS[0]!) ? RESPONSE_LAYERS[0] : undefined));
  }

  static async create(container: HTMLElement, c: Consultation, o: { layers: string[]; view: { zoom: number; lat: number; lon: number } | null; label: string }): Promise<ConsultMap> {
    const style = await basemapStyle(t().basemap);
    const area = bboxOf(c.area);
    const map = new maplibregl.Map({
      container,
      style,
      ...(o.view ? { center: [o.view.lon, o.view.lat] as LonLat, zoom: o.view.zoom } : { bounds: [area.west, area.south, area.east, area.north], fitBoundsOptions: { padding: 24 } }),
      attributionControl: { compact: true },
      keyboard: true,
      locale: t().mapControls,
      dragRotate: false,
      pitchWithRotate: false,
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.getCanvas().setAttribute('aria-label', o.label);
    await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())));
    const cm = new ConsultMap(map);
    cm.addArea(c.area);
    cm.addResponseLayers();
    addHighlightLayers(map);
    await cm.overlays.sync(o.layers.map((slug) => ({ slug, visible: true, opacity: 1 })));
    return cm;
  }

  private addArea(area: Consultation['area']): void {
    this.map.addSource('area', { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: area } });
    this.map.addLayer({ id: 'area-fill', type: 'fill', source: 'area', paint: { 'fill-color': '#1d70b8', 'fill-opacity': 0.06 } });
    this.map.addLayer({ id: 'area-line', type: 'line', source: 'area', paint: { 'line-color': '#0b0c0c', 'line-width': 2, 'line-dasharray': [3, 2] } });
  }

  private addResponseLayers(): void {
    this.map.addSource(RESPONSES, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const lines = ['!=', ['geometry-type'], 'Point'] as maplibregl.FilterSpecification;
    this.map.addLayer({ id: 'responses-casing', type: 'line', source: RESPONSES, filter: lines, layout: { 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8 } });
    this.map.addLayer({ id: 'responses-line', type: 'line', source: RESPONSES, filter: lines, layout: { 'line-cap': 'round' }, paint: { 'line-color': COMMENT_COLOUR, 'line-width': 4, 'line-dasharray': [2, 1] } });
    this.map.addLayer({
      id: 'responses-point',
      type: 'circle',
      source: RESPONSES,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-color': COMMENT_COLOUR, 'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    });
  }

  setResponses(list: PublicResponse[]): void {
    const features = list.filter((r) => r.geometry).map((r) => ({ type: 'Feature' as const, properties: { rid: r.id }, geometry: r.geometry! }));
    (this.map.getSource(RESPONSES) as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  }

  /** The citizen's draft, or the feature they chose, in the highlight colours. */
  setDraft(features: GeoJSON.Feature[]): void {
    this.highlight.set('selection', features);
  }

  centre(): LonLat {
    const c = this.map.getCenter();
    return [c.lng, c.lat];
  }

  onClick(handler: (click: MapClick) => void): void {
    this.map.on('click', (e) => {
      const box: [[number, number], [number, number]] = [[e.point.x - 5, e.point.y - 5], [e.point.x + 5, e.point.y + 5]];
      const layers = this.overlays.layerIds().filter((id) => this.map.getLayer(id));
      const features = (layers.length ? this.map.queryRenderedFeatures(box, { layers }) : [])
        .map((f) => ({ layer: slugOfSource(f.source), id: ogcId(f) }))
        .filter((f): f is { layer: string; id: string } => f.layer !== undefined && f.id !== undefined);
      const response = this.map.queryRenderedFeatures(box, { layers: RESPONSE_LAYERS })[0];
      handler({ at: [e.lngLat.lng, e.lngLat.lat], features, responseId: response?.properties?.rid as string | undefined });
    });
  }

  /**
   * A popup with a comment: at the click, or (shown from the list) over the middle of the
   * geometry's top edge, with the geometry brought into the bottom part of the map: the popup then
   * opens above it, centred, and fits even a phone-sized map rather than covering what it is about.
   */
  showPopup(content: HTMLElement, geometry: GeoJSON.Geometry, at?: LonLat): void {
    const { clientWidth, clientHeight } = this.map.getContainer();
    this.popup.setMaxWidth(`${Math.min(300, clientWidth - 40)}px`);
    const b = bboxOf(geometry);
    const where: LonLat = at ?? [(b.west + b.east) / 2, b.north];
    const open = () => this.popup.setLngLat(where).setDOMContent(content).addTo(this.map);
    if (at) return void open();
    this.popup.remove();
    this.show(geometry, Math.min(clientHeight * 0.65, 280));
    // Opened where the camera ends, so MapLibre picks its anchor for the final view.
    if (this.map.isMoving()) this.map.once('moveend', open);
    else open();
  }

  /** Brings a geometry into view without jumping far: a short ease, none for people who ask for less motion. */
  show(geometry: GeoJSON.Geometry, top = 40): void {
    const b = bboxOf(geometry);
    const animate = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.map.fitBounds([b.west, b.south, b.east, b.north], { padding: { top, bottom: 20, left: 40, right: 40 }, maxZoom: Math.max(this.map.getZoom(), 15), animate });
  }

  resize(): void {
    this.map.resize();
  }
}
