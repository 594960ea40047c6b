import type { Map as MapLibreMap } from 'maplibre-gl';
import { api, type LayerSummary } from './api';
import type { MapState, Overlay } from './map-state';
import type { OverlayLayers } from './overlay-layers';

/** A feature the citizen picked: which layer, which id, and (once read) the feature itself. */
export interface Selection {
  slug: string;
  id: string | number;
  feature?: GeoJSON.Feature;
}

/**
 * `paint`: only opacity changed, so panels need not re-render (a slider being dragged must stay put).
 * `drawn`: after an overlays change, the map has every overlay's style layers.
 */
export type ChangeKind = 'overlays' | 'paint' | 'drawn' | 'lang' | 'view' | 'selection';

/**
 * The one mutable place: what is on the map and in what order, the language, the selection.
 * Panels read it and call its methods; every change notifies listeners, which re-render.
 */
export class AppState {
  readonly layers = new Map<string, LayerSummary>();
  selection: Selection | null = null;
  private listeners: ((kind: ChangeKind) => void)[] = [];

  constructor(
    public state: MapState,
    readonly map: MapLibreMap,
    readonly overlays: OverlayLayers,
    readonly announce: (message: string) => void,
  ) {}

  onChange(listener: (kind: ChangeKind) => void): void {
    this.listeners.push(listener);
  }

  emit(kind: ChangeKind): void {
    if (kind === 'overlays' || kind === 'paint') {
      const synced = this.overlays.sync(this.state.overlays);
      if (kind === 'overlays') void synced.then(() => this.emit('drawn'));
    }
    for (const l of this.listeners) l(kind);
  }

  /** Layer metadata, from the catalogue's answers or asked for once (a shared link names layers by slug). */
  async layer(slug: string): Promise<LayerSummary> {
    const known = this.layers.get(slug);
    if (known) return known;
    const layer = await api.layer(slug);
    this.layers.set(slug, layer);
    return layer;
  }

  remember(layers: LayerSummary[]): void {
    for (const l of layers) this.layers.set(l.slug, l);
  }

  isOnMap = (slug: string) => this.state.overlays.some((o) => o.slug === slug);

  addOverlay(slug: string): void {
    if (this.isOnMap(slug)) return;
    this.state.overlays = [{ slug, opacity: 1, visible: true }, ...this.state.overlays];
    this.emit('overlays');
  }

  removeOverlay(slug: string): void {
    this.state.overlays = this.state.overlays.filter((o) => o.slug !== slug);
    if (this.selection?.slug === slug) this.select(null);
    this.emit('overlays');
  }

  update(slug: string, change: Partial<Overlay>): void {
    this.state.overlays = this.state.overlays.map((o) => (o.slug === slug ? { ...o, ...change } : o));
    this.emit(Object.keys(change).every((k) => k === 'opacity') ? 'paint' : 'overlays');
  }

  /** Moves a layer to `index` in the list (0 = top, drawn over the rest). */
  move(slug: string, index: number): void {
    const from = this.state.overlays.findIndex((o) => o.slug === slug);
    if (from < 0) return;
    const to = Math.max(0, Math.min(this.state.overlays.length - 1, index));
    const list = [...this.state.overlays];
    const [o] = list.splice(from, 1);
    list.splice(to, 0, o!);
    this.state.overlays = list;
    this.emit('overlays');
  }

  select(selection: Selection | null): void {
    this.selection = selection;
    this.emit('selection');
  }
}
