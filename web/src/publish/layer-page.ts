import { h } from '../dom';
import { ApiError, portalApi, type Health, type Version } from './portal-api';
import { formatWhen, localTitle, pt } from './portal-i18n';
import { statusTag } from './layers-page';
import { sourcePanel } from './source-panel';
import { uploadPanel } from './upload-panel';
import { versionPreview } from './version-preview';

const table = (caption: string, head: string[], rows: HTMLElement[], testid: string) =>
  h(
    'table',
    { class: 'govuk-table', 'data-testid': testid },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--m' }, caption),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, ...head.map((c) => h('th', { class: 'govuk-table__header', scope: 'col' }, c)))),
    h('tbody', { class: 'govuk-table__body' }, ...rows),
  );

const fromWhere = (v: Version) => (v.source.kind === 'harvest' ? `${(v.source.sourceKind ?? '').toUpperCase()} ${v.source.url ?? ''}` : [v.source.format, v.source.filename].filter(Boolean).join(' · '));

/** What a version changed against the one before, filled in when the answer arrives. */
function changesCell(slug: string, version: number): HTMLElement {
  const m = pt();
  const cell = h('td', { class: 'govuk-table__cell', 'data-changes': version });
  void portalApi.changes(slug, version).then(
    (c) => (cell.textContent = c.comparable ? m.changeSummary(c.added, c.removed, c.changed) : c.since === null ? m.firstVersion : m.notComparable),
    () => (cell.textContent = ''),
  );
  return cell;
}

/** One layer: its versions (who, when, from where) with roll back, and its source's health and harvests. */
export async function layerPage(slug: string, announce: (message: string) => void, rerender: () => void): Promise<HTMLElement> {
  const m = pt();
  const layer = await portalApi.layer(slug);
  const health: Health | null = await portalApi.health(slug).catch((err) => (err instanceof ApiError && err.status === 404 ? null : Promise.reject(err)));
  const preview = versionPreview(slug, layer.style ?? {});
  const previewButton = (v: Version) =>
    h('button', { class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0', type: 'button', 'data-preview': v.version, on: { click: () => void preview.show(v) } }, m.previewVersion(v.version));
  const versionRows = (versions: Version[]) => versions.map((v) =>
    h(
      'tr',
      { class: 'govuk-table__row', 'data-version': v.version },
      h('td', { class: 'govuk-table__cell' }, String(v.version)),
      h('td', { class: 'govuk-table__cell' }, formatWhen(v.createdAt)),
      h('td', { class: 'govuk-table__cell' }, v.createdBy),
      h('td', { class: 'govuk-table__cell' }, fromWhere(v)),
      h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, v.featureCount.toLocaleString()),
      changesCell(slug, v.version),
      h('td', { class: 'govuk-table__cell' }, previewButton(v)),
      h(
        'td',
        { class: 'govuk-table__cell' },
        v.current
          ? h('strong', { class: 'govuk-tag govuk-tag--green' }, m.current)
          : h(
              'button',
              {
                class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0',
                type: 'button',
                'data-rollback': v.version,
                on: { click: () => void portalApi.rollback(slug, v.version).then(() => (announce(m.rolledBack(v.version)), rerender()), () => announce(m.failed)) },
              },
              m.rollBack(v.version),
            ),
      ),
    ),
  );
  const versionsTable = (list: Version[]) => table(m.versionsHeading, [m.version, m.when, m.publishedBy, m.from, m.features, m.changes, '', ''], versionRows(list), 'versions');
  let versions = versionsTable(layer.versions);
  const parts: HTMLElement[] = [
    h('a', { class: 'govuk-back-link', href: '#/' }, m.back),
    h('h1', { class: 'govuk-heading-l' }, localTitle(layer.title)),
    uploadPanel(slug, () => portalApi.layer(slug).then((l) => versions.replaceWith((versions = versionsTable(l.versions))))),
    versions,
    preview.section,
  ];
  if (!health) parts.splice(3, 0, sourcePanel(slug, rerender));
  if (health) {
    parts.push(
      h('h2', { class: 'govuk-heading-m' }, m.healthHeading),
      h(
        'dl',
        { class: 'govuk-summary-list', 'data-testid': 'health' },
        ...[
          [m.status, statusTag(health.status)],
          [m.source, `${health.source.kind.toUpperCase()} ${health.source.url}`],
          [m.lastSuccess, formatWhen(health.lastSuccess)],
          [m.lastError, health.lastError ?? m.none],
        ].map(([k, v]) => h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, k as string), h('dd', { class: 'govuk-summary-list__value' }, v as string | HTMLElement))),
      ),
      h('button', { class: 'govuk-button', type: 'button', on: { click: () => void portalApi.harvestNow(slug).then(() => (announce(m.harvestQueued), rerender()), () => announce(m.failed)) } }, m.harvestNow),
      table(
        m.harvestsHeading,
        [m.started, m.outcome, m.message],
        health.harvests.map((x) => h('tr', { class: 'govuk-table__row' }, h('td', { class: 'govuk-table__cell' }, formatWhen(x.startedAt ?? x.queuedAt)), h('td', { class: 'govuk-table__cell', 'data-outcome': x.status }, m.harvestStatuses[x.status] ?? x.status), h('td', { class: 'govuk-table__cell' }, x.message ?? ''))),
        'harvests',
      ),
    );
  }
  return h('div', {}, ...parts);
}
