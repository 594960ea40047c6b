import { h, uid } from '../dom';
import { cm } from './consultation-format';

/** A GOV.UK checkboxes fieldset: legend, optional hint, one labelled box per item. */
export function checkboxes(legend: string, hint: string | null, name: string, items: { value: string; label: string; checked: boolean }[]) {
  const hintId = hint ? uid(`${name}-hint`) : undefined;
  const inputs = items.map((item) => h('input', { class: 'govuk-checkboxes__input', type: 'checkbox', name, value: item.value, id: uid(name), checked: item.checked }));
  const el = h(
    'div',
    { class: 'govuk-form-group' },
    h(
      'fieldset',
      { class: 'govuk-fieldset', 'aria-describedby': hintId ?? false },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, legend),
      hint ? h('div', { class: 'govuk-hint', id: hintId }, hint) : null,
      h('div', { class: 'govuk-checkboxes govuk-checkboxes--small' }, ...inputs.map((input, i) => h('div', { class: 'govuk-checkboxes__item' }, input, h('label', { class: 'govuk-label govuk-checkboxes__label', for: input.id }, items[i]!.label)))),
    ),
  );
  return { el, inputs, checked: () => inputs.filter((i) => i.checked).map((i) => i.value) };
}

/**
 * The GOV.UK inline error: the control's group turns red and says what is wrong above the control,
 * and the control's description includes it, so the summary's link lands on an explained field.
 */
export function markError(control: HTMLElement, message: string): void {
  const group = control.closest('.govuk-form-group');
  if (!group) return;
  group.classList.add('govuk-form-group--error');
  const id = uid('error');
  const text = h('p', { class: 'govuk-error-message', id, 'data-error': true }, h('span', { class: 'govuk-visually-hidden' }, cm().errorPrefix), ' ', message);
  const anchor =
    group.querySelector(':scope > fieldset > .govuk-hint') ?? group.querySelector(':scope > fieldset > legend') ?? group.querySelector(':scope > .govuk-hint') ?? group.querySelector(':scope > label');
  if (anchor) anchor.after(text);
  else group.prepend(text);
  const described = group.querySelector(':scope > fieldset') ?? control;
  described.setAttribute('aria-describedby', [described.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  for (const kind of ['input', 'textarea', 'select']) if (control.classList.contains(`govuk-${kind}`)) control.classList.add(`govuk-${kind}--error`);
}

/** Takes every inline error out of `root`, as the page was before the last submit. */
export function clearErrors(root: HTMLElement): void {
  for (const text of root.querySelectorAll<HTMLElement>('[data-error]')) {
    const id = text.id;
    for (const d of root.querySelectorAll(`[aria-describedby~="${id}"]`)) {
      const rest = d.getAttribute('aria-describedby')!.split(' ').filter((x) => x !== id);
      if (rest.length) d.setAttribute('aria-describedby', rest.join(' '));
      else d.removeAttribute('aria-describedby');
    }
    text.remove();
  }
  for (const g of root.querySelectorAll('.govuk-form-group--error')) g.classList.remove('govuk-form-group--error');
  for (const c of root.querySelectorAll('.govuk-input--error, .govuk-textarea--error, .govuk-select--error')) c.classList.remove('govuk-input--error', 'govuk-textarea--error', 'govuk-select--error');
}
