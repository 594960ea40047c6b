import { h } from '../dom';
import { canModerate, canPublish, cm, localText, stateTag } from './consultation-format';
import { type Consultation, portalApi, type SessionUser } from './portal-api';
import { formatWhen } from './portal-i18n';

/**
 * The organisation's consultations: state, dates, approved responses and, for its moderators, how many
 * wait for moderation — all from the one list request.
 */
export async function consultationsPage(user: SessionUser): Promise<HTMLElement> {
  const m = cm();
  const { consultations } = await portalApi.consultations(user.organisation);
  const moderator = canModerate(user, user.organisation);
  const details = consultations.map((c): [Consultation, number | null] => [c, c.queue?.pending ?? null]);
  const create = canPublish(user, user.organisation) ? h('a', { class: 'govuk-button', href: '#/consultations/new', role: 'button', draggable: 'false', 'data-testid': 'new-consultation' }, m.create) : null;
  const heading = h('h1', { class: 'govuk-heading-l' }, m.heading);
  if (consultations.length === 0) return h('div', {}, heading, h('p', { class: 'govuk-body' }, m.none), create);

  const cell = (...children: (string | HTMLElement)[]) => h('td', { class: 'govuk-table__cell' }, ...children);
  const numeric = (n: number | null | undefined) => h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, n === null || n === undefined ? '' : n.toLocaleString());
  const rows = details.map(([c, pending]) =>
    h(
      'tr',
      { class: 'govuk-table__row', 'data-consultation': c.id },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('a', { class: 'govuk-link', href: `#/consultations/${encodeURIComponent(c.id)}` }, localText(c.title))),
      cell(stateTag(c.state)),
      cell(formatWhen(c.opensAt)),
      cell(formatWhen(c.closesAt)),
      numeric(c.counts?.approved),
      ...(moderator ? [numeric(pending)] : []),
    ),
  );
  const head = [m.consultation, m.state, m.opens, m.closes, m.approved, ...(moderator ? [m.pending] : [])];
  return h(
    'div',
    {},
    heading,
    create,
    h(
      'div',
      { class: 'app-table-wrap' },
      h(
        'table',
        { class: 'govuk-table', 'data-testid': 'consultations' },
        h('caption', { class: 'govuk-table__caption govuk-visually-hidden' }, m.heading),
        h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, ...head.map((c, i) => h('th', { class: `govuk-table__header${i >= 4 ? ' govuk-table__header--numeric' : ''}`, scope: 'col' }, c)))),
        h('tbody', { class: 'govuk-table__body' }, ...rows),
      ),
    ),
  );
}
