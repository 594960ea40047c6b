import './styles.scss';
import maplibregl from 'maplibre-gl';
import { AppState } from './app-state';
import { basemapStyle } from './basemap-style';
import { CataloguePanel } from './catalogue-panel';
import { h, replaceChildren } from './dom';
import { FeatureDetails } from './feature-details';
import { addHighlightLayers, Highlight, HIGHLIGHT_BOTTOM } from './highlight';
import { setLang, t } from './i18n';
import { readState, writeState } from './map-state';
import { NearThis } from './near-this';
import { OverlayLayers } from './overlay-layers';
import { OverlayPanel } from './overlay-panel';
import { SharePanel } from './share-panel';
import { TableView } from './table-view';

/** Wales, when a link gives no view. */
const WALES = { center: [-3.75, 52.35] as [number, number], zoom: 6.6 };

async function start(): Promise<void> {
  const state = readState(location.search, navigator.language.startsWith('cy') ? 'cy' : 'en');
  setLang(state.lang);
  const style = await basemapStyle(t().basemap);

  const status = document.getElementById('map-status')!;
  const announce = (message: string) => {
    status.textContent = '';
    // A fresh text node after a tick, so screen readers announce a repeated message too.
    setTimeout(() => (status.textContent = message), 50);
  };

  const map = new maplibregl.Map({
    container: 'map',
    style,
    center: state.view ? [state.view.lon, state.view.lat] : WALES.center,
    zoom: state.view?.zoom ?? WALES.zoom,
    attributionControl: { compact: false },
    keyboard: true,
    locale: t().mapControls,
  });
  // MapLibre reads its locale when a control is added, so a language switch re-adds the controls.
  let controls: maplibregl.IControl[] = [];
  const addControls = () => {
    for (const c of controls) map.removeControl(c);
    Object.assign(map._locale, t().mapControls);
    controls = [new maplibregl.NavigationControl(), new maplibregl.ScaleControl({ unit: 'metric' })];
    map.addControl(controls[0]!, 'top-right');
    map.addControl(controls[1]!, 'bottom-right');
  };
  addControls();

  const overlays = new OverlayLayers(map, () => (map.getLayer(HIGHLIGHT_BOTTOM) ? HIGHLIGHT_BOTTOM : undefined));
  const app = new AppState(state, map, overlays, announce);
  const highlight = new Highlight(map);
  const details = new FeatureDetails(app);
  const panels = [new CataloguePanel(app), new OverlayPanel(app), details, new TableView(app, details), new NearThis(app, details, highlight), new SharePanel(app)];

  const panel = document.getElementById('panel')!;
  const nav = h('nav', { 'aria-label': t().sections });
  const renderChrome = () => {
    const m = t();
    document.documentElement.lang = app.state.lang;
    document.title = m.appTitle;
    document.getElementById('app-tagline')!.textContent = m.tagline;
    document.getElementById('skip-link')!.textContent = m.skipToPanel;
    document.getElementById('skip-to-map')!.textContent = m.skipToMap;
    map.getContainer().setAttribute('aria-label', m.mapLabel);
    map.getCanvas().setAttribute('aria-label', m.mapLabel);
    const other = app.state.lang === 'en' ? 'cy' : 'en';
    const sw = document.getElementById('language-switch') as HTMLAnchorElement;
    sw.textContent = m.otherLanguage;
    sw.lang = other;
    sw.hreflang = other;
    sw.href = writeState({ ...app.state, lang: other });
    nav.setAttribute('aria-label', m.sections);
    replaceChildren(
      nav,
      h('ul', { class: 'app-nav govuk-body-s' }, ...[['find-heading', m.findLayers], ['your-map-heading', m.yourMap], ['selected-heading', m.selected], ['table-heading', m.table], ['near-heading', m.near], ['share-heading', m.share]].map(([id, label]) => h('li', {}, h('a', { class: 'govuk-link', href: `#${id}` }, label!)))),
    );
  };
  // The map's canvas takes the keys (arrows pan, + and - zoom); the skip link lands there.
  document.getElementById('skip-to-map')!.addEventListener('click', (e) => {
    e.preventDefault();
    map.getCanvas().focus();
  });
  document.getElementById('language-switch')!.addEventListener('click', (e) => {
    e.preventDefault();
    app.state.lang = app.state.lang === 'en' ? 'cy' : 'en';
    setLang(app.state.lang);
    addControls();
    renderChrome();
    app.emit('lang');
  });
  renderChrome();
  panel.append(nav, ...panels.map((p) => p.el));
  for (const p of panels) p.render();

  map.on('moveend', () => {
    const c = map.getCenter();
    app.state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
    app.emit('view');
  });
  app.onChange((kind) => {
    if (kind === 'selection') highlight.set('selection', app.selection?.feature ? [app.selection.feature] : []);
  });
  map.on('load', async () => {
    addHighlightLayers(map);
    await Promise.allSettled(state.overlays.map((o) => app.layer(o.slug)));
    app.emit('overlays');
  });
  // For developer tools and the browser tests: the map and the state behind the panels.
  window.haenau = { map, app };
}

void start();
