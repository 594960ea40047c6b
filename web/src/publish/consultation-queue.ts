import type { Map as MapLibreMap } from 'maplibre-gl';
import { h, replaceChildren, uid } from '../dom';
import { cm } from './consultation-format';
import { asFeature, boxOf, drawShapes } from './consultation-map';
import { responseCard } from './consultation-response';
import { ApiError, type Consultation, type ConsultationResponse, portalApi, type ResponseStatus } from './portal-api';
import { pt } from './portal-i18n';
import { mapContainer, portalMap } from './preview-map';

const STATUSES: ResponseStatus[] = ['pending', 'approved', 'rejected'];
const PAGE = 100;

/**
 * The moderation queue: responses filtered by status, each a card with its actions and trail, and a
 * map of those listed. Whether the signed-in person may moderate is the server's answer: a refusal, or
 * a list that says `moderator: false`, shows a message instead.
 */
export function moderationQueue(c: Consultation, announce: (message: string) => void): HTMLElement {
  const m = cm();
  const labelId = uid('filter');
  const list = h('div', { 'data-testid': 'responses', 'aria-live': 'off' });
  const note = h('p', { class: 'govuk-body-s' });
  const container = mapContainer('responses-map');
  const mapSection = h('div', { hidden: true }, h('h3', { class: 'govuk-heading-s' }, m.responsesMapHeading), container);
  let map: Promise<MapLibreMap> | undefined;
  let shown: ConsultationResponse[] = [];

  const features = (rs: ConsultationResponse[]) => rs.filter((r) => r.geometry).map((r) => asFeature(r.geometry!, { id: r.id }));
  const drawAll = async () => {
    const located = features(shown);
    mapSection.hidden = located.length === 0;
    if (located.length === 0) return;
    // The consultation area too: a lone dot on an empty basemap says little about where it is.
    const box = boxOf({ type: 'GeometryCollection', geometries: [c.area, ...located.map((f) => f.geometry)] });
    map ??= portalMap(container, m.responsesMapLabel, pt().basemap, box).then((ready) => {
      ready.on('click', 'responses-point', (e) => {
        const id = e.features?.[0]?.properties?.id as number | undefined;
        list.querySelector<HTMLElement>(`[data-response="${id}"] .govuk-summary-card__title`)?.focus();
      });
      return ready;
    });
    const ready = await map;
    drawShapes(ready, 'area', [asFeature(c.area)], '#505a5f');
    drawShapes(ready, 'responses', located, '#1d70b8');
    drawShapes(ready, 'selected', [], '#d4351c');
    if (box) ready.fitBounds(box, { padding: 40, maxZoom: 15, animate: false });
    container.dataset.ready = String(located.length);
  };
  const showOnMap = async (r: ConsultationResponse) => {
    if (!r.geometry || !map) return;
    const ready = await map;
    mapSection.scrollIntoView({ block: 'nearest' });
    drawShapes(ready, 'selected', [asFeature(r.geometry)], '#d4351c');
    ready.fitBounds(boxOf(r.geometry)!, { padding: 60, maxZoom: 12, animate: false });
    container.dataset.selected = String(r.id);
  };
  const card = (r: ConsultationResponse): HTMLElement =>
    responseCard(c, r, {
      showOnMap: (x) => void showOnMap(x),
      changed: (updated, said) => {
        shown = shown.map((x) => (x.id === updated.id ? updated : x));
        const old = list.querySelector(`[data-response="${updated.id}"]`);
        const fresh = card(updated);
        old?.replaceWith(fresh);
        fresh.querySelector<HTMLElement>('.govuk-summary-card__title')!.focus();
        announce(said);
      },
    });

  const refused = () => replaceChildren(section, h('h2', { class: 'govuk-heading-m' }, m.queueHeading), h('p', { class: 'govuk-inset-text', 'data-testid': 'not-moderator' }, m.notModerator(c.organisation)));
  const load = async (status: ResponseStatus) => {
    for (const b of filters) b.setAttribute('aria-pressed', String(b.dataset.filter === status));
    list.setAttribute('aria-busy', 'true');
    try {
      const out = await portalApi.responses(c.id, status, PAGE);
      if (!out.moderator) return refused();
      shown = out.responses;
      replaceChildren(list, ...(shown.length ? shown.map(card) : [h('p', { class: 'govuk-body', 'data-testid': 'no-responses' }, m.noResponses)]));
      note.textContent = shown.length === PAGE ? m.firstOnly(PAGE) : '';
      list.dataset.status = status;
      await drawAll();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return refused();
      replaceChildren(list, h('p', { class: 'govuk-body' }, pt().failed));
    } finally {
      list.removeAttribute('aria-busy');
    }
  };

  const filters = STATUSES.map((s) => h('button', { class: 'govuk-button govuk-button--secondary app-filter', type: 'button', 'data-filter': s, 'aria-pressed': 'false', on: { click: () => void load(s) } }, m.filters[s]!));
  const section = h(
    'section',
    { class: 'app-section', 'data-testid': 'queue' },
    h('h2', { class: 'govuk-heading-m' }, m.queueHeading),
    h('p', { class: 'govuk-body govuk-!-margin-bottom-2', id: labelId }, m.filterLabel),
    h('div', { class: 'govuk-button-group app-filters', role: 'group', 'aria-labelledby': labelId }, ...filters),
    mapSection,
    note,
    list,
  );
  queueMicrotask(() => void load('pending'));
  return section;
}
