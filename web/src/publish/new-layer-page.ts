import { h } from '../dom';
import { errorSummary, field, form } from './form-fields';
import { portalApi } from './portal-api';
import { pt } from './portal-i18n';

const LICENCES = ['OGL-UK-3.0', 'CC-BY-4.0', 'CC0-1.0', 'ODbL-1.0'];
const THEMES = ['transport', 'education', 'environment', 'boundaries', 'health', 'planning', 'community', 'other'];
const SVG = 'http://www.w3.org/2000/svg';

/** A point, a line and an area drawn in the chosen style, redrawn as the inputs change. */
function stylePreview(label: string): { el: SVGSVGElement; draw: (colour: string, lineWidth: number, radius: number) => void } {
  const el = document.createElementNS(SVG, 'svg');
  el.setAttribute('viewBox', '0 0 240 80');
  el.setAttribute('width', '240');
  el.setAttribute('height', '80');
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  el.setAttribute('data-testid', 'style-preview');
  const shape = (tag: string, attrs: Record<string, string>) => {
    const s = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
    el.append(s);
    return s;
  };
  const area = shape('polygon', { points: '160,15 225,25 215,70 170,65' });
  const line = shape('polyline', { points: '70,65 95,20 120,55 145,15', fill: 'none' });
  const point = shape('circle', { cx: '30', cy: '40' });
  return {
    el,
    draw(colour, lineWidth, radius) {
      area.setAttribute('fill', colour);
      area.setAttribute('fill-opacity', '0.35');
      area.setAttribute('stroke', colour);
      line.setAttribute('stroke', colour);
      line.setAttribute('stroke-width', String(lineWidth));
      point.setAttribute('fill', colour);
      point.setAttribute('r', String(radius));
      point.setAttribute('stroke', '#ffffff');
    },
  };
}

/** Metadata in English and Welsh, licence, attribution, theme and style with a live preview → POST /api/layers. */
export function newLayerPage(onCreated: (slug: string) => void): HTMLElement {
  const m = pt();
  const input = (name: string, attrs: Record<string, string> = {}) => h('input', { class: 'govuk-input', name, type: 'text', ...attrs });
  const textarea = (name: string) => h('textarea', { class: 'govuk-textarea', name, rows: '3' });
  const select = (name: string, values: string[], labelOf: (v: string) => string) => h('select', { class: 'govuk-select', name }, ...values.map((v) => h('option', { value: v }, labelOf(v))));
  const slug = input('slug', { spellcheck: 'false', autocomplete: 'off' });
  const titleEn = input('titleEn');
  const titleCy = input('titleCy', { lang: 'cy' });
  const descEn = textarea('descriptionEn');
  const descCy = textarea('descriptionCy');
  descCy.lang = 'cy';
  const licence = select('licence', LICENCES, (v) => v);
  const attribution = input('attribution');
  const theme = select('theme', THEMES, (v) => m.themes[v] ?? v);
  const colour = h('input', { class: 'app-colour', name: 'colour', type: 'color', value: '#1d70b8' });
  const lineWidth = h('input', { class: 'govuk-input govuk-input--width-3', name: 'lineWidth', type: 'number', min: '1', max: '20', value: '3' });
  const pointSize = h('input', { class: 'govuk-input govuk-input--width-3', name: 'pointSize', type: 'number', min: '1', max: '30', value: '6' });
  const preview = stylePreview(m.preview);
  const redraw = () => preview.draw(colour.value, Number(lineWidth.value) || 1, Number(pointSize.value) || 1);
  for (const c of [colour, lineWidth, pointSize]) c.addEventListener('input', redraw);
  redraw();
  const errors = errorSummary();
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  const layerForm = form(
    () => {
      const body = {
        slug: slug.value.trim(),
        title: { en: titleEn.value.trim(), cy: orNull(titleCy.value) },
        description: { en: orNull(descEn.value), cy: orNull(descCy.value) },
        licence: licence.value,
        attribution: orNull(attribution.value),
        theme: theme.value,
        style: { color: colour.value, lineWidth: Number(lineWidth.value), circleRadius: Number(pointSize.value) },
      };
      portalApi.createLayer(body).then(
        () => onCreated(body.slug),
        (err: Error) => errors.show(m.errorSummary, [{ message: err.message, field: /slug/i.test(err.message) ? slug : /title/i.test(err.message) ? titleEn : undefined }]),
      );
    },
    field(m.slug, slug, m.slugHint),
    field(m.titleEn, titleEn),
    field(m.titleCy, titleCy),
    field(m.descriptionEn, descEn),
    field(m.descriptionCy, descCy),
    field(m.licence, licence),
    field(m.attribution, attribution),
    field(m.theme, theme),
    h('h2', { class: 'govuk-heading-m' }, m.styleHeading),
    field(m.colour, colour),
    field(m.lineWidth, lineWidth),
    field(m.pointSize, pointSize),
    h('div', { class: 'govuk-form-group' }, preview.el as unknown as HTMLElement),
    h('button', { class: 'govuk-button', type: 'submit' }, m.create),
  );
  return h('div', {}, h('a', { class: 'govuk-back-link', href: '#/' }, m.back), errors.el, h('h1', { class: 'govuk-heading-l' }, m.newLayerHeading), layerForm);
}
