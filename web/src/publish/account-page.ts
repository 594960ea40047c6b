import { h } from '../dom';
import { errorSummary, field, form } from './form-fields';
import { portalApi, type SessionUser } from './portal-api';
import { formatWhen, pt } from './portal-i18n';

/** The organisation's API tokens (make one, shown once; revoke) and the user's password change. */
export async function accountPage(user: SessionUser, announce: (message: string) => void, rerender: () => void): Promise<HTMLElement> {
  const m = pt();
  const errors = errorSummary();
  const canManageTokens = user.roles.includes('publisher') || user.roles.includes('admin');
  const parts: HTMLElement[] = [h('a', { class: 'govuk-back-link', href: '#/' }, m.back), errors.el];

  if (canManageTokens) {
    const { tokens } = await portalApi.tokens(user.organisation);
    const name = h('input', { class: 'govuk-input govuk-input--width-20', name: 'tokenName', type: 'text' });
    const shown = h('div', { 'data-testid': 'new-token' });
    const rows = tokens.map((t) =>
      h(
        'tr',
        { class: 'govuk-table__row', 'data-token': t.id },
        h('td', { class: 'govuk-table__cell' }, t.name),
        h('td', { class: 'govuk-table__cell' }, h('code', {}, `${t.prefix}…`)),
        h('td', { class: 'govuk-table__cell' }, formatWhen(t.createdAt)),
        h('td', { class: 'govuk-table__cell' }, formatWhen(t.lastUsedAt)),
        h(
          'td',
          { class: 'govuk-table__cell' },
          t.revokedAt
            ? h('strong', { class: 'govuk-tag govuk-tag--grey' }, m.revoked)
            : h('button', { class: 'govuk-button govuk-button--warning govuk-!-margin-bottom-0', type: 'button', on: { click: () => void portalApi.revokeToken(user.organisation, t.id).then(rerender, () => announce(m.failed)) } }, m.revoke(t.name)),
        ),
      ),
    );
    parts.push(
      h('h1', { class: 'govuk-heading-l' }, m.tokensHeading),
      h('p', { class: 'govuk-body' }, m.tokensHint),
      form(
        () => {
          if (!name.value.trim()) return errors.show(m.errorSummary, [{ message: m.enterTokenName, field: name }]);
          portalApi.createToken(user.organisation, name.value.trim()).then(
            (made) => {
              shown.replaceChildren(h('div', { class: 'govuk-inset-text' }, h('p', { class: 'govuk-body' }, m.newToken), h('code', { class: 'app-token', 'data-testid': 'token-value' }, made.token)));
              name.value = '';
            },
            (err: Error) => errors.show(m.errorSummary, [{ message: err.message, field: name }]),
          );
        },
        field(m.tokenName, name),
        h('button', { class: 'govuk-button', type: 'submit' }, m.createToken),
      ),
      shown,
      h(
        'table',
        { class: 'govuk-table', 'data-testid': 'tokens' },
        h('caption', { class: 'govuk-table__caption govuk-visually-hidden' }, m.tokensHeading),
        h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, ...[m.tokenNameColumn, m.tokenPrefix, m.created, m.lastUsed, ''].map((c) => h('th', { class: 'govuk-table__header', scope: 'col' }, c)))),
        h('tbody', { class: 'govuk-table__body' }, ...rows),
      ),
    );
  }

  const current = h('input', { class: 'govuk-input govuk-input--width-20', name: 'currentPassword', type: 'password', autocomplete: 'current-password' });
  const next = h('input', { class: 'govuk-input govuk-input--width-20', name: 'newPassword', type: 'password', autocomplete: 'new-password' });
  parts.push(
    h('h2', { class: 'govuk-heading-m' }, m.passwordHeading),
    form(
      () => {
        portalApi.changePassword(current.value, next.value).then(
          () => {
            current.value = '';
            next.value = '';
            errors.hide();
            announce(m.passwordChanged);
          },
          (err: Error) => errors.show(m.errorSummary, [{ message: err.message, field: next }]),
        );
      },
      field(m.currentPassword, current),
      field(m.newPassword, next, m.newPasswordHint),
      h('button', { class: 'govuk-button', type: 'submit' }, m.changePassword),
    ),
  );
  return h('div', {}, ...parts);
}
