import { h } from '../dom';
import { errorSummary, field, form } from './form-fields';
import { portalApi, type ServiceDescription } from './portal-api';
import { pt } from './portal-i18n';

const SCHEDULES = ['daily', 'hourly', 'weekly', 'monthly', 'manual'];

/**
 * Register a remote service: its address → what it offers (POST /api/sources/inspect) → pick one and
 * a schedule → PUT …/source, then follow the first harvest's progress until it ends.
 */
export function sourcePanel(slug: string, onHarvested: () => void): HTMLElement {
  const m = pt();
  const url = h('input', { class: 'govuk-input', type: 'url', name: 'serviceUrl', spellcheck: 'false' });
  const errors = errorSummary();
  const choice = h('div', { 'data-testid': 'offered' });
  const progress = h('p', { class: 'govuk-body', 'aria-live': 'polite', 'data-testid': 'harvest-progress' });
  const fail = (err: Error) => errors.show(m.errorSummary, [{ message: err.message, field: url }]);

  const follow = async (href: string) => {
    for (;;) {
      const h = await portalApi.harvest(href);
      if (h.status !== 'queued' && h.status !== 'running') {
        progress.textContent = m.harvestDone(h.status, h.message ?? '');
        progress.setAttribute('data-status', h.status);
        onHarvested();
        return;
      }
      progress.textContent = m.harvesting(h.pages, h.features.toLocaleString());
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  const offer = (service: ServiceDescription) => {
    const type = h('select', { class: 'govuk-select', name: 'featureType' }, ...service.featureTypes.map((f) => h('option', { value: f.id }, f.title ? `${f.title} (${f.id})` : f.id)));
    const schedule = h('select', { class: 'govuk-select', name: 'schedule' }, ...SCHEDULES.map((s) => h('option', { value: s }, m.schedules[s] ?? s)));
    const chosen = form(
      () => {
        errors.hide();
        portalApi
          .putSource(slug, { url: service.url, kind: service.kind, featureType: type.value, schedule: schedule.value })
          .then((r) => follow(r.harvest.href))
          .catch(fail);
      },
      h('p', { class: 'govuk-body' }, m.offers(service.title ?? service.url, service.kind)),
      field(m.featureType, type),
      field(m.schedule, schedule),
      h('button', { class: 'govuk-button', type: 'submit' }, m.follow),
    );
    choice.replaceChildren(chosen);
    type.focus();
  };

  const lookUp = form(
    () => {
      errors.hide();
      portalApi.inspect(url.value.trim()).then(offer, fail);
    },
    field(m.serviceUrl, url, m.serviceUrlHint),
    h('button', { class: 'govuk-button govuk-button--secondary', type: 'submit' }, m.lookUp),
  );
  return h('section', { 'aria-labelledby': `source-${slug}` }, errors.el, h('h2', { class: 'govuk-heading-m', id: `source-${slug}` }, m.sourceHeading), lookUp, choice, progress);
}
