import type { AppState } from './app-state';
import { h, keepingFocus, replaceChildren, uid } from './dom';
import { localised, localisedText, t } from './i18n';
import { legendSwatch } from './legend';
import type { Overlay } from './map-state';

/** "Your map": the overlays in drawing order (top first) — show/hide, reorder by drag or keys, opacity, remove — and the legend. */
export class OverlayPanel {
  readonly el = h('section', { class: 'app-section', 'aria-labelledby': 'your-map-heading' });
  private dragging: string | null = null;

  constructor(private readonly app: AppState) {
    app.onChange((kind) => {
      if (kind === 'overlays' || kind === 'lang') keepingFocus(this.el, () => this.render());
      // The legend is drawn from the style layers on the map, which arrive with each layer's style.
      if (kind === 'drawn') this.renderLegend();
    });
  }

  private legend = h('div', {});

  render(): void {
    const m = t();
    const overlays = this.app.state.overlays;
    replaceChildren(
      this.el,
      h('h2', { class: 'govuk-heading-m', id: 'your-map-heading' }, m.yourMap),
      overlays.length === 0
        ? h('p', { class: 'govuk-body' }, m.noOverlays)
        : h('div', {}, h('p', { class: 'govuk-hint' }, m.reorderHint), h('ol', { class: 'govuk-list', 'aria-label': m.yourMap }, ...overlays.map((o, i) => this.item(o, i, overlays.length)))),
      this.legend,
    );
    this.renderLegend();
  }

  private renderLegend(): void {
    const m = t();
    const entries = this.app.state.overlays
      .filter((o) => o.visible)
      .map((o) => ({ o, drawn: this.app.overlays.drawnOverlay(o.slug), meta: this.app.layers.get(o.slug) }))
      .filter((e) => e.drawn && e.meta);
    replaceChildren(
      this.legend,
      entries.length === 0
        ? null
        : h('div', {}, h('h3', { class: 'govuk-heading-s' }, m.legend), h('ul', { class: 'app-legend govuk-body-s', 'data-testid': 'legend' }, ...entries.map((e) => h('li', { 'data-layer': e.o.slug }, legendSwatch(e.drawn!.layers), localised(e.meta!.title))))),
    );
  }

  private item(o: Overlay, index: number, count: number): HTMLElement {
    const m = t();
    const meta = this.app.layers.get(o.slug);
    const title = meta ? localisedText(meta.title) : o.slug;
    const visibleId = uid('visible');
    const opacityId = uid('opacity');
    const moveTo = (to: number) => {
      this.app.move(o.slug, to);
      this.app.announce(m.moved(title, to + 1, count));
    };
    const li = h(
      'li',
      {
        class: 'app-overlay',
        draggable: 'true',
        tabindex: -1,
        'data-key': `overlay:${o.slug}`,
        'data-layer': o.slug,
        on: {
          dragstart: (e) => {
            this.dragging = o.slug;
            e.dataTransfer?.setData('text/plain', o.slug);
            li.classList.add('app-overlay--dragging');
          },
          dragend: () => li.classList.remove('app-overlay--dragging'),
          dragover: (e) => {
            e.preventDefault();
            li.classList.add('app-overlay--drop-target');
          },
          dragleave: () => li.classList.remove('app-overlay--drop-target'),
          drop: (e) => {
            e.preventDefault();
            const slug = this.dragging ?? e.dataTransfer?.getData('text/plain');
            this.dragging = null;
            if (slug && slug !== o.slug) {
              this.app.move(slug, index);
              this.app.announce(m.moved(this.app.layers.get(slug) ? localisedText(this.app.layers.get(slug)!.title) : slug, index + 1, count));
            }
          },
        },
      },
      h(
        'div',
        { class: 'app-overlay__row' },
        h(
          'div',
          { class: 'govuk-checkboxes govuk-checkboxes--small app-overlay__title' },
          h(
            'div',
            { class: 'govuk-checkboxes__item' },
            h('input', {
              class: 'govuk-checkboxes__input',
              type: 'checkbox',
              id: visibleId,
              'data-key': `visible:${o.slug}`,
              checked: o.visible,
              on: { change: (e) => this.app.update(o.slug, { visible: (e.target as HTMLInputElement).checked }) },
            }),
            h('label', { class: 'govuk-label govuk-checkboxes__label', for: visibleId }, meta ? localised(meta.title) : o.slug),
          ),
        ),
        h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-key': `up:${o.slug}`, disabled: index === 0, 'aria-label': `${m.moveUp}: ${title}`, on: { click: () => moveTo(index - 1) } }, '↑'),
        h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', 'data-key': `down:${o.slug}`, disabled: index === count - 1, 'aria-label': `${m.moveDown}: ${title}`, on: { click: () => moveTo(index + 1) } }, '↓'),
        h('button', { class: 'govuk-button govuk-button--warning', type: 'button', 'aria-label': `${m.remove}: ${title}`, on: { click: () => this.app.removeOverlay(o.slug) } }, m.remove),
      ),
      h(
        'div',
        { class: 'app-overlay__opacity govuk-body-s' },
        h('label', { for: opacityId }, `${m.opacity}`),
        h('input', {
          type: 'range', id: opacityId, min: 0, max: 100, step: 5, value: Math.round(o.opacity * 100),
          'data-key': `opacity:${o.slug}`,
          'aria-valuetext': `${Math.round(o.opacity * 100)}%`,
          on: {
            input: (e) => {
              const input = e.target as HTMLInputElement;
              input.setAttribute('aria-valuetext', `${input.value}%`);
              input.nextElementSibling!.textContent = `${input.value}%`;
              this.app.update(o.slug, { opacity: Number(input.value) / 100 });
            },
          },
        }),
        h('output', { for: opacityId }, `${Math.round(o.opacity * 100)}%`),
      ),
    );
    return li;
  }
}
