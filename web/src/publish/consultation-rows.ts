import { h, uid } from '../dom';
import { cm, keyFrom } from './consultation-format';
import type { Bilingual, ConsultationQuestion } from './portal-api';

/** One editable row: its element, its first control (for focus), and its labels renumbered after a removal. */
interface Row<T> {
  el: HTMLElement;
  first: HTMLElement;
  number: (n: number) => void;
  value: (taken: Set<string>, n: number) => T | null;
}

const input = (name: string, value = '', attrs: Record<string, string> = {}) => h('input', { class: 'govuk-input', type: 'text', name, value, ...attrs });
/** A label whose words change with the row's number. */
function labelled(control: HTMLElement, extraClass = ''): { group: HTMLElement; label: HTMLLabelElement } {
  control.id ||= uid('row');
  const label = h('label', { class: 'govuk-label', for: control.id });
  return { group: h('div', { class: `govuk-form-group ${extraClass}` }, label, control), label };
}
const bilingualOf = (en: HTMLInputElement, cy: HTMLInputElement): Bilingual | null => (en.value.trim() ? { en: en.value.trim(), cy: cy.value.trim() || null } : null);

/** Rows added and removed with buttons; the new row, or the add button after a removal, takes focus. */
function rowList<T>(testid: string, addLabel: string, removeLabel: (n: number) => string, make: (initial?: T) => Row<T>, initial: T[]) {
  const rows: Row<T>[] = [];
  const list = h('div', { 'data-testid': testid });
  const add = h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-add': testid }, addLabel);
  const renumber = () => rows.forEach((r, i) => r.number(i + 1));
  const push = (value?: T) => {
    const row = make(value);
    const remove = h('button', { class: 'govuk-button govuk-button--warning govuk-!-margin-bottom-0', type: 'button', 'data-remove': testid });
    const number = row.number;
    row.number = (n) => (number(n), (remove.textContent = removeLabel(n)));
    remove.addEventListener('click', () => {
      const at = rows.indexOf(row);
      rows.splice(at, 1);
      row.el.remove();
      renumber();
      (rows[at - 1]?.first ?? add).focus();
    });
    row.el.append(remove);
    rows.push(row);
    list.append(row.el);
    renumber();
    return row;
  };
  add.addEventListener('click', () => push().first.focus());
  initial.forEach((v) => push(v));
  return {
    el: h('div', {}, list, add),
    value: (): T[] => {
      const taken = new Set<string>();
      return rows.map((r, i) => r.value(taken, i + 1)).filter((v): v is T => v !== null);
    },
    first: () => rows[0]?.first ?? add,
  };
}

type Category = { id: string; label: Bilingual };

/** Categories: an English and a Welsh label each; a saved category keeps its id, so responses filed under it stay there. */
export function categoriesEditor(initial: Category[]) {
  const m = cm();
  return rowList<Category>(
    'categories',
    m.addCategory,
    m.removeCategory,
    (c) => {
      const en = input('categoryEn', c?.label.en);
      const cy = input('categoryCy', c?.label.cy ?? '', { lang: 'cy' });
      const [a, b] = [labelled(en), labelled(cy)];
      return {
        el: h('div', { class: 'app-row' }, a.group, b.group),
        first: en,
        number: (n) => ((a.label.textContent = m.categoryEn(n)), (b.label.textContent = m.categoryCy(n))),
        value: (taken, n) => {
          const label = bilingualOf(en, cy);
          if (!label) return null;
          const id = c?.id && !taken.has(c.id) ? (taken.add(c.id), c.id) : keyFrom(label.en, taken, `category-${n}`);
          return { id, label };
        },
      };
    },
    initial,
  );
}

/** "English | Welsh" lines to options; an option whose English is unchanged keeps its id. */
function parseOptions(text: string, before: ConsultationQuestion['options'] = []): NonNullable<ConsultationQuestion['options']> {
  const taken = new Set<string>();
  return text
    .split('\n')
    .map((line) => line.split('|').map((s) => s.trim()))
    .filter(([en]) => en)
    .map(([en, cy], i) => {
      const old = before.find((o) => o.label.en === en && !taken.has(o.id));
      return { id: old ? (taken.add(old.id), old.id) : keyFrom(en!, taken, `option-${i + 1}`), label: { en: en!, cy: cy || null } };
    });
}

/** Questions: text in both languages, a written answer or one of a list of options, and whether it must be answered. */
export function questionsEditor(initial: ConsultationQuestion[]) {
  const m = cm();
  return rowList<ConsultationQuestion>(
    'questions',
    m.addQuestion,
    m.removeQuestion,
    (q) => {
      const en = input('questionEn', q?.text.en);
      const cy = input('questionCy', q?.text.cy ?? '', { lang: 'cy' });
      const type = h('select', { class: 'govuk-select', name: 'questionType' }, ...['text', 'choice'].map((t) => h('option', { value: t, selected: q?.type === t }, m.questionTypes[t]!)));
      const options = h('textarea', { class: 'govuk-textarea', name: 'questionOptions', rows: '3' });
      options.value = (q?.options ?? []).map((o) => (o.label.cy ? `${o.label.en} | ${o.label.cy}` : o.label.en)).join('\n');
      const required = h('input', { class: 'govuk-checkboxes__input', type: 'checkbox', name: 'questionRequired', id: uid('required'), checked: q?.required === true });
      const requiredLabel = h('label', { class: 'govuk-label govuk-checkboxes__label', for: required.id });
      const [a, b, c, d] = [labelled(en), labelled(cy), labelled(type), labelled(options)];
      const hint = h('div', { class: 'govuk-hint', id: `${options.id}-hint` }, m.optionsHint);
      options.setAttribute('aria-describedby', hint.id);
      d.label.after(hint);
      const showOptions = () => (d.group.hidden = type.value !== 'choice');
      type.addEventListener('change', showOptions);
      showOptions();
      return {
        el: h('div', { class: 'app-row' }, a.group, b.group, c.group, d.group, h('div', { class: 'govuk-form-group' }, h('div', { class: 'govuk-checkboxes govuk-checkboxes--small' }, h('div', { class: 'govuk-checkboxes__item' }, required, requiredLabel)))),
        first: en,
        number: (n) => {
          a.label.textContent = m.questionEn(n);
          b.label.textContent = m.questionCy(n);
          c.label.textContent = m.questionType(n);
          d.label.textContent = m.options(n);
          requiredLabel.textContent = m.required(n);
        },
        value: (taken, n) => {
          const text = bilingualOf(en, cy);
          if (!text) return null;
          const id = q?.id && !taken.has(q.id) ? (taken.add(q.id), q.id) : keyFrom(text.en, taken, `question-${n}`);
          const choice = type.value === 'choice';
          return { id, text, type: choice ? 'choice' : 'text', ...(choice ? { options: parseOptions(options.value, q?.options) } : {}), required: required.checked };
        },
      };
    },
    initial,
  );
}
