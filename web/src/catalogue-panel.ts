import { api, type Facets, type LayerSummary } from './api';
import type { AppState } from './app-state';
import { h, keepingFocus, replaceChildren, uid } from './dom';
import { formatDate, formatNumber, localised, localisedText, t } from './i18n';

/** "Find layers": search in either language, filter by theme and publisher, a card per layer. */
export class CataloguePanel {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'find-heading' });
  private query = { q: '', theme: '', publisher: '' };
  private results: LayerSummary[] | null = null;
  private facets: Facets = { themes: [], publishers: [] };
  private searching: AbortController | null = null;

  constructor(private readonly app: AppState) {
    app.onChange((kind) => {
      if (kind === 'lang' || kind === 'overlays') keepingFocus(this.el, () => this.render());
    });
    void api.facets().then((f) => {
      this.facets = f;
      this.render();
    });
    void this.search();
  }

  private async search(): Promise<void> {
    this.searching?.abort();
    const ctrl = new AbortController();
    this.searching = ctrl;
    try {
      const { layers } = await api.search(this.query, ctrl.signal);
      this.app.remember(layers);
      this.results = layers;
      this.render();
      this.app.announce(t().found(layers.length));
    } catch (err) {
      if (!ctrl.signal.aborted) this.app.announce(t().failed);
    }
  }

  render(): void {
    // What the citizen has typed or chosen but not yet searched survives a re-render (facets arriving, language).
    const drafted = this.el.querySelector('form');
    if (drafted) {
      const data = new FormData(drafted);
      this.query = { q: String(data.get('q') ?? ''), theme: String(data.get('theme') ?? ''), publisher: String(data.get('publisher') ?? '') };
    }
    const m = t();
    const searchId = uid('search');
    const themeId = uid('theme');
    const publisherId = uid('publisher');
    const form = h(
      'form',
      {
        role: 'search',
        on: {
          submit: (e) => {
            e.preventDefault();
            const data = new FormData(e.target as HTMLFormElement);
            this.query = { q: String(data.get('q') ?? ''), theme: String(data.get('theme') ?? ''), publisher: String(data.get('publisher') ?? '') };
            void this.search();
          },
        },
      },
      h(
        'div',
        { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label', for: searchId }, m.searchLabel),
        h('div', { class: 'govuk-hint', id: `${searchId}-hint` }, m.searchHint),
        h('input', { class: 'govuk-input', id: searchId, name: 'q', type: 'search', value: this.query.q, 'aria-describedby': `${searchId}-hint`, autocomplete: 'off' }),
      ),
      h(
        'div',
        { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label', for: themeId }, m.theme),
        h(
          'select',
          { class: 'govuk-select', id: themeId, name: 'theme' },
          h('option', { value: '' }, m.allThemes),
          ...this.facets.themes.map((th) => h('option', { value: th.id, selected: th.id === this.query.theme }, `${m.themes[th.id] ?? th.id} (${th.count})`)),
        ),
      ),
      h(
        'div',
        { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label', for: publisherId }, m.publisher),
        h(
          'select',
          { class: 'govuk-select', id: publisherId, name: 'publisher' },
          h('option', { value: '' }, m.allPublishers),
          ...this.facets.publishers.map((p) => h('option', { value: p.id, selected: p.id === this.query.publisher }, `${localisedText(p.name)} (${p.count})`)),
        ),
      ),
      h('button', { class: 'govuk-button', type: 'submit', 'data-module': 'govuk-button' }, m.search),
    );
    const list = this.results === null
      ? h('p', { class: 'govuk-body' }, m.loading)
      : this.results.length === 0
        ? h('p', { class: 'govuk-body' }, m.noneFound)
        : h('ul', { class: 'govuk-list', 'aria-label': m.found(this.results.length) }, ...this.results.map((l) => h('li', {}, this.card(l))));
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'find-heading' }, m.findLayers),
      form,
      this.results ? h('p', { class: 'govuk-body-s' }, m.found(this.results.length)) : null,
      list,
    );
  }

  private card(l: LayerSummary): HTMLElement {
    const m = t();
    const onMap = this.app.isOnMap(l.slug);
    const row = (key: string, value: Node | string) =>
      h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value));
    const title = localised(l.title, 'h3');
    title.classList.add('govuk-heading-s', 'app-card__title');
    return h(
      'article',
      { class: 'app-card', 'data-layer': l.slug, 'data-key': `card:${l.slug}`, tabindex: -1 },
      title,
      l.description.en || l.description.cy ? withClass(localised(l.description, 'p'), 'govuk-body-s') : null,
      h(
        'dl',
        { class: 'govuk-summary-list govuk-summary-list--no-border govuk-body-s' },
        row(m.publisher, localised(l.publisher.name)),
        row(m.licence, l.licence),
        row(m.updated, formatDate(l.updatedAt)),
        row(m.featureCount, formatNumber(l.featureCount)),
      ),
      onMap
        ? h('strong', { class: 'govuk-tag govuk-tag--green' }, m.onMap)
        : h(
            'button',
            {
              class: 'govuk-button govuk-button--secondary',
              type: 'button',
              'data-key': `add:${l.slug}`,
              'aria-label': `${m.addToMap}: ${localisedText(l.title)}`,
              on: { click: () => this.app.addOverlay(l.slug) },
            },
            m.addToMap,
          ),
    );
  }
}

function withClass<T extends HTMLElement>(el: T, cls: string): T {
  el.classList.add(cls);
  return el;
}
