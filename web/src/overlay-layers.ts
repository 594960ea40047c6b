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
  layers: LayerSpecification[];
  baseOpacity: Map<string, number>;
}

export const sourceId = (slug: string) => `overlay:${slug}`;

/**
 * Puts Haenau layers on a MapLibre map: one vector source per layer (its TileJSON, so adding a
 * layer fetches only that layer's tiles), the style layers from its stored style, kept in the
 * order of the panel, under the highlight layers.
 */
export class OverlayLayers {
  private drawn = new Map<string, DrawnOverlay>();
  private pending = new Map<string, Promise<DrawnOverlay>>();

  constructor(private readonly map: MapLibreMap, private readonly beforeId: () => string | undefined) {}

  layerIds(slug?: string): string[] {
    const all = slug ? [this.drawn.get(slug)].filter(Boolean) : [...this.drawn.values()];
    return all.flatMap((d) => d!.layers.map((l) => l.id));
  }

  drawnOverlay(slug: string): DrawnOverlay | undefined {
    return this.drawn.get(slug);
  }

  /** Which overlay a rendered style layer belongs to. */
  slugOfLayer(layerId: string): string | undefined {
    for (const [slug, d] of this.drawn) if (d.layers.some((l) => l.id === layerId)) return slug;
    return undefined;
  }

  private load(slug: string): Promise<DrawnOverlay> {
    let p = this.pending.get(slug);
    if (!p) {
      p = api.style(slug).then((style) => {
        const [source] = Object.values(style.sources) as { url: string }[];
        const src = sourceId(slug);
        if (!this.map.getSource(src)) this.map.addSource(src, { type: 'vector', url: new URL(source!.url, location.origin).href });
        const layers = style.layers.map((l) => ({ ...l, id: `${src}:${l.id as string}`, source: src }) as unknown as LayerSpecification);
        const baseOpacity = new Map<string, number>();
        for (const l of layers) {
          const paint = (l as { paint?: Record<string, unknown> }).paint ?? {};
          for (const prop of OPACITY_PAINT[l.type] ?? []) baseOpacity.set(`${l.id}|${prop}`, typeof paint[prop] === 'number' ? (paint[prop] as number) : 1);
        }
        const d = { slug, layers, baseOpacity };
        this.drawn.set(slug, d);
        return d;
      });
      this.pending.set(slug, p);
      p.catch(() => this.pending.delete(slug));
    }
    return p;
  }

  /** Makes the map draw exactly these overlays (top first), adding, removing, ordering and fading as needed. */
  async sync(overlays: Overlay[]): Promise<void> {
    const wanted = new Set(overlays.map((o) => o.slug));
    for (const slug of [...this.drawn.keys()]) {
      if (wanted.has(slug)) continue;
      for (const id of this.layerIds(slug)) if (this.map.getLayer(id)) this.map.removeLayer(id);
      if (this.map.getSource(sourceId(slug))) this.map.removeSource(sourceId(slug));
      this.drawn.delete(slug);
      this.pending.delete(slug);
    }
    const loaded = await Promise.allSettled(overlays.map((o) => this.load(o.slug)));
    // Bottom first: each is moved just under the highlight layers, so the top of the list ends on top.
    for (let i = overlays.length - 1; i >= 0; i--) {
      const o = overlays[i]!;
      const r = loaded[i]!;
      if (r.status !== 'fulfilled' || !this.drawn.has(o.slug)) continue;
      for (const l of r.value.layers) {
        if (!this.map.getLayer(l.id)) this.map.addLayer(l, this.beforeId());
        else this.map.moveLayer(l.id, this.beforeId());
        this.map.setLayoutProperty(l.id, 'visibility', o.visible ? 'visible' : 'none');
        for (const prop of OPACITY_PAINT[l.type] ?? []) {
          this.map.setPaintProperty(l.id, prop, (r.value.baseOpacity.get(`${l.id}|${prop}`) ?? 1) * o.opacity);
        }
      }
    }
  }
}
