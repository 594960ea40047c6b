import type { Map as MapLibreMap } from 'maplibre-gl';
import { h } from '../dom';
import { cm } from './consultation-format';
import { type Area, asFeature, boxOf, degrees, drawShapes, parseArea, viewRectangle } from './consultation-map';
import { field } from './form-fields';
import { mapContainer, portalMap } from './preview-map';
import { pt } from './portal-i18n';

/**
 * The consultation area: the map view's rectangle ("Use the map view as the area"), a pasted GeoJSON
 * polygon, or the saved one; drawn on the map. Until one is chosen, the view when saving is the area.
 */
export function areaPicker(saved: Area | null) {
  const m = cm();
  let area: Area | null = saved;
  let map: MapLibreMap | undefined;
  const container = mapContainer('area-map');
  const status = h('p', { class: 'govuk-body', 'aria-live': 'polite', 'data-testid': 'area-status' }, saved ? m.areaIsSaved : m.areaFollowsView);
  const pasted = h('textarea', { class: 'govuk-textarea app-code', name: 'areaGeoJson', rows: '4', spellcheck: 'false' });
  const pasteField = field(m.pasteLabel, pasted, m.pasteHint);
  const pasteError = h('p', { class: 'govuk-error-message', id: `${pasted.id}-error`, hidden: true }, m.pasteInvalid);
  pasteField.querySelector('.govuk-hint')!.after(pasteError);

  const draw = () => {
    if (!map) return;
    drawShapes(map, 'area', area ? [asFeature(area)] : []);
    container.dataset.area = area ? 'drawn' : 'view';
  };
  const useView = () => {
    if (!map) return;
    area = viewRectangle(map);
    const [w, s, e, n] = boxOf(area)!.map(degrees) as [string, string, string, string];
    status.textContent = m.areaIsRectangle(w, s, e, n);
    draw();
    // Step back a little, so the rectangle's outline shows inside the map rather than on its edge.
    map.fitBounds(boxOf(area)!, { padding: 30, animate: false });
  };
  const usePasted = () => {
    const parsed = parseArea(pasted.value);
    pasteError.hidden = parsed !== null;
    pasteField.classList.toggle('govuk-form-group--error', parsed === null);
    pasted.classList.toggle('govuk-textarea--error', parsed === null);
    pasted.setAttribute('aria-describedby', `${pasted.id}-hint${parsed ? '' : ` ${pasteError.id}`}`);
    if (!parsed) return pasted.focus();
    area = parsed;
    const points = (parsed.type === 'Polygon' ? [parsed.coordinates] : parsed.coordinates).flat(2).length;
    status.textContent = m.areaIsPolygon(points);
    draw();
    map?.fitBounds(boxOf(parsed)!, { padding: 30, animate: false });
  };

  const el = h(
    'div',
    { class: 'app-consultation-area' },
    h('h2', { class: 'govuk-heading-m' }, m.areaHeading),
    h('p', { class: 'govuk-hint' }, m.areaHint),
    container,
    status,
    h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-testid': 'use-view', on: { click: useView } }, m.useView),
    pasteField,
    h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-testid': 'use-pasted', on: { click: usePasted } }, m.usePasted),
  );
  // Drawn once the element is in the page: MapLibre needs a sized container.
  queueMicrotask(() => {
    const box = saved ? boxOf(saved) : null;
    portalMap(container, m.areaMapLabel, pt().basemap, box).then(
      (ready) => {
        map = ready;
        draw();
        container.dataset.ready = 'true';
      },
      // Without WebGL there is no map: a pasted polygon still sets the area.
      () => (container.hidden = true),
    );
  });

  return {
    el,
    /** The chosen area, or the map view's rectangle when none was chosen; null before the map is there. */
    value: (): Area | null => area ?? (map ? viewRectangle(map) : null),
    /** Where the error summary sends the keyboard for a problem with the area. */
    focusTarget: pasted,
  };
}
