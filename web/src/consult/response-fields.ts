import { type Child, h } from '../dom';
import { localised, localisedText } from '../i18n';
import type { Consultation, Sentiment } from './consult-api';
import { bilingual, ct, inEnglishOnly } from './consult-i18n';
import { controlId, type FieldError } from './form-errors';

/** The most a comment may hold, as the server counts it (trimmed). */
export const COMMENT_MAX = 2000;

/** GOV.UK radios in a fieldset; the first input carries the field's id, so an error links to it. */
function radios(field: string, name: string, legend: Child, items: { value: string; label: Child }[]): HTMLElement {
  return h(
    'div',
    { class: 'govuk-form-group', 'data-field': field },
    h(
      'fieldset',
      { class: 'govuk-fieldset' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, legend),
      h(
        'div',
        { class: 'govuk-radios govuk-radios--small' },
        ...items.map((item, i) => {
          const id = i === 0 ? controlId(field) : `${controlId(field)}-${item.value}`;
          return h('div', { class: 'govuk-radios__item' }, h('input', { class: 'govuk-radios__input', type: 'radio', id, name, value: item.value }), h('label', { class: 'govuk-label govuk-radios__label', for: id }, item.label));
        }),
      ),
    ),
  );
}

const checked = (el: HTMLElement, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;

/** The comment, with GOV.UK's character count: shown as typed, told to screen readers once typing pauses. */
export function commentField() {
  const m = ct();
  const id = controlId('comment');
  const visible = h('div', { class: 'govuk-hint govuk-character-count__status', 'aria-hidden': 'true', 'data-testid': 'char-count' });
  const spoken = h('div', { class: 'govuk-character-count__sr-status govuk-visually-hidden', 'aria-live': 'polite' });
  const textarea = h('textarea', { class: 'govuk-textarea govuk-js-character-count', id, name: 'comment', rows: 6, 'aria-describedby': `${id}-hint`, spellcheck: 'true' });
  const say = () => {
    const left = COMMENT_MAX - textarea.value.trim().length;
    return left >= 0 ? m.charsLeft(left) : m.charsOver(-left);
  };
  let pause: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    visible.textContent = say();
    visible.classList.toggle('govuk-error-message', textarea.value.trim().length > COMMENT_MAX);
    visible.classList.toggle('govuk-hint', textarea.value.trim().length <= COMMENT_MAX);
    clearTimeout(pause);
    pause = setTimeout(() => (spoken.textContent = say()), 1000);
  };
  textarea.addEventListener('input', update);
  visible.textContent = say();
  const el = h(
    'div',
    { class: 'govuk-form-group govuk-character-count', 'data-field': 'comment' },
    h('label', { class: 'govuk-label govuk-label--s', for: id }, m.commentLabel),
    h('div', { class: 'govuk-hint', id: `${id}-hint` }, m.commentHint),
    textarea,
    visible,
    spoken,
  );
  const check = (): FieldError | null => {
    const n = textarea.value.trim().length;
    if (!n) return { field: 'comment', message: m.needComment };
    return n > COMMENT_MAX ? { field: 'comment', message: m.commentTooLong } : null;
  };
  return { el, value: () => textarea.value.trim(), check };
}

export function categoryField(c: Consultation) {
  const m = ct();
  const select = h('select', { class: 'govuk-select', id: controlId('category'), name: 'category' }, h('option', { value: '' }, m.noCategoryOption), ...c.categories.map((k) => h('option', { value: k.id, lang: inEnglishOnly(k.label) ? 'en' : undefined }, localisedText(bilingual(k.label)))));
  const el = c.categories.length ? h('div', { class: 'govuk-form-group', 'data-field': 'category' }, h('label', { class: 'govuk-label govuk-label--s', for: select.id }, m.categoryLabel), select) : null;
  return { el, value: () => select.value || undefined };
}

export function sentimentField() {
  const m = ct();
  const el = radios('sentiment', 'sentiment', m.sentimentLegend, (['support', 'neutral', 'oppose'] as const).map((s) => ({ value: s, label: m.sentimentChoices[s]! })));
  return { el, value: () => checked(el, 'sentiment') as Sentiment | undefined };
}

/** The consultation's own questions: free text or one of its options; an optional one says so. */
export function questionFields(c: Consultation) {
  const m = ct();
  const fields = c.questions.map((q) => {
    const field = `answers.${q.id}`;
    const label = h('span', {}, localised(bilingual(q.text)), q.required ? null : ` ${m.optional}`);
    if (q.type === 'choice') {
      const el = radios(field, `answer-${q.id}`, label, (q.options ?? []).map((o) => ({ value: o.id, label: localised(bilingual(o.label)) })));
      return { q, el, value: () => checked(el, `answer-${q.id}`) ?? '' };
    }
    const input = h('textarea', { class: 'govuk-textarea', id: controlId(field), name: `answer-${q.id}`, rows: 3 });
    const el = h('div', { class: 'govuk-form-group', 'data-field': field }, h('label', { class: 'govuk-label govuk-label--s', for: input.id }, label), input);
    return { q, el, value: () => input.value.trim() };
  });
  return {
    els: fields.map((f) => f.el),
    answers: () => Object.fromEntries(fields.map((f) => [f.q.id, f.value()] as const).filter(([, v]) => v)),
    missing: (): FieldError[] => fields.filter((f) => f.q.required && !f.value()).map((f) => ({ field: `answers.${f.q.id}`, message: m.needAnswer(localisedText(bilingual(f.q.text))) })),
  };
}

/** Name and email: optional, and the page says plainly that they are never published. */
export function aboutYouFields() {
  const m = ct();
  const name = h('input', { class: 'govuk-input', id: controlId('name'), name: 'name', type: 'text', autocomplete: 'name', spellcheck: 'false' });
  const email = h('input', { class: 'govuk-input', id: controlId('email'), name: 'email', type: 'email', autocomplete: 'email', spellcheck: 'false' });
  const el = h(
    'fieldset',
    { class: 'govuk-fieldset', 'aria-describedby': 'cf-about-hint' },
    h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, m.aboutYouLegend),
    h('div', { class: 'govuk-hint', id: 'cf-about-hint', 'data-testid': 'privacy-note' }, m.aboutYouHint),
    h('div', { class: 'govuk-form-group', 'data-field': 'name' }, h('label', { class: 'govuk-label', for: name.id }, m.nameLabel), name),
    h('div', { class: 'govuk-form-group', 'data-field': 'email' }, h('label', { class: 'govuk-label', for: email.id }, m.emailLabel), email),
  );
  return { el, name: () => name.value.trim() || undefined, email: () => email.value.trim() || undefined };
}

/** A field people never see or reach and robots fill in: the server refuses a response that has it. */
export function honeypotField() {
  const input = h('input', { type: 'text', id: 'cf-website', name: 'website', tabindex: '-1', autocomplete: 'off' });
  const el = h('div', { class: 'app-honeypot', 'aria-hidden': 'true' }, h('label', { for: input.id }, ct().honeypot), input);
  return { el, value: () => input.value || undefined };
}
