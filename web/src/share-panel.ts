import type { AppState } from './app-state';
import { h, keepingFocus, replaceChildren, uid } from './dom';
import { t } from './i18n';
import { writeState } from './map-state';

/** The link that reopens exactly this map, kept in the address bar too, with a copy button. */
export class SharePanel {
  readonly el = h('section', { class: 'app-section app-share', 'aria-labelledby': 'share-heading' });

  constructor(private readonly app: AppState) {
    app.onChange((kind) => {
      if (kind === 'selection' || kind === 'drawn') return;
      history.replaceState(null, '', writeState(this.app.state));
      keepingFocus(this.el, () => this.render());
    });
  }

  url(): string {
    return new URL(writeState(this.app.state), location.href).href;
  }

  render(): void {
    const m = t();
    const inputId = uid('share');
    const input = h('input', { class: 'govuk-input', id: inputId, type: 'text', readonly: true, value: this.url(), 'data-testid': 'share-url' });
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'share-heading' }, m.share),
      h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: inputId }, m.shareLabel), input),
      h(
        'button',
        {
          class: 'govuk-button govuk-button--secondary',
          type: 'button',
          'data-key': 'copy-link',
          on: {
            click: async () => {
              try {
                await navigator.clipboard.writeText(input.value);
              } catch {
                // No clipboard permission (an embed, an old browser): leave the link selected to copy by hand.
                input.select();
                document.execCommand('copy');
              }
              this.app.announce(m.copied);
            },
          },
        },
        m.copyLink,
      ),
    );
  }
}
