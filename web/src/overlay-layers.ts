import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { api } from './api';
import type { Overlay } from './map-state';

/** The paint property that carries each style layer type's opacity. */
const OPACITY_PAINT: Record<string, string[]> = {
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  line: ['line-opacity'],
  fill: ['fill-opacity'],
  symbol: ['icon-opacity', 'text-opacity'],
};

/** One overlay's style layers as drawn, with their base opacities so a slider can scale them. */
export interface DrawnOverlay {
  slug: string;
  sourceUrl: string;
  layers: LayerSpecification[];
  baseOpacity: Map<string, number>;
}

export const sourceId = (slug: string) => `overlay:${slug}`;
/** The overlay a vector source draws, or undefined for the basemap and highlight sources. */
export const slugOfSource = (source: string) => (source.startsWith('overlay:') ? source.slice('overlay:'.length) : undefined);

/**
 * Puts Haenau layers on a MapLibre map: one vector source per layer (its TileJSON, so adding a
 * layer fetches only that layer's tiles), the style layers from its stored style, kept in the
 * order of the panel, under the highlight layers.
 */
export class OverlayLayers {
  /** What the map draws now, by slug. */
  private drawn = new Map<string, DrawnOverlay>();
  /** Styles fetched (or being fetched), by slug; kept so re-adding a layer costs no request. */
  private loaded = new Map<string, Promise<DrawnOverlay>>();
  private latest: Overlay[] = [];

  constructor(private readonly map: MapLibreMap, private readonly beforeId: () => string | undefined) {}

  layerIds(slug?: string): string[] {
    const drawn = slug === undefined ? [...this.drawn.values()] : [this.drawn.get(slug)];
    return drawn.flatMap((d) => d?.layers.map((l) => l.id) ?? []);
  }

  drawnOverlay(slug: string): DrawnOverlay | undefined {
    return this.drawn.get(slug);
  }

  /** A layer's style, fetched once and prepared for its own source; nothing touches the map here. */
  private load(slug: string): Promise<DrawnOverlay> {
    let p = this.loaded.get(slug);
    if (!p) {
      p = api.style(slug).then((style) => {
        const [source] = Object.values(style.sources) as { url: string }[];
        const src = sourceId(slug);
        const layers = style.layers.map((l) => ({ ...l, id: `${src}:${l.id as string}`, source: src }) as unknown as LayerSpecification);
        const baseOpacity = new Map<string, number>();
        for (const l of layers) {
          const paint = (l as { paint?: Record<string, unknown> }).paint ?? {};
          for (const prop of OPACITY_PAINT[l.type] ?? []) baseOpacity.set(`${l.id}|${prop}`, typeof paint[prop] === 'number' ? (paint[prop] as number) : 1);
        }
        return { slug, sourceUrl: new URL(source!.url, location.origin).href, layers, baseOpacity };
      });
      this.loaded.set(slug, p);
      p.catch(() => this.loaded.delete(slug));
    }
    return p;
  }

  /** Makes the map draw exactly these overlays (top first), adding, removing, ordering and fading as needed. */
  async sync(overlays: Overlay[]): Promise<void> {
    this.latest = overlays;
    const loaded = await Promise.allSettled(overlays.map((o) => this.load(o.slug)));
    // A newer call came while the styles loaded: it draws the newer list.
    if (this.latest !== overlays) return;
    const wanted = new Set(overlays.map((o) => o.slug));
    for (const slug of [...this.drawn.keys()]) {
      if (wanted.has(slug)) continue;
      for (const id of this.layerIds(slug)) this.map.removeLayer(id);
      this.map.removeSource(sourceId(slug));
      this.drawn.delete(slug);
    }
    // Bottom first: each is moved just under the highlight layers, so the top of the list ends on top.
    for (let i = overlays.length - 1; i >= 0; i--) {
      const o = overlays[i]!;
      const r = loaded[i]!;
      if (r.status !== 'fulfilled') continue;
      const d = r.value;
      if (!this.drawn.has(o.slug)) {
        this.map.addSource(sourceId(o.slug), { type: 'vector', url: d.sourceUrl });
        this.drawn.set(o.slug, d);
      }
      for (const l of d.layers) {
        if (!this.map.getLayer(l.id)) this.map.addLayer(l, this.beforeId());
        else this.map.moveLayer(l.id, this.beforeId());
        this.map.setLayoutProperty(l.id, 'visibility', o.visible ? 'visible' : 'none');
        for (const prop of OPACITY_PAINT[l.type] ?? []) {
          this.map.setPaintProperty(l.id, prop, (d.baseOpacity.get(`${l.id}|${prop}`) ?? 1) * o.opacity);
        }
      }
    }
  }
}
