import { LngLatBounds } from 'maplibre-gl';
import { api } from './api';
import type { AppState } from './app-state';
import { h, keepingFocus, replaceChildren, uid } from './dom';
import { featureLabel, type FeatureDetails } from './feature-details';
import { positions } from './geometry';
import type { Highlight } from './highlight';
import { localisedText, t } from './i18n';
import { featuresWithin } from './near-geometry';

/** Layers up to this size are searched in the browser with Turf; bigger ones by the server (ST_DWithin). */
export const BROWSER_NEAR_MAX_FEATURES = 2000;
const DISTANCES = [100, 250, 500, 1000, 2000, 5000];

interface Found {
  slug: string;
  features: (GeoJSON.Feature & { distance: number })[];
  complete: boolean;
}

/** "Near this": which features of the other visible layers lie within a distance of the selection or the map centre. */
export class NearThis {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'near-heading' });
  private distance = 500;
  private found: { results: Found[]; where: 'browser' | 'server' } | null = null;
  private smallLayers = new Map<string, Promise<GeoJSON.Feature[]>>();

  constructor(private readonly app: AppState, private readonly details: FeatureDetails, private readonly highlight: Highlight) {
    app.onChange((kind) => {
      if (kind === 'lang' || kind === 'selection' || kind === 'overlays') keepingFocus(this.el, () => this.render());
    });
  }

  /** Layers to search: the visible overlays other than the selection's own. */
  private targets(): string[] {
    return this.app.state.overlays.filter((o) => o.visible && o.slug !== this.app.selection?.slug).map((o) => o.slug);
  }

  private async find(): Promise<void> {
    const s = this.app.selection?.feature ? this.app.selection : null;
    const centre = this.app.map.getCenter();
    const origin: GeoJSON.Geometry = s?.feature?.geometry ?? { type: 'Point', coordinates: [centre.lng, centre.lat] };
    const slugs = this.targets();
    const layers = await Promise.all(slugs.map((slug) => this.app.layer(slug)));
    try {
      if (layers.every((l) => l.featureCount <= BROWSER_NEAR_MAX_FEATURES)) {
        const results = await Promise.all(slugs.map(async (slug) => ({ slug, features: featuresWithin(origin, await this.small(slug), this.distance), complete: true })));
        this.found = { results, where: 'browser' };
      } else {
        const from = s ? `${s.slug}/${s.id}` : `point:${centre.lng.toFixed(6)},${centre.lat.toFixed(6)}`;
        const answer = await api.near(from, this.distance, slugs);
        this.found = { results: answer.collections.map((c) => ({ slug: c.id, features: c.features, complete: c.complete })), where: 'server' };
      }
    } catch {
      this.app.announce(t().failed);
      return;
    }
    const found = this.found.results.flatMap((r) => r.features);
    this.highlight.set('near', found);
    this.showAll([{ type: 'Feature', properties: {}, geometry: origin }, ...found]);
    keepingFocus(this.el, () => this.render());
    this.app.announce(this.found.results.map((r) => this.resultLine(r)).join('. '));
  }

  /** Brings the origin and everything found into view, so what is listed is also seen. */
  private showAll(features: GeoJSON.Feature[]): void {
    const bounds = new LngLatBounds();
    for (const f of features) if (f.geometry) for (const p of positions(f.geometry)) bounds.extend(p as [number, number]);
    if (!bounds.isEmpty()) this.app.map.fitBounds(bounds, { padding: 48, maxZoom: 15, duration: 0 });
  }

  /** A small layer's features, fetched once per layer version. */
  private small(slug: string): Promise<GeoJSON.Feature[]> {
    const key = `${slug}@${this.app.layers.get(slug)?.currentVersion?.version ?? 0}`;
    let p = this.smallLayers.get(key);
    if (!p) {
      p = api.allFeatures(slug);
      this.smallLayers.set(key, p);
    }
    return p;
  }

  private resultLine(r: Found): string {
    const meta = this.app.layers.get(r.slug);
    return t().nearResult(r.features.length, meta ? localisedText(meta.title) : r.slug, r.complete);
  }

  render(): void {
    const m = t();
    const distanceId = uid('near-distance');
    const s = this.app.selection?.feature ? this.app.selection : null;
    const targets = this.targets();
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'near-heading' }, m.near),
      h('p', { class: 'govuk-body-s' }, `${m.nearFrom} `, h('strong', {}, s ? m.nearFromFeature(featureLabel(s.feature!)) : m.nearFromCentre)),
      h(
        'div',
        { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label', for: distanceId }, m.nearDistance),
        h(
          'select',
          { class: 'govuk-select', id: distanceId, 'data-key': 'near-distance', on: { change: (e) => { this.distance = Number((e.target as HTMLSelectElement).value); } } },
          ...DISTANCES.map((d) => h('option', { value: d, selected: d === this.distance }, m.metres(d))),
        ),
      ),
      targets.length === 0
        ? h('p', { class: 'govuk-body-s' }, m.nearNeedsLayers)
        : h('button', { class: 'govuk-button', type: 'button', 'data-key': 'near-find', on: { click: () => void this.find() } }, m.nearFind),
      this.found
        ? h(
            'div',
            { 'data-testid': 'near-results', 'data-where': this.found.where },
            h('p', { class: 'govuk-body-s' }, m.nearHow(this.found.where)),
            ...this.found.results.map((r) =>
              h(
                'div',
                { 'data-layer': r.slug },
                h('h3', { class: 'govuk-heading-s' }, this.resultLine(r)),
                h(
                  'ul',
                  { class: 'app-near-list govuk-body-s' },
                  ...r.features.slice(0, 50).map((f) =>
                    h('li', { 'data-id': String(f.id) }, h('a', { href: '#', class: 'govuk-link', on: { click: (e) => { e.preventDefault(); void this.details.open(r.slug, f.id!); } } }, featureLabel(f)), ` – ${m.away(f.distance)}`),
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  }
}
