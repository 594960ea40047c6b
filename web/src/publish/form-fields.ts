import { type Child, h, uid } from '../dom';

/** A GOV.UK form group: label (and hint) wired to the control by id. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: id }, label), hint ? h('div', { class: 'govuk-hint', id: hintId }, hint) : null, control);
}

/** The GOV.UK error summary: shown with its messages, focused, each linking to its field. */
export function errorSummary(): { el: HTMLElement; show: (title: string, errors: Array<{ message: string; field?: HTMLElement }>) => void; hide: () => void } {
  const el = h('div', { class: 'govuk-error-summary', hidden: true, tabindex: '-1', 'data-testid': 'error-summary' });
  return {
    el,
    show(title, errors) {
      const items: Child[] = errors.map((e) => h('li', {}, e.field ? h('a', { href: `#${e.field.id}` }, e.message) : e.message));
      el.replaceChildren(h('div', { role: 'alert' }, h('h2', { class: 'govuk-error-summary__title' }, title), h('div', { class: 'govuk-error-summary__body' }, h('ul', { class: 'govuk-list govuk-error-summary__list' }, ...items))));
      el.hidden = false;
      el.focus();
    },
    hide() {
      el.hidden = true;
    },
  };
}

/** A form the page handles itself: no browser validation bubbles (GOV.UK error summaries instead), submit without a reload. */
export function form(onSubmit: () => void, ...children: Child[]): HTMLFormElement {
  return h(
    'form',
    {
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          onSubmit();
        },
      },
    },
    ...children,
  );
}
