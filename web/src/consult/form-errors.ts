import { h } from '../dom';
import { ct } from './consult-i18n';

/** A problem with the form, on a field (as the server names them: comment, geometry, answers.why…) or on the whole. */
export interface FieldError {
  field?: string;
  message: string;
}

/** The id of the control a field's error links to. */
export const controlId = (field: string) => `cf-${field.replace(/[^a-z0-9-]/gi, '-')}`;

const ERROR_CLASS: Record<string, string> = { INPUT: 'govuk-input--error', TEXTAREA: 'govuk-textarea--error', SELECT: 'govuk-select--error' };

/**
 * The GOV.UK error pattern: a summary that takes focus, each message linking to its control, and
 * the same message inline above the control (described by it). A field's form group is the
 * element marked data-field; a field the page does not show is listed in the summary only.
 */
export class FormErrors {
  readonly summary = h('div', { class: 'govuk-error-summary', hidden: true, tabindex: '-1', 'data-testid': 'error-summary' });

  constructor(private readonly form: HTMLElement) {}

  show(errors: FieldError[]): void {
    this.clear();
    const m = ct();
    const items = errors.map((e) => {
      const control = e.field ? this.mark(e.field, e.message) : null;
      if (!control) return h('li', {}, e.message);
      return h('li', {}, h('a', { href: `#${control.id}`, on: { click: (ev) => (ev.preventDefault(), focusControl(control)) } }, e.message));
    });
    this.summary.replaceChildren(
      h('div', { role: 'alert' }, h('h2', { class: 'govuk-error-summary__title' }, m.errorSummary), h('div', { class: 'govuk-error-summary__body' }, h('ul', { class: 'govuk-list govuk-error-summary__list' }, ...items))),
    );
    this.summary.hidden = false;
    showFocused(this.summary);
  }

  clear(): void {
    this.summary.hidden = true;
    this.summary.replaceChildren();
    for (const el of this.form.querySelectorAll('.govuk-error-message[data-error-for]')) {
      const control = document.getElementById(el.getAttribute('data-error-for')!);
      if (control) describedBy(control, el.id, false);
      el.remove();
    }
    for (const el of this.form.querySelectorAll('.govuk-form-group--error')) el.classList.remove('govuk-form-group--error');
    for (const cls of Object.values(ERROR_CLASS)) for (const el of this.form.querySelectorAll(`.${cls}`)) el.classList.remove(cls);
  }

  /** Shows the message inline; returns the control to link to, or null if the field is not on the page. */
  private mark(field: string, message: string): HTMLElement | null {
    const group = this.form.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`);
    const control = document.getElementById(controlId(field));
    if (!group || group.closest('[hidden]') || !control) return null;
    group.classList.add('govuk-form-group--error');
    const cls = ERROR_CLASS[control.tagName];
    if (cls) control.classList.add(cls);
    const id = `${control.id}-error`;
    const error = h('p', { class: 'govuk-error-message', id, 'data-error-for': control.id }, h('span', { class: 'govuk-visually-hidden' }, `${ct().errorPrefix} `), message);
    const after = [...group.querySelectorAll(':scope > .govuk-hint, :scope > label, :scope > legend, :scope > fieldset > .govuk-hint, :scope > fieldset > legend')].pop();
    if (after) after.after(error);
    else group.prepend(error);
    describedBy(control, id, true);
    return control;
  }
}

function describedBy(el: HTMLElement, id: string, on: boolean): void {
  const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size) el.setAttribute('aria-describedby', [...ids].join(' '));
  else el.removeAttribute('aria-describedby');
}

/**
 * Focuses an element and scrolls it to the top of what is visible: focus() alone leaves it
 * half under a narrow screen's sticky map, where scrollIntoView keeps clear (scroll-padding).
 */
export function showFocused(el: HTMLElement): void {
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'start' });
}

/** As GOV.UK Frontend's summary links do: focus the control and show its label or legend above it. */
function focusControl(control: HTMLElement): void {
  const heading = control.closest('fieldset')?.querySelector('legend') ?? (control.id ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null);
  (heading ?? control).scrollIntoView({ block: 'center' });
  control.focus({ preventScroll: true });
}
