import { h, uid } from '../dom';
import { portalApi, type SessionUser } from './portal-api';
import { pt } from './portal-i18n';

/** The GOV.UK sign-in pattern: labelled fields, an error summary that takes focus and links to the field. */
export function signInPage(onSignedIn: (user: SessionUser) => void): HTMLElement {
  const m = pt();
  const emailId = uid('email');
  const passwordId = uid('password');
  const email = h('input', { class: 'govuk-input', id: emailId, name: 'email', type: 'email', autocomplete: 'username', spellcheck: 'false' });
  const password = h('input', { class: 'govuk-input', id: passwordId, name: 'password', type: 'password', autocomplete: 'current-password' });
  const summary = h('div', { class: 'govuk-error-summary', hidden: true, tabindex: '-1', 'data-testid': 'sign-in-error' });
  const showError = (message: string, field: HTMLInputElement) => {
    summary.replaceChildren(
      h('div', { role: 'alert' }, h('h2', { class: 'govuk-error-summary__title' }, m.errorSummary), h('div', { class: 'govuk-error-summary__body' }, h('ul', { class: 'govuk-list govuk-error-summary__list' }, h('li', {}, h('a', { href: `#${field.id}` }, message))))),
    );
    summary.hidden = false;
    summary.focus();
  };
  const form = h(
    'form',
    {
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          if (!email.value.trim()) return showError(m.enterEmail, email);
          if (!password.value) return showError(m.enterPassword, password);
          portalApi.signIn(email.value.trim(), password.value).then(onSignedIn, () => {
            password.value = '';
            showError(m.signInFailed, email);
          });
        },
      },
    },
    h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: emailId }, m.email), email),
    h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: passwordId }, m.password), password),
    h('button', { class: 'govuk-button', type: 'submit', 'data-module': 'govuk-button' }, m.signIn),
  );
  return h('div', {}, summary, h('h1', { class: 'govuk-heading-l' }, m.signInHeading), form);
}
