import { h } from '../dom';
import { errorSummary, field, form } from './form-fields';
import { portalApi, type SessionUser } from './portal-api';
import { pt } from './portal-i18n';

/** The GOV.UK sign-in pattern: labelled fields, an error summary that takes focus and links to the field. */
export function signInPage(onSignedIn: (user: SessionUser) => void): HTMLElement {
  const m = pt();
  const email = h('input', { class: 'govuk-input', name: 'email', type: 'email', autocomplete: 'username', spellcheck: 'false' });
  const password = h('input', { class: 'govuk-input', name: 'password', type: 'password', autocomplete: 'current-password' });
  const errors = errorSummary();
  errors.el.setAttribute('data-testid', 'sign-in-error');
  const signIn = form(
    () => {
      if (!email.value.trim()) return errors.show(m.errorSummary, [{ message: m.enterEmail, field: email }]);
      if (!password.value) return errors.show(m.errorSummary, [{ message: m.enterPassword, field: password }]);
      portalApi.signIn(email.value.trim(), password.value).then(onSignedIn, () => {
        password.value = '';
        errors.show(m.errorSummary, [{ message: m.signInFailed, field: email }]);
      });
    },
    field(m.email, email),
    field(m.password, password),
    h('button', { class: 'govuk-button', type: 'submit' }, m.signIn),
  );
  return h('div', {}, errors.el, h('h1', { class: 'govuk-heading-l' }, m.signInHeading), signIn);
}
