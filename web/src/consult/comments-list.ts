import { h, replaceChildren } from '../dom';
import { formatNumber, localisedText } from '../i18n';
import type { Consultation, PublicResponse, Text } from './consult-api';
import { bilingual, ct, formatWhen, inEnglishOnly } from './consult-i18n';
import type { ConsultMap, LonLat } from './consult-map';

/** "12 comments: Safety 5, Route 7": the published comments by category, in the consultation's order. */
export function countsText(c: Consultation): string {
  const by = c.counts.byCategory;
  const parts = c.categories.filter((k) => by[k.id]).map((k) => `${localisedText(bilingual(k.label))} ${formatNumber(by[k.id]!)}`);
  if (by['']) parts.push(`${ct().noCategory} ${formatNumber(by['']!)}`);
  return ct().counts(c.counts.approved, parts.join(', '));
}

/**
 * The published comments: a count by category, a list (newest first) each with a button that
 * shows it on the map, and the same comment in a popup when its mark on the map is clicked.
 */
export class CommentsList {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'comments-heading', 'data-testid': 'comments' });
  private list: PublicResponse[] = [];

  constructor(
    private readonly c: Consultation,
    private readonly map: ConsultMap,
    private readonly layerTitles: Map<string, Text>,
  ) {}

  render(list: PublicResponse[]): void {
    const m = ct();
    this.list = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.map.setResponses(this.list);
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'comments-heading' }, m.commentsHeading),
      h('p', { class: 'govuk-hint' }, m.commentsHint),
      this.list.length
        ? h(
            'ol',
            { class: 'govuk-list app-consult__comments' },
            ...this.list.map((r, i) =>
              h(
                'li',
                { class: 'app-comment', 'data-response': r.id },
                this.describe(r),
                r.geometry
                  ? h(
                      'button',
                      { class: 'app-link-button govuk-body-s', type: 'button', on: { click: () => this.open(r.id) } },
                      m.showOnMap,
                      h('span', { class: 'govuk-visually-hidden' }, `: ${m.commentNumber(i + 1)}`),
                    )
                  : null,
              ),
            ),
          )
        : null,
    );
  }

  /** Shows a comment on the map (at the click, or in the middle of its place) and marks it in the list. */
  open(id: string, at?: LonLat): void {
    const r = this.list.find((x) => x.id === id);
    if (!r?.geometry) return;
    for (const li of this.el.querySelectorAll('.app-comment--selected')) li.classList.remove('app-comment--selected');
    this.el.querySelector(`[data-response="${CSS.escape(id)}"]`)?.classList.add('app-comment--selected');
    this.map.showPopup(h('div', { class: 'app-popup', 'data-testid': 'comment-popup' }, this.describe(r, true)), r.geometry, at);
  }

  /** A comment as listed; in a popup (compact) without its date and feature, which the list shows. */
  private describe(r: PublicResponse, compact = false): HTMLElement {
    const m = ct();
    const category = r.category ? this.c.categories.find((k) => k.id === r.category) : undefined;
    const layer = r.layer ? this.layerTitles.get(r.layer) : undefined;
    return h(
      'div',
      {},
      h(
        'p',
        { class: 'govuk-body-s govuk-!-margin-bottom-1' },
        category ? h('strong', { class: 'govuk-tag govuk-tag--purple', lang: inEnglishOnly(category.label) ? 'en' : undefined }, localisedText(bilingual(category.label))) : null,
        r.sentiment ? ` ${m.sentiments[r.sentiment]}` : null,
        compact ? null : ` ${formatWhen(r.createdAt)}`,
      ),
      r.layer && r.featureId && !compact ? h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, m.onFeature(layer ? localisedText(bilingual(layer)) : r.layer, r.featureId)) : null,
      h('p', { class: 'govuk-body app-comment__text govuk-!-margin-bottom-1' }, r.comment),
    );
  }
}
