import { type Child, h, uid } from '../dom';
import { clearErrors, markError } from './consultation-controls';
import { cm, localText, responseStatusTag } from './consultation-format';
import { ApiError, type Consultation, type ConsultationResponse, type Moderation, portalApi } from './portal-api';
import { formatWhen, pt } from './portal-i18n';

export interface ResponseCardHooks {
  showOnMap: (r: ConsultationResponse) => void;
  /** The response as the server has it after a moderator's action. */
  changed: (r: ConsultationResponse, said: string) => void;
}

const privateTag = () => h('strong', { class: 'govuk-tag govuk-tag--grey app-private' }, cm().private);

/** An answer as the citizen chose it: a choice's option label, or the written text. */
function answerText(c: Consultation, questionId: string, answer: string): [Child, Child] {
  const q = c.questions.find((x) => x.id === questionId);
  const option = q?.options?.find((o) => o.id === answer);
  return [q ? localText(q.text) : questionId, option ? localText(option.label) : answer];
}

/**
 * One response for a moderator: what the citizen said, where, their contact details (marked private),
 * the buttons that approve, reject (with a reason), remove the contact details or replace the comment,
 * and the trail of what moderators did.
 */
export function responseCard(c: Consultation, r: ConsultationResponse, hooks: ResponseCardHooks): HTMLElement {
  const m = cm();
  const heading = h('h3', { class: 'govuk-summary-card__title', tabindex: '-1' }, m.response(r.id));
  const category = c.categories.find((x) => x.id === r.category);
  const row = (key: Child | Child[], value: Child | Child[], attrs: Record<string, string> = {}) =>
    h('div', { class: 'govuk-summary-list__row', ...attrs }, h('dt', { class: 'govuk-summary-list__key' }, ...(Array.isArray(key) ? key : [key])), h('dd', { class: 'govuk-summary-list__value' }, ...(Array.isArray(value) ? value : [value])));
  const answers = Object.entries(r.answers ?? {});
  const rows = [
    row(m.comment, [h('span', { class: 'app-response-comment', 'data-comment': true }, r.comment), r.commentRedacted ? h('span', { class: 'govuk-hint govuk-!-margin-bottom-0' }, ` ${m.redacted}`) : null]),
    row(m.kind, m.kindShort[r.kind] ?? r.kind),
    r.layer ? row(m.featureRow, `${r.layer} / ${r.featureId ?? ''}`) : null,
    row(m.category, category ? localText(category.label) : (r.category ?? pt().none)),
    row(m.sentiment, r.sentiment ? (m.sentiments[r.sentiment] ?? r.sentiment) : pt().none),
    answers.length
      ? row(m.answers, h('dl', { class: 'app-answers' }, ...answers.flatMap(([q, a]) => { const [question, answer] = answerText(c, q, a); return [h('dt', {}, question), h('dd', {}, answer)]; })))
      : null,
    r.contact?.name || r.contact?.email
      ? [row([m.name, ' ', privateTag()], r.contact.name ?? pt().none, { 'data-contact': 'name' }), row([m.email, ' ', privateTag()], r.contact.email ?? pt().none, { 'data-contact': 'email' })]
      : row([m.name, ' ', privateTag()], m.noContact, { 'data-contact': 'none' }),
    row(m.received, formatWhen(r.createdAt)),
    r.statusReason ? row(m.reason, r.statusReason) : null,
  ].flat();

  const failure = h('p', { class: 'govuk-error-message', hidden: true, role: 'alert' });
  const act = async (body: Moderation, said: string) => {
    failure.hidden = true;
    try {
      hooks.changed(await portalApi.moderate(c.id, r.id, body), said);
    } catch (err) {
      failure.textContent = err instanceof ApiError ? err.message : pt().failed;
      failure.hidden = false;
    }
  };
  const hidden = (text: string) => h('span', { class: 'govuk-visually-hidden' }, ` (${text})`);
  const button = (label: string, action: string, click: () => void, kind = 'secondary') =>
    h('button', { class: kind ? `govuk-button govuk-button--${kind}` : 'govuk-button', type: 'button', 'data-action': action, on: { click } }, label, hidden(m.response(r.id)));
  /** A button that opens a small form under the buttons (aria-expanded says whether it is open). */
  const disclosure = (label: string, action: string, panel: HTMLElement, focus: HTMLElement) => {
    panel.id = uid('panel');
    const b = button(label, action, () => {
      panel.hidden = !panel.hidden;
      b.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden) focus.focus();
    });
    b.setAttribute('aria-expanded', 'false');
    b.setAttribute('aria-controls', panel.id);
    return b;
  };

  const reason = h('input', { class: 'govuk-input', type: 'text', name: 'reason', id: uid('reason') });
  const rejectPanel = h(
    'div',
    { class: 'app-panel-form', hidden: true },
    h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: reason.id }, m.rejectReason), reason),
    button(m.confirmReject, 'confirm-reject', () => {
      clearErrors(rejectPanel);
      if (!reason.value.trim()) return void (markError(reason, m.enterReason), reason.focus());
      void act({ status: 'rejected', reason: reason.value.trim() }, m.done.reject(r.id));
    }, 'warning'),
  );
  const replacement = h('textarea', { class: 'govuk-textarea', name: 'replacement', rows: '2', id: uid('replacement') });
  replacement.value = m.replacementDefault;
  const redactPanel = h(
    'div',
    { class: 'app-panel-form', hidden: true },
    h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: replacement.id }, m.replacement), replacement),
    button(m.confirmRedact, 'confirm-redact', () => void act({ redact: { comment: replacement.value } }, m.done.comment(r.id)), 'warning'),
  );

  const buttons = h(
    'div',
    { class: 'govuk-button-group' },
    r.geometry ? button(pt().showOnMap, 'show', () => hooks.showOnMap(r)) : null,
    r.status !== 'approved' ? button(m.approve, 'approve', () => void act({ status: 'approved' }, m.done.approve(r.id)), '') : null,
    r.status !== 'rejected' ? disclosure(m.reject, 'reject', rejectPanel, reason) : null,
    r.contact ? button(m.removeContact, 'remove-contact', () => void act({ redact: { contact: true } }, m.done.contact(r.id)), 'warning') : null,
    disclosure(m.redact, 'redact', redactPanel, replacement),
  );

  const trail = r.moderation ?? [];
  return h(
    'div',
    { class: 'govuk-summary-card', 'data-response': r.id, 'data-status': r.status ?? '' },
    h('div', { class: 'govuk-summary-card__title-wrapper' }, heading, r.status ? responseStatusTag(r.status) : null),
    h(
      'div',
      { class: 'govuk-summary-card__content' },
      h('dl', { class: 'govuk-summary-list' }, ...rows),
      failure,
      buttons,
      rejectPanel,
      redactPanel,
      h('h4', { class: 'govuk-heading-s' }, m.trailHeading),
      trail.length
        ? h('ol', { class: 'govuk-list app-trail', 'data-testid': 'trail' }, ...trail.map((a) => h('li', { 'data-trail': a.action }, m.trailEntry(m.actions[a.action] ?? a.action, a.actor, formatWhen(a.at)), a.reason ? h('span', { class: 'app-trail__reason' }, `: ${a.reason}`) : null)))
        : h('p', { class: 'govuk-body-s', 'data-testid': 'trail' }, m.noTrail),
    ),
  );
}
