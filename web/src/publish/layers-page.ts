import { h } from '../dom';
import { portalApi, type SessionUser } from './portal-api';
import { formatWhen, localTitle, pt } from './portal-i18n';

const TAG: Record<string, string> = { ok: 'govuk-tag--green', stale: 'govuk-tag--yellow', failing: 'govuk-tag--red', pending: 'govuk-tag--blue', uploaded: 'govuk-tag--grey' };

/** A status as a GOV.UK tag: the colour helps, the words carry the meaning. */
export const statusTag = (status: string) => h('strong', { class: `govuk-tag ${TAG[status] ?? ''}`, 'data-status': status }, pt().statuses[status] ?? status);

/** The organisation's layers with their status (from the source's health, or "uploaded"), features and last update. */
export async function layersPage(user: SessionUser): Promise<HTMLElement> {
  const m = pt();
  const [{ layers }, { sources }] = await Promise.all([portalApi.layers(user.organisation), portalApi.sources(user.organisation)]);
  const bySlug = new Map(sources.map((s) => [s.layer, s]));
  const create = h('a', { class: 'govuk-button', href: '#/new', role: 'button', draggable: 'false', 'data-testid': 'new-layer' }, m.newLayer);
  if (layers.length === 0) return h('div', {}, h('h1', { class: 'govuk-heading-l' }, m.layersHeading), h('p', { class: 'govuk-body' }, m.noLayers), create);
  const rows = layers.map((l) => {
    const source = bySlug.get(l.slug);
    return h(
      'tr',
      { class: 'govuk-table__row', 'data-layer': l.slug },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('a', { class: 'govuk-link', href: `#/layers/${encodeURIComponent(l.slug)}` }, localTitle(l.title))),
      h('td', { class: 'govuk-table__cell' }, l.currentVersion ? statusTag(source?.status ?? 'uploaded') : h('span', {}, m.notPublished)),
      h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, l.featureCount.toLocaleString()),
      h('td', { class: 'govuk-table__cell' }, formatWhen(l.currentVersion?.createdAt ?? null)),
      h('td', { class: 'govuk-table__cell' }, source ? source.kind.toUpperCase() : m.upload),
    );
  });
  return h(
    'div',
    {},
    h('h1', { class: 'govuk-heading-l' }, m.layersHeading),
    create,
    h(
      'table',
      { class: 'govuk-table', 'data-testid': 'layers' },
      h('caption', { class: 'govuk-table__caption govuk-visually-hidden' }, m.layersHeading),
      h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, ...[m.layer, m.status, m.features, m.updated, m.source].map((c) => h('th', { class: 'govuk-table__header', scope: 'col' }, c)))),
      h('tbody', { class: 'govuk-table__body' }, ...rows),
    ),
  );
}
