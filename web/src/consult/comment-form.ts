import { h, replaceChildren } from '../dom';
import { lang } from '../i18n';
import { type Consultation, consultApi, type NewResponse, Problem } from './consult-api';
import { ct } from './consult-i18n';
import type { ConsultMap, MapClick } from './consult-map';
import type { LayerChoices } from './feature-choices';
import { type FieldError, FormErrors, showFocused } from './form-errors';
import type { OwnComments } from './own-comments';
import { PlacePicker } from './place-picker';
import { aboutYouFields, categoryField, commentField, honeypotField, questionFields, sentimentField } from './response-fields';

export interface CommentFormDeps {
  map: ConsultMap;
  own: OwnComments;
  /** The consulted layers' features for the list, loaded only when the consultation takes comments on features. */
  choices: () => Promise<LayerChoices[]>;
  announce: (message: string) => void;
  crosshair: (visible: boolean) => void;
}

/**
 * "Leave a comment": where (PlacePicker), the comment, category, sentiment, the questions, and
 * optional contact details; checked here first, then by the server, whose refusals (already in
 * the citizen's language) are shown the same way, on the field they name. Once sent, a
 * confirmation replaces the form, and "Your comments" follows its moderation.
 */
export class CommentForm {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'form-heading', 'data-testid': 'comment-form' });
  private picker: PlacePicker | null = null;

  constructor(
    private readonly c: Consultation,
    private readonly deps: CommentFormDeps,
  ) {
    this.renderForm();
  }

  /** A map click goes to the form while it is placing or choosing; false when it did not use it. */
  click(c: MapClick): boolean {
    return this.picker?.click(c) ?? false;
  }

  private renderForm(): void {
    const m = ct();
    const c = this.c;
    const d = this.deps;
    const picker = new PlacePicker(c.commentKinds, d.map, c.commentKinds.includes('feature') ? d.choices() : Promise.resolve([]), d.announce, d.crosshair);
    this.picker = picker;
    const comment = commentField();
    const category = categoryField(c);
    const sentiment = sentimentField();
    const questions = questionFields(c);
    const about = aboutYouFields();
    const honeypot = honeypotField();
    const submit = h('button', { class: 'govuk-button', type: 'submit' }, m.submit);
    const form = h('form', { novalidate: true, 'data-testid': 'response-form' }, picker.el, comment.el, category.el, sentiment.el, ...questions.els, about.el, honeypot.el, submit);
    const errors = new FormErrors(form);

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const place = picker.value();
      const problems: FieldError[] = [];
      if ('message' in place) problems.push(place);
      const commentProblem = comment.check();
      if (commentProblem) problems.push(commentProblem);
      problems.push(...questions.missing());
      if (problems.length) return errors.show(problems);
      if (!('kind' in place)) return;
      const body: NewResponse = {
        ...place,
        comment: comment.value(),
        category: category.value(),
        sentiment: sentiment.value(),
        answers: questions.answers(),
        name: about.name(),
        email: about.email(),
        lang: lang(),
        website: honeypot.value(),
      };
      submit.disabled = true;
      submit.textContent = m.sending;
      consultApi.submit(c.id, body).then(
        (sent) => {
          d.own.add({ id: sent.id, receipt: sent.receipt });
          this.renderSent(sent.status === 'approved');
        },
        (err: unknown) => {
          submit.disabled = false;
          submit.textContent = m.submit;
          errors.show([err instanceof Problem ? { field: err.field, message: err.detail } : { message: m.sendFailed }]);
        },
      );
    });

    this.el.setAttribute('aria-labelledby', 'form-heading');
    replaceChildren(this.el, h('h2', { class: 'govuk-heading-m', id: 'form-heading', tabindex: '-1' }, m.formHeading), errors.summary, form);
  }

  /** Under post-moderation the comment is public at once, and the banner says so. */
  private renderSent(published: boolean): void {
    const m = ct();
    this.picker?.hide();
    this.picker = null;
    const banner = h(
      'div',
      { class: 'govuk-notification-banner govuk-notification-banner--success', role: 'alert', 'aria-labelledby': 'sent-title', tabindex: '-1', 'data-testid': 'sent' },
      h('div', { class: 'govuk-notification-banner__header' }, h('h2', { class: 'govuk-notification-banner__title', id: 'sent-title' }, m.sentHeading)),
      h('div', { class: 'govuk-notification-banner__content' }, ...(published ? [h('p', { class: 'govuk-notification-banner__heading' }, m.sentPublished)] : [h('p', { class: 'govuk-notification-banner__heading' }, m.sentStatus), h('p', { class: 'govuk-body' }, m.sentBody)])),
    );
    const again = h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', on: { click: () => (this.renderForm(), this.el.querySelector<HTMLElement>('#form-heading')?.focus()) } }, m.another);
    this.el.setAttribute('aria-labelledby', 'sent-title');
    replaceChildren(this.el, banner, again);
    showFocused(banner);
  }
}

/** Instead of the form, when the consultation is not open: when it opens, or when it closed. */
export function notOpenNotice(c: Consultation, when: (iso: string) => string): HTMLElement {
  const m = ct();
  const text = c.state === 'scheduled' ? m.scheduled(when(c.opensAt), when(c.closesAt)) : m.closed(when(c.closesAt));
  return h('div', { class: 'govuk-inset-text', 'data-testid': 'not-open' }, text);
}
