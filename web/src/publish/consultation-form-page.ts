import { h } from '../dom';
import { areaPicker } from './consultation-area';
import { checkboxes, clearErrors, markError } from './consultation-controls';
import { cm, fromLocalInput, toLocalInput } from './consultation-format';
import { categoriesEditor, questionsEditor } from './consultation-rows';
import { errorSummary, field, form } from './form-fields';
import { ApiError, type CommentKind, type Consultation, type ConsultationInput, portalApi, type SessionUser } from './portal-api';
import { localTitle, pt } from './portal-i18n';

const KINDS: CommentKind[] = ['point', 'line', 'feature'];
type Problem = { message: string; field?: HTMLElement };

/** One origin a line; a trailing slash is dropped, since an origin has no path. */
const originsOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim().replace(/\/+$/, ''))
    .filter(Boolean);

/**
 * Create (POST) or change (PATCH) a consultation: text in both languages, dates, what may be commented
 * on, layers, categories, questions, embedding origins and the area. Problems, the page's own or the
 * server's (problem+json `fields`), go to a GOV.UK error summary and beside their fields.
 */
export async function consultationFormPage(user: SessionUser, existing: Consultation | null, onSaved: (id: string) => void): Promise<HTMLElement> {
  const m = cm();
  const { layers } = await portalApi.layers(user.organisation);
  const published = layers.filter((l) => l.currentVersion).map((l) => ({ value: l.slug, label: localTitle(l.title) }));
  for (const slug of existing?.layers ?? []) if (!published.some((l) => l.value === slug)) published.push({ value: slug, label: slug });

  const input = (name: string, value = '', attrs: Record<string, string> = {}) => h('input', { class: 'govuk-input', type: 'text', name, value, ...attrs });
  const textarea = (name: string, value = '', attrs: Record<string, string> = {}) => {
    const t = h('textarea', { class: 'govuk-textarea', name, rows: '4', ...attrs });
    t.value = value;
    return t;
  };
  const titleEn = input('titleEn', existing?.title.en);
  const titleCy = input('titleCy', existing?.title.cy ?? '', { lang: 'cy' });
  const descEn = textarea('descriptionEn', existing?.description.en);
  const descCy = textarea('descriptionCy', existing?.description.cy ?? '', { lang: 'cy' });
  const date = (name: string, iso?: string) => h('input', { class: 'govuk-input govuk-input--width-20', type: 'datetime-local', name, value: iso ? toLocalInput(iso) : '' });
  const opens = date('opensAt', existing?.opensAt);
  const closes = date('closesAt', existing?.closesAt);
  const kinds = checkboxes(m.kindsLegend, null, 'commentKinds', KINDS.map((k) => ({ value: k, label: m.kinds[k]!, checked: existing ? existing.commentKinds.includes(k) : k === 'point' })));
  const layerBoxes = checkboxes(m.layersLegend, m.layersHint, 'layers', published.map((l) => ({ ...l, checked: existing?.layers.includes(l.value) ?? false })));
  const categories = categoriesEditor(existing?.categories ?? []);
  const questions = questionsEditor(existing?.questions ?? []);
  const moderation = h(
    'select',
    { class: 'govuk-select', name: 'moderation' },
    ...(['pre', 'post'] as const).map((mode) => h('option', { value: mode, selected: (existing?.moderation ?? 'pre') === mode }, m.moderationModes[mode]!)),
  );
  const origins = textarea('frameAncestors', (existing?.frameAncestors ?? []).join('\n'), { rows: '3', spellcheck: 'false' });
  const area = areaPicker(existing?.area ?? null);
  const errors = errorSummary();
  const submit = h('button', { class: 'govuk-button', type: 'submit', 'data-testid': 'save-consultation' }, existing ? m.saveButton : m.createButton);

  const show = (problems: Problem[]) => {
    for (const p of problems) if (p.field) markError(p.field, p.message);
    errors.show(pt().errorSummary, problems);
  };
  /** The server names fields by path ("title.en", "questions.0.options"): the first part says where to send the keyboard. */
  const fieldFor: Record<string, [HTMLElement | (() => HTMLElement), string]> = {
    title: [titleEn, m.titleEn],
    description: [descEn, m.descriptionEn],
    opensAt: [opens, m.opensAt],
    closesAt: [closes, m.closesAt],
    commentKinds: [kinds.inputs[0]!, m.kindsLegend],
    layers: [() => layerBoxes.inputs[0] ?? layerBoxes.el, m.layersLegend],
    categories: [categories.first, m.categoriesHeading],
    questions: [questions.first, m.questionsHeading],
    frameAncestors: [origins, m.origins],
    area: [area.focusTarget, m.areaHeading],
  };
  const serverProblems = (err: unknown): Problem[] => {
    if (!(err instanceof ApiError)) return [{ message: pt().failed }];
    if (err.fields.length === 0) return [{ message: err.message }];
    return err.fields.map((f) => {
      const known = fieldFor[f.field.split('.')[0]!];
      const target = known && (typeof known[0] === 'function' ? known[0]() : known[0]);
      return { message: known ? `${known[1]}: ${f.problem ?? err.message}` : `${f.field}: ${f.problem ?? err.message}`, field: target };
    });
  };

  const save = async () => {
    clearErrors(page);
    errors.hide();
    const opensAt = fromLocalInput(opens.value);
    const closesAt = fromLocalInput(closes.value);
    const chosenArea = area.value();
    const problems: Problem[] = [];
    if (!titleEn.value.trim()) problems.push({ message: m.enterTitle, field: titleEn });
    if (!descEn.value.trim()) problems.push({ message: m.enterDescription, field: descEn });
    if (!opensAt) problems.push({ message: m.enterOpens, field: opens });
    if (!closesAt) problems.push({ message: m.enterCloses, field: closes });
    if (opensAt && closesAt && Date.parse(closesAt) <= Date.parse(opensAt)) problems.push({ message: m.closesAfterOpens, field: closes });
    if (kinds.checked().length === 0) problems.push({ message: m.chooseKind, field: kinds.inputs[0] });
    if (!chosenArea) problems.push({ message: m.chooseArea, field: area.focusTarget });
    if (problems.length) return show(problems);
    const body: ConsultationInput = {
      title: { en: titleEn.value.trim(), cy: titleCy.value.trim() || null },
      description: { en: descEn.value.trim(), cy: descCy.value.trim() || null },
      opensAt: opensAt!,
      closesAt: closesAt!,
      commentKinds: kinds.checked() as CommentKind[],
      layers: layerBoxes.checked(),
      categories: categories.value(),
      questions: questions.value(),
      frameAncestors: originsOf(origins.value),
      moderation: moderation.value as 'pre' | 'post',
      area: chosenArea!,
    };
    submit.disabled = true;
    try {
      const saved = existing ? await portalApi.updateConsultation(existing.id, body) : await portalApi.createConsultation(body);
      onSaved(saved.id);
    } catch (err) {
      show(serverProblems(err));
    } finally {
      submit.disabled = false;
    }
  };

  const section = (heading: string, hint: string, ...children: HTMLElement[]) => h('div', { class: 'app-section' }, h('h2', { class: 'govuk-heading-m' }, heading), h('p', { class: 'govuk-hint' }, hint), ...children);
  const page = h(
    'div',
    {},
    h('a', { class: 'govuk-back-link', href: existing ? `#/consultations/${encodeURIComponent(existing.id)}` : '#/consultations' }, m.backToList),
    errors.el,
    h('h1', { class: 'govuk-heading-l' }, existing ? m.editHeading : m.newHeading),
    form(
      () => void save(),
      field(m.titleEn, titleEn),
      field(m.titleCy, titleCy, m.welshHint),
      field(m.descriptionEn, descEn),
      field(m.descriptionCy, descCy, m.welshHint),
      field(m.opensAt, opens, m.timeHint),
      field(m.closesAt, closes, m.timeHint),
      kinds.el,
      published.length ? layerBoxes.el : h('p', { class: 'govuk-body' }, m.noPublishedLayers),
      section(m.categoriesHeading, m.categoriesHint, categories.el),
      section(m.questionsHeading, m.questionsHint, questions.el),
      field(m.moderationLabel, moderation, m.moderationHint),
      field(m.origins, origins, m.originsHint),
      area.el,
      submit,
    ),
  );
  return page;
}
