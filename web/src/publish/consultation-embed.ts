import type { Map as MapLibreMap } from 'maplibre-gl';
import { h, uid } from '../dom';
import { checkboxes } from './consultation-controls';
import { consultPageUrl, type EmbedOptions, embedUrl, iframeSnippet, oembedUrl } from './consultation-embed-url';
import { cm, localString } from './consultation-format';
import { CONSULTATION_MESSAGES } from './consultation-messages';
import { asFeature, boxOf, degrees, drawShapes } from './consultation-map';
import { field } from './form-fields';
import type { Consultation } from './portal-api';
import { pt } from './portal-i18n';
import { portalMap } from './preview-map';

/** Copies text; where the Clipboard API is refused, the selected text is copied the old way. */
async function copy(textarea: HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(textarea.value);
    return true;
  } catch {
    textarea.select();
    return document.execCommand('copy');
  }
}

/**
 * The embed builder: which layers, the first view (chosen on a small map), the comment form and the
 * language make the /embed/{id} URL; shown with the iframe code to paste, a live preview and the
 * oEmbed address. The council's site must be one of the consultation's embedding origins.
 */
export function embedBuilder(c: Consultation, layerTitle: (slug: string) => string, canEdit: boolean, announce: (message: string) => void): HTMLElement {
  const m = cm();
  const origin = location.origin;
  const options: EmbedOptions = { layers: [...c.layers], allLayers: c.layers, view: null, form: true, lang: 'auto' };
  const layers = checkboxes(m.embedLayers, null, 'embedLayers', c.layers.map((slug) => ({ value: slug, label: layerTitle(slug), checked: true })));
  const formInput = h('input', { class: 'govuk-checkboxes__input', type: 'checkbox', name: 'embedForm', id: uid('embed-form'), checked: true });
  formInput.setAttribute('aria-describedby', `${formInput.id}-hint`);
  const formBox = h(
    'div',
    { class: 'govuk-form-group' },
    h(
      'div',
      { class: 'govuk-checkboxes govuk-checkboxes--small' },
      h('div', { class: 'govuk-checkboxes__item' }, formInput, h('label', { class: 'govuk-label govuk-checkboxes__label', for: formInput.id }, m.embedForm), h('div', { class: 'govuk-hint govuk-checkboxes__hint', id: `${formInput.id}-hint` }, m.embedFormHint)),
    ),
  );
  const lang = h('select', { class: 'govuk-select', name: 'embedLang' }, ...(['auto', 'en', 'cy'] as const).map((l) => h('option', { value: l }, m.langs[l]!)));
  const noneMeansAll = h('p', { class: 'govuk-inset-text', hidden: true, 'data-testid': 'no-layer-chosen' }, m.embedNoneMeansAll);
  const url = h('code', { class: 'app-code', 'data-testid': 'embed-url' });
  const snippet = h('textarea', { class: 'govuk-textarea app-code', name: 'embedSnippet', rows: '3', readonly: true, spellcheck: 'false', 'data-testid': 'embed-snippet' });
  const oembed = h('code', { class: 'app-code', 'data-testid': 'oembed-url' });
  const preview = h('iframe', { class: 'app-embed-preview', width: '100%', height: '600', loading: 'lazy', 'data-testid': 'embed-preview' });
  const viewStatus = h('p', { class: 'govuk-body', 'aria-live': 'polite', 'data-testid': 'embed-view' }, m.viewDefault);
  const container = h('div', { class: 'app-portal__map app-portal__map--small', 'data-testid': 'embed-map' });
  let map: MapLibreMap | undefined;

  const update = () => {
    options.layers = layers.checked();
    options.form = formInput.checked;
    options.lang = lang.value === 'cy' || lang.value === 'en' ? lang.value : 'auto';
    noneMeansAll.hidden = c.layers.length === 0 || options.layers.length > 0;
    const src = embedUrl(origin, c.id, options);
    // The iframe's title is read on the council's page, in the embed's language (English when it follows the visitor's).
    const titleLang = options.lang === 'cy' ? 'cy' : 'en';
    const title = CONSULTATION_MESSAGES[titleLang].embedTitle(localString(c.title, titleLang));
    url.textContent = src;
    snippet.value = iframeSnippet(src, title);
    oembed.textContent = oembedUrl(origin, consultPageUrl(origin, c.id, options));
    preview.title = title;
    // The preview follows the options; reloading it only when the address changed.
    if (preview.getAttribute('src') !== src) preview.setAttribute('src', src);
  };
  const useView = () => {
    if (!map) return;
    const centre = map.getCenter();
    options.view = { zoom: map.getZoom(), lat: centre.lat, lon: centre.lng };
    viewStatus.textContent = m.viewChosen(String(Math.round(map.getZoom() * 100) / 100), degrees(centre.lat), degrees(centre.lng));
    update();
  };
  const clearView = () => {
    options.view = null;
    viewStatus.textContent = m.viewDefault;
    const box = boxOf(c.area);
    if (map && box) map.fitBounds(box, { padding: 20, animate: false });
    update();
  };
  for (const input of [...layers.inputs, formInput]) input.addEventListener('change', update);
  lang.addEventListener('change', update);

  const copyButton = h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-testid': 'copy-snippet', on: { click: () => void copy(snippet).then((ok) => announce(ok ? m.copied : m.copyFailed)) } }, m.copy);
  const originsList = c.frameAncestors.length ? h('ul', { class: 'govuk-list govuk-list--bullet' }, ...c.frameAncestors.map((o) => h('li', {}, h('code', {}, o)))) : h('p', { class: 'govuk-body' }, pt().none);
  const labelledCode = (label: string, code: HTMLElement) => {
    code.id = uid('code');
    return h('div', { class: 'govuk-form-group' }, h('p', { class: 'govuk-label', id: `${code.id}-label` }, label), h('p', { class: 'govuk-body app-code-line' }, code));
  };

  const section = h(
    'section',
    { class: 'app-section', 'data-testid': 'embed-builder' },
    h('h2', { class: 'govuk-heading-m' }, m.embedHeading),
    h('div', { class: 'govuk-inset-text' }, h('p', { class: 'govuk-body' }, m.originsReminder), originsList, canEdit ? h('a', { class: 'govuk-link', href: `#/consultations/${encodeURIComponent(c.id)}/edit` }, m.changeOrigins) : null),
    c.layers.length ? layers.el : h('p', { class: 'govuk-body' }, m.embedNoLayers),
    noneMeansAll,
    h('h3', { class: 'govuk-heading-s' }, m.embedView),
    h('p', { class: 'govuk-hint' }, m.embedViewHint),
    container,
    viewStatus,
    h(
      'div',
      { class: 'govuk-button-group' },
      h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-testid': 'use-this-view', on: { click: useView } }, m.useThisView),
      h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', on: { click: clearView } }, m.clearView),
    ),
    formBox,
    field(m.embedLang, lang),
    labelledCode(m.embedUrl, url),
    field(m.snippet, snippet),
    copyButton,
    labelledCode(m.oembed, oembed),
    h('h3', { class: 'govuk-heading-s' }, m.preview),
    preview,
  );
  update();
  queueMicrotask(() => {
    portalMap(container, m.embedMapLabel, pt().basemap, boxOf(c.area)).then(
      (ready) => {
        map = ready;
        drawShapes(ready, 'area', [asFeature(c.area)]);
        container.dataset.ready = 'true';
      },
      () => (container.hidden = true),
    );
  });
  return section;
}
