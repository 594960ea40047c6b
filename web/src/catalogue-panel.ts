import { api, type Facets, type LayerSummary } from './api';
import type { AppState } from './app-state';
import { h, keepingFocus, replaceChildren, uid } from './dom';
import { formatDate, formatNumber, localised, localisedText, t } from './i18n';

type Query = { q: string; theme: string; publisher: string };

function readQuery(form: HTMLFormElement): Query {
  const data = new FormData(form);
  return { q: String(data.get('q') ?? ''), theme: String(data.get('theme') ?? ''), publisher: String(data.get('publisher') ?? '') };
}

/** A labelled GOV.UK select. */
function selectGroup(name: string, label: string, options: HTMLOptionElement[]): HTMLElement {
  const id = uid(name);
  return h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: id }, label), h('select', { class: 'govuk-select', id, name }, ...options));
}

/**
 * "Find layers": search in either language, filter by theme and publisher, a card per layer.
 * The form is drawn once per language; filters and results change in place, so nothing the
 * citizen is typing or clicking is replaced under them.
 */
export class CataloguePanel {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'find-heading' });
  private readonly resultsEl = h('div', {});
  private query: Query = { q: '', theme: '', publisher: '' };
  private results: LayerSummary[] | null = null;
  private facets: Facets = { themes: [], publishers: [] };
  private searching: AbortController | null = null;

  constructor(private readonly app: AppState) {
    app.onChange((kind) => {
      if (kind === 'lang') keepingFocus(this.el, () => this.render());
      if (kind === 'overlays') keepingFocus(this.resultsEl, () => this.renderResults());
    });
    void api.facets().then((f) => {
      this.facets = f;
      this.fillFilters();
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
      keepingFocus(this.resultsEl, () => this.renderResults());
      this.app.announce(t().found(layers.length));
    } catch {
      if (!ctrl.signal.aborted) this.app.announce(t().failed);
    }
  }

  private filterOptions(name: 'theme' | 'publisher'): HTMLOptionElement[] {
    const m = t();
    const choices = name === 'theme'
      ? this.facets.themes.map((th) => [th.id, `${m.themes[th.id] ?? th.id} (${th.count})`])
      : this.facets.publishers.map((p) => [p.id, `${localisedText(p.name)} (${p.count})`]);
    return [
      h('option', { value: '' }, name === 'theme' ? m.allThemes : m.allPublishers),
      ...choices.map(([value, label]) => h('option', { value, selected: value === this.query[name] }, label)),
    ];
  }

  /** The filters' choices, once they arrive, put into the selects already on the page. */
  private fillFilters(): void {
    for (const name of ['theme', 'publisher'] as const) {
      const select = this.el.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
      if (!select) continue;
      const chosen = select.value;
      select.replaceChildren(...this.filterOptions(name));
      select.value = chosen;
    }
  }

  render(): void {
    // What the citizen has typed or chosen but not yet searched survives a change of language.
    const drafted = this.el.querySelector('form');
    if (drafted) this.query = readQuery(drafted);
    const m = t();
    const searchId = uid('search');
    const form = h(
      'form',
      {
        role: 'search',
        on: {
          submit: (e) => {
            e.preventDefault();
            this.query = readQuery(e.target as HTMLFormElement);
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
      selectGroup('theme', m.theme, this.filterOptions('theme')),
      selectGroup('publisher', m.publisher, this.filterOptions('publisher')),
      h('button', { class: 'govuk-button', type: 'submit', 'data-module': 'govuk-button' }, m.search),
    );
    replaceChildren(this.el, h('h2', { class: 'govuk-heading-m', id: 'find-heading' }, m.findLayers), form, this.resultsEl);
    this.renderResults();
  }

  private renderResults(): void {
    const m = t();
    replaceChildren(
      this.resultsEl,
      this.results ? h('p', { class: 'govuk-body-s' }, m.found(this.results.length)) : null,
      this.results === null
        ? h('p', { class: 'govuk-body' }, m.loading)
        : this.results.length === 0
          ? h('p', { class: 'govuk-body' }, m.noneFound)
          : h('ul', { class: 'govuk-list', 'aria-label': m.found(this.results.length) }, ...this.results.map((l) => h('li', {}, this.card(l)))),
    );
  }

  private card(l: LayerSummary): HTMLElement {
    const m = t();
    const onMap = this.app.isOnMap(l.slug);
    const row = (key: string, value: Node | string) =>
      h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value));
    return h(
      'article',
      { class: 'app-card', 'data-layer': l.slug, 'data-key': `card:${l.slug}`, tabindex: -1 },
      localised(l.title, 'h3', 'govuk-heading-s app-card__title'),
      l.description.en || l.description.cy ? localised(l.description, 'p', 'govuk-body-s') : null,
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
