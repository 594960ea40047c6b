import { type Child, h } from '../dom';
import { embedBuilder } from './consultation-embed';
import { canModerate, canPublish, cm, localText, stateTag } from './consultation-format';
import { moderationQueue } from './consultation-queue';
import { ApiError, type Consultation, portalApi, type SessionUser } from './portal-api';
import { formatWhen, localTitle, pt } from './portal-i18n';

const summaryRow = (key: string, value: Child, testid?: string) =>
  h('div', { class: 'govuk-summary-list__row', 'data-testid': testid ?? false }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value));

/** Approved responses per category, in the consultation's order, then those with none. */
function byCategory(c: Consultation): HTMLElement {
  const m = cm();
  const counts = c.counts?.byCategory ?? {};
  const items = [...c.categories.map((cat) => [localText(cat.label), counts[cat.id] ?? 0, cat.id] as const), [m.uncategorised, counts[''] ?? 0, ''] as const];
  return h('ul', { class: 'govuk-list', 'data-testid': 'by-category' }, ...items.map(([label, n, id]) => h('li', { 'data-category': id }, label, `: ${n.toLocaleString()}`)));
}

/** Publishes the approved responses as a layer and says which layer and version came of it. */
function publishSection(c: Consultation, announce: (message: string) => void): HTMLElement {
  const m = cm();
  const layerLink = (slug: string) => h('a', { class: 'govuk-link', href: `#/layers/${encodeURIComponent(slug)}` }, slug);
  const outcome = h('div', { 'data-testid': 'published-layer' }, c.responsesLayer ? h('p', { class: 'govuk-body' }, m.responsesLayer, ' ', layerLink(c.responsesLayer)) : null);
  const button = h('button', { class: 'govuk-button', type: 'button', 'data-testid': 'publish-responses' }, m.publishButton);
  button.addEventListener('click', () => {
    button.disabled = true;
    portalApi
      .publishResponsesLayer(c.id)
      .then(
        (out) => {
          const said = out.version === null ? m.nothingApproved : m.publishedAs(out.version, out.features);
          outcome.replaceChildren(h('p', { class: 'govuk-body', 'data-version': out.version ?? '' }, said, ' ', out.version === null ? null : layerLink(out.layer)));
          announce(said);
        },
        (err: unknown) => outcome.replaceChildren(h('p', { class: 'govuk-error-message' }, err instanceof ApiError ? err.message : pt().failed)),
      )
      .finally(() => (button.disabled = false));
  });
  return h('section', { class: 'app-section' }, h('h2', { class: 'govuk-heading-m' }, m.publishHeading), h('p', { class: 'govuk-body' }, m.publishHint), button, outcome);
}

/** The organisation's moderators download every response, with or without contact details. */
function exportSection(c: Consultation): HTMLElement {
  const m = cm();
  const link = (f: 'csv' | 'geojson', contacts: boolean) =>
    h('li', {}, h('a', { class: 'govuk-link', href: `/api/consultations/${encodeURIComponent(c.id)}/export?f=${f}${contacts ? '&contacts=true' : ''}`, download: '', 'data-export': `${f}${contacts ? '-contacts' : ''}` }, m.exportLink(f === 'csv' ? 'CSV' : 'GeoJSON', contacts)));
  return h(
    'section',
    { class: 'app-section' },
    h('h2', { class: 'govuk-heading-m' }, m.exportHeading),
    h('p', { class: 'govuk-body' }, m.exportHint),
    h('ul', { class: 'govuk-list', 'data-testid': 'exports' }, link('csv', false), link('geojson', false), link('csv', true), link('geojson', true)),
  );
}

/**
 * One consultation: its summary and counts, the public page, the moderation queue, exports, publishing
 * the approved responses as a layer, and the embed builder; each part for those whose role it is.
 */
export async function consultationPage(user: SessionUser, id: string, announce: (message: string) => void): Promise<HTMLElement> {
  const m = cm();
  const c = await portalApi.consultation(id);
  const own = user.organisation === c.organisation;
  const titles = new Map((await portalApi.layers(c.organisation).catch(() => ({ layers: [] }))).layers.map((l) => [l.slug, localTitle(l.title)]));
  const layerTitle = (slug: string) => titles.get(slug) ?? slug;
  const publicHref = `/consult/${encodeURIComponent(c.id)}`;

  const summary = h(
    'dl',
    { class: 'govuk-summary-list', 'data-testid': 'consultation-summary' },
    summaryRow(m.state, stateTag(c.state)),
    summaryRow(m.opens, formatWhen(c.opensAt)),
    summaryRow(m.closes, formatWhen(c.closesAt)),
    summaryRow(m.kindsRow, c.commentKinds.map((k) => m.kindShort[k] ?? k).join(', ')),
    summaryRow(m.layersRow, c.layers.length ? c.layers.map(layerTitle).join(', ') : pt().none),
    summaryRow(m.approved, (c.counts?.approved ?? 0).toLocaleString(), 'approved-count'),
    summaryRow(m.byCategory, byCategory(c)),
    summaryRow(m.publicPage, h('a', { class: 'govuk-link', href: publicHref, 'data-testid': 'public-page' }, `${location.origin}${publicHref}`)),
  );
  return h(
    'div',
    {},
    h('a', { class: 'govuk-back-link', href: '#/consultations' }, m.backToList),
    h('h1', { class: 'govuk-heading-l' }, localText(c.title)),
    summary,
    canPublish(user, c.organisation) ? h('p', { class: 'govuk-body' }, h('a', { class: 'govuk-link', href: `#/consultations/${encodeURIComponent(c.id)}/edit`, 'data-testid': 'edit-consultation' }, m.editLink)) : null,
    moderationQueue(c, announce),
    canModerate(user, c.organisation) ? exportSection(c) : null,
    canPublish(user, c.organisation) ? publishSection(c, announce) : null,
    own ? embedBuilder(c, layerTitle, canPublish(user, c.organisation), announce) : null,
  );
}
