import maplibregl, { type MapGeoJSONFeature } from 'maplibre-gl';
import { api } from './api';
import type { AppState } from './app-state';
import { h, replaceChildren } from './dom';
import { positions } from './geometry';
import { slugOfSource } from './overlay-layers';
import { localised, localisedText, t } from './i18n';

/** A property value as plain text: publishers' data is shown, never interpreted as HTML. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined || v === '') return t().noValue;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A short name for a feature: its first text property that looks like a name, else its id. */
export function featureLabel(f: GeoJSON.Feature): string {
  const p = f.properties ?? {};
  const key = Object.keys(p).find((k) => /^(name|enw|title|teitl|label)$/i.test(k)) ?? Object.keys(p).find((k) => typeof p[k] === 'string');
  return key ? String(p[key]) : `${t().feature} ${f.id ?? ''}`;
}

export function attributeList(f: GeoJSON.Feature): HTMLElement {
  return h('dl', {}, ...Object.entries(f.properties ?? {}).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, valueText(v))]));
}

/** The MVT feature's OGC id: the tile id, or "@id" when the id is not a plain integer. */
function ogcId(f: MapGeoJSONFeature): string | number | undefined {
  return (f.properties?.['@id'] as string | undefined) ?? f.id;
}

/**
 * The selected feature: read from items/{id} (tiles carry only some properties at low zoom), shown
 * in the panel — an aria-live region — and in a popup on the map.
 */
export class FeatureDetails {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'selected-heading' });
  private popup = new maplibregl.Popup({ maxWidth: '320px', focusAfterOpen: false });

  constructor(private readonly app: AppState) {
    app.onChange((kind) => {
      if (kind === 'selection' || kind === 'lang') this.render();
    });
    app.map.on('click', (e) => this.pickAt(e.point.x, e.point.y));
  }

  /** Selects the top feature under a screen point (a click, or the map centre for keyboard users). */
  pickAt(x: number, y: number): boolean {
    const layers = this.app.overlays.layerIds().filter((id) => this.app.map.getLayer(id));
    const hits = this.app.map.queryRenderedFeatures([[x - 4, y - 4], [x + 4, y + 4]], { layers });
    const hit = hits.find((f) => ogcId(f) !== undefined);
    const slug = hit && slugOfSource(hit.source);
    if (!hit || !slug) return false;
    void this.open(slug, ogcId(hit)!, this.app.map.unproject([x, y]));
    return true;
  }

  async open(slug: string, id: string | number, at?: maplibregl.LngLat): Promise<void> {
    this.app.select({ slug, id });
    try {
      const feature = await api.feature(slug, id);
      if (this.app.selection?.slug !== slug || this.app.selection.id !== id) return;
      this.app.select({ slug, id, feature });
      const where = at ?? (feature.geometry ? (positions(feature.geometry)[0] as [number, number] | undefined) : undefined);
      if (where) this.popup.setLngLat(where).setDOMContent(this.popupContent(slug, feature)).addTo(this.app.map);
    } catch {
      this.app.announce(t().failed);
    }
  }

  private popupContent(slug: string, f: GeoJSON.Feature): HTMLElement {
    const meta = this.app.layers.get(slug);
    return h('div', { class: 'app-popup', 'data-testid': 'popup' }, h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, h('strong', {}, featureLabel(f)), meta ? h('span', {}, ' – ', localised(meta.title)) : null), attributeList(f));
  }

  render(): void {
    const m = t();
    const s = this.app.selection;
    const meta = s ? this.app.layers.get(s.slug) : undefined;
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'selected-heading' }, m.selected),
      h(
        'button',
        {
          class: 'govuk-button govuk-button--secondary',
          type: 'button',
          on: {
            click: () => {
              const c = this.app.map.getCanvas();
              if (!this.pickAt(c.clientWidth / 2, c.clientHeight / 2)) this.app.announce(m.nothingHere);
            },
          },
        },
        m.whatsHere,
      ),
      h(
        'div',
        { 'aria-live': 'polite', class: 'app-details govuk-body-s', 'data-testid': 'details' },
        !s
          ? h('p', { class: 'govuk-body-s' }, m.nothingSelected)
          : !s.feature
            ? h('p', {}, m.loading)
            : h('div', {}, h('h3', { class: 'govuk-heading-s' }, featureLabel(s.feature), meta ? h('span', { class: 'govuk-caption-m' }, localisedText(meta.title)) : null), attributeList(s.feature)),
      ),
    );
  }
}
