import { api } from './api';
import type { AppState } from './app-state';
import { h, keepingFocus, replaceChildren, uid } from './dom';
import type { FeatureDetails } from './feature-details';
import { valueText } from './feature-details';
import { localisedText, t } from './i18n';

const ROWS = 50;
const COLUMNS = 6;

/**
 * The non-visual alternative to the map: the chosen layer's features in the current view, as a
 * table, refreshed when the map moves; each row opens the feature's details.
 */
export class TableView {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'table-heading' });
  private slug: string | null = null;
  private rows: GeoJSON.Feature[] | null = null;
  private more = false;
  private loading: AbortController | null = null;
  /** The layer and view of the rows shown or being fetched. */
  private asked: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly app: AppState, private readonly details: FeatureDetails) {
    app.onChange((kind) => {
      if (kind === 'overlays' || kind === 'view') this.refreshSoon();
      if (kind === 'lang') keepingFocus(this.el, () => this.render());
    });
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 250);
  }

  private async refresh(): Promise<void> {
    const overlays = this.app.state.overlays;
    if (!this.slug || !overlays.some((o) => o.slug === this.slug)) this.slug = overlays[0]?.slug ?? null;
    const b = this.app.map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    const wanted = this.slug && `${this.slug}|${bbox.join()}`;
    // Same layer, same view (overlays reordered, say): the rows stand or are on their way; only the layer list changes.
    if (wanted && wanted === this.asked) {
      keepingFocus(this.el, () => this.render());
      return;
    }
    this.loading?.abort();
    this.asked = wanted;
    if (!this.slug) {
      this.rows = null;
      keepingFocus(this.el, () => this.render());
      return;
    }
    const ctrl = new AbortController();
    this.loading = ctrl;
    try {
      const page = await api.itemsInView(this.slug, bbox, ROWS, ctrl.signal);
      this.rows = page.features;
      this.more = page.links.some((l) => l.rel === 'next');
      keepingFocus(this.el, () => this.render());
    } catch {
      if (ctrl.signal.aborted) return;
      this.asked = null;
      this.app.announce(t().failed);
    }
  }

  render(): void {
    const m = t();
    const overlays = this.app.state.overlays;
    const selectId = uid('table-layer');
    const meta = this.slug ? this.app.layers.get(this.slug) : undefined;
    const columns = (meta?.properties ?? []).map((p) => p.name).slice(0, COLUMNS);
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'table-heading' }, m.table),
      overlays.length === 0
        ? h('p', { class: 'govuk-body' }, m.tableNoLayers)
        : h(
            'div',
            { class: 'govuk-form-group' },
            h('label', { class: 'govuk-label', for: selectId }, m.tableLayer),
            h(
              'select',
              {
                class: 'govuk-select', id: selectId, 'data-key': 'table-layer',
                on: { change: (e) => { this.slug = (e.target as HTMLSelectElement).value; void this.refresh(); } },
              },
              ...overlays.map((o) => h('option', { value: o.slug, selected: o.slug === this.slug }, this.app.layers.get(o.slug) ? localisedText(this.app.layers.get(o.slug)!.title) : o.slug)),
            ),
          ),
      this.rows === null || !this.slug
        ? null
        : this.rows.length === 0
          ? h('p', { class: 'govuk-body-s' }, m.tableNone)
          : h(
              'div',
              { class: 'app-table-wrap' },
              h(
                'table',
                { class: 'govuk-table', 'data-testid': 'feature-table', 'data-layer': this.slug },
                h('caption', { class: 'govuk-table__caption govuk-body-s' }, m.tableShowing(this.rows.length, this.more)),
                h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, ...columns.map((c) => h('th', { scope: 'col', class: 'govuk-table__header' }, c)), h('th', { scope: 'col', class: 'govuk-table__header' }, h('span', { class: 'govuk-visually-hidden' }, m.details)))),
                h('tbody', { class: 'govuk-table__body' }, ...this.rows.map((f, i) => this.row(f, i, columns))),
              ),
            ),
    );
  }

  private row(f: GeoJSON.Feature, i: number, columns: string[]): HTMLElement {
    const m = t();
    const slug = this.slug!;
    const label = valueText(f.properties?.[columns[0] ?? ''] ?? f.id);
    return h(
      'tr',
      { class: 'govuk-table__row' },
      ...columns.map((c) => h('td', { class: 'govuk-table__cell' }, valueText(f.properties?.[c]))),
      h(
        'td',
        { class: 'govuk-table__cell' },
        h('button', { class: 'govuk-button govuk-button--secondary govuk-!-margin-0', type: 'button', 'data-key': `row:${i}`, 'aria-label': m.detailsOf(label), on: { click: () => void this.details.open(slug, f.id!) } }, m.details),
      ),
    );
  }
}
