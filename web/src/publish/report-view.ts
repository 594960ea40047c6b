import type { GeoJSONSourceSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { h } from '../dom';
import type { ReportProblem, UploadReport } from './portal-api';
import { pt } from './portal-i18n';
import { mapContainer, portalMap } from './preview-map';

const SEVERITY_COLOURS = { error: '#d4351c', repaired: '#1d70b8', warning: '#f47738' };

/** Where a problem is, for a person: feature number, id and line. */
const whereIs = (p: ReportProblem) => (p.index === undefined ? '' : [`${p.index + 1}`, p.id !== undefined ? `id ${p.id}` : '', p.line !== undefined ? `line ${p.line}` : ''].filter(Boolean).join(', '));

/**
 * The validation report: a table of problems (feature, kind, what is wrong) and, for those with a
 * place, a map of where they are. The table is the whole report; the map shows the same rows.
 */
export function reportView(report: UploadReport): HTMLElement {
  const m = pt();
  const located = report.problems.filter((p) => p.at);
  let mapReady: Promise<MapLibreMap> | undefined;
  const container = mapContainer('problems-map');

  const showOnMap = async (p: ReportProblem) => {
    const map = await mapReady!;
    container.scrollIntoView({ block: 'nearest' });
    map.jumpTo({ center: p.at!, zoom: Math.max(map.getZoom(), 14) });
    const maplibregl = (await import('maplibre-gl')).default;
    new maplibregl.Popup({ focusAfterOpen: false }).setLngLat(p.at!).setDOMContent(popupContent(p)).addTo(map);
  };
  const popupContent = (p: ReportProblem) =>
    h('div', { 'data-testid': 'problem-popup' }, h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, h('strong', {}, m.featureNumber((p.index ?? 0) + 1)), p.id !== undefined ? ` (id ${p.id})` : ''), h('p', { class: 'govuk-body-s govuk-!-margin-bottom-0' }, p.message));

  const table = h(
    'table',
    { class: 'govuk-table', 'data-testid': 'report' },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--m' }, m.reportHeading),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, ...[m.problemFeature, m.problemSeverity, m.problemMessage, ''].map((c) => h('th', { class: 'govuk-table__header', scope: 'col' }, c)))),
    h(
      'tbody',
      { class: 'govuk-table__body' },
      ...report.problems.map((p) =>
        h(
          'tr',
          { class: 'govuk-table__row', 'data-severity': p.severity },
          h('td', { class: 'govuk-table__cell' }, whereIs(p)),
          h('td', { class: 'govuk-table__cell' }, m.severities[p.severity] ?? p.severity),
          h('td', { class: 'govuk-table__cell' }, p.message),
          h('td', { class: 'govuk-table__cell' }, p.at ? h('button', { class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0', type: 'button', 'data-show-problem': p.index ?? '', on: { click: () => void showOnMap(p) } }, m.showOnMap) : ''),
        ),
      ),
    ),
  );
  if (located.length === 0) return h('div', {}, table);

  const lons = located.map((p) => p.at![0]);
  const lats = located.map((p) => p.at![1]);
  const pad = 0.005;
  const bounds: [number, number, number, number] = [Math.min(...lons) - pad, Math.min(...lats) - pad, Math.max(...lons) + pad, Math.max(...lats) + pad];
  // Drawn once the element is in the page: MapLibre needs a sized container.
  queueMicrotask(() => {
    mapReady = portalMap(container, m.problemsMapLabel, m.basemap, bounds).then((map) => {
      const data: GeoJSONSourceSpecification['data'] = {
        type: 'FeatureCollection',
        features: located.map((p, i) => ({ type: 'Feature', id: i, properties: { severity: p.severity, i }, geometry: { type: 'Point', coordinates: p.at! } })),
      };
      map.addSource('problems', { type: 'geojson', data });
      map.addLayer({
        id: 'problems',
        type: 'circle',
        source: 'problems',
        paint: { 'circle-radius': 7, 'circle-color': ['match', ['get', 'severity'], 'error', SEVERITY_COLOURS.error, 'repaired', SEVERITY_COLOURS.repaired, SEVERITY_COLOURS.warning], 'circle-stroke-color': '#0b0c0c', 'circle-stroke-width': 2 },
      });
      map.on('click', 'problems', (e) => {
        const i = e.features?.[0]?.properties?.i as number | undefined;
        if (i !== undefined) void showOnMap(located[i]!);
      });
      map.on('mouseenter', 'problems', () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', 'problems', () => (map.getCanvas().style.cursor = ''));
      container.dataset.ready = String(located.length);
      return map;
    });
  });
  return h(
    'div',
    {},
    table,
    h('h3', { class: 'govuk-heading-s' }, m.problemsMapHeading),
    h('p', { class: 'govuk-hint' }, m.problemsMapHint),
    container,
  );
}
