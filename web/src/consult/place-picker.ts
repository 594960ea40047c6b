import type { LineString, Point } from 'geojson';
import { h, replaceChildren } from '../dom';
import { localisedText } from '../i18n';
import type { CommentKind } from './consult-api';
import { bilingual, ct } from './consult-i18n';
import type { ConsultMap, LonLat, MapClick } from './consult-map';
import { type FeatureChoice, type LayerChoices, LIST_LIMIT } from './feature-choices';
import { controlId, type FieldError } from './form-errors';

/** Where a comment is: what the response body carries besides the words. */
export type Place = { kind: CommentKind; geometry?: Point | LineString; feature?: { layer: string; id: string } };

const round = ([x, y]: LonLat): LonLat => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6];

/**
 * The "what is your comment about" part of the form: the kind (radios when the consultation takes
 * more than one), then a point (click, or the map's centre under the crosshair), a line (clicked
 * or added from the centre, with undo and finish), or a feature of a consulted layer (clicked, or
 * chosen from a list). Everything works from the keyboard; the map shows the draft as it is made.
 */
export class PlacePicker {
  readonly el: HTMLElement;
  private kind: CommentKind;
  private point: LonLat | null = null;
  private line: LonLat[] = [];
  private lineFinished = false;
  private feature: FeatureChoice | null = null;
  private readonly placeGroup = h('div', { class: 'govuk-form-group', 'data-field': 'geometry' });
  private readonly featureGroup = h('div', { class: 'govuk-form-group', 'data-field': 'feature' });
  private readonly select = h('select', { class: 'govuk-select app-consult__feature-select', id: controlId('feature'), name: 'feature', 'aria-describedby': 'cf-feature-hint' });
  private readonly options = new Map<string, FeatureChoice>();

  constructor(
    private readonly kinds: CommentKind[],
    private readonly map: ConsultMap,
    private readonly choices: Promise<LayerChoices[]>,
    private readonly announce: (message: string) => void,
    private readonly crosshair: (visible: boolean) => void,
  ) {
    this.kind = kinds[0]!;
    this.select.addEventListener('change', () => this.chooseOption());
    this.el = h('div', {}, kinds.length > 1 ? this.kindRadios() : null, this.placeGroup, this.featureGroup);
    this.renderFeatureList();
    this.update();
  }

  private kindRadios(): HTMLElement {
    const m = ct();
    const radios = this.kinds.map((k, i) =>
      h(
        'div',
        { class: 'govuk-radios__item' },
        h('input', { class: 'govuk-radios__input', type: 'radio', name: 'kind', value: k, id: i === 0 ? controlId('kind') : `cf-kind-${k}`, checked: i === 0, on: { change: () => this.setKind(k) } }),
        h('label', { class: 'govuk-label govuk-radios__label', for: i === 0 ? controlId('kind') : `cf-kind-${k}` }, m.kinds[k]!),
      ),
    );
    return h('div', { class: 'govuk-form-group', 'data-field': 'kind' }, h('fieldset', { class: 'govuk-fieldset' }, h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, m.kindLegend), h('div', { class: 'govuk-radios govuk-radios--small' }, ...radios)));
  }

  private setKind(kind: CommentKind): void {
    this.kind = kind;
    this.update();
  }

  /** What the form sends, or what is missing. */
  value(): Place | FieldError {
    const m = ct();
    if (this.kind === 'point') return this.point ? { kind: 'point', geometry: { type: 'Point', coordinates: this.point } } : { field: 'geometry', message: m.needPoint };
    if (this.kind === 'line') return this.line.length >= 2 ? { kind: 'line', geometry: { type: 'LineString', coordinates: this.line } } : { field: 'geometry', message: m.needLine };
    return this.feature ? { kind: 'feature', feature: { layer: this.feature.layer, id: this.feature.id } } : { field: 'feature', message: m.needFeature };
  }

  /** A map click, if placing or choosing: true when it was used. */
  click(c: MapClick): boolean {
    if (this.kind === 'point') this.placePoint(c.at);
    else if (this.kind === 'line') {
      if (this.lineFinished) return false;
      this.addVertex(c.at);
    } else {
      const hit = c.features[0];
      if (!hit) {
        if (c.responseId) return false;
        this.announce(ct().noFeatureThere);
        return true;
      }
      this.chooseFeature(this.choiceFor(hit.layer, hit.id), false);
    }
    return true;
  }

  reset(): void {
    this.point = null;
    this.line = [];
    this.lineFinished = false;
    this.feature = null;
    this.select.value = '';
    this.update();
  }

  /** Stops offering the crosshair (the form is gone, e.g. after sending). */
  hide(): void {
    this.crosshair(false);
    this.map.setDraft([]);
  }

  private placePoint(at: LonLat): void {
    this.point = round(at);
    this.update();
    this.announce(ct().pointPlaced);
  }

  private addVertex(at: LonLat): void {
    this.line.push(round(at));
    this.lineFinished = false;
    this.update();
    this.announce(ct().linePoints(this.line.length));
  }

  private chooseOption(): void {
    const choice = this.options.get(this.select.value);
    if (choice) this.chooseFeature(choice, true);
    else {
      this.feature = null;
      this.update();
    }
  }

  private chooseFeature(choice: FeatureChoice, fromList: boolean): void {
    this.feature = choice;
    this.select.value = this.optionValue(choice);
    this.update();
    // Chosen from the list: bring it into view, so a keyboard user sees what they picked.
    if (fromList && choice.geometry) this.map.show(choice.geometry);
    this.announce(ct().featureChosen(choice.label));
  }

  /** The list's entry for a clicked feature; one the list left out (a long layer) is added to it. */
  private choiceFor(layer: string, id: string): FeatureChoice {
    const known = this.options.get(JSON.stringify([layer, id]));
    if (known) return known;
    const added: FeatureChoice = { layer, id, label: id, geometry: null };
    this.options.set(this.optionValue(added), added);
    const group = this.select.querySelector(`optgroup[data-layer="${CSS.escape(layer)}"]`) ?? this.select;
    group.append(h('option', { value: this.optionValue(added) }, id));
    return added;
  }

  // JSON: a layer slug and a feature id together, whatever characters the id holds.
  private optionValue = (c: FeatureChoice) => JSON.stringify([c.layer, c.id]);

  private renderFeatureList(): void {
    if (!this.kinds.includes('feature')) return;
    const m = ct();
    const note = h('p', { class: 'govuk-body-s', 'data-testid': 'feature-list-note' }, m.featuresLoading);
    replaceChildren(
      this.featureGroup,
      h('label', { class: 'govuk-label govuk-label--s', for: this.select.id }, m.featureLabel),
      h('div', { class: 'govuk-hint', id: 'cf-feature-hint' }, m.featureHint),
      this.select,
      note,
    );
    void this.choices.then(
      (layers) => {
        this.select.replaceChildren(h('option', { value: '' }, m.chooseFeature));
        for (const l of layers) {
          const group = h('optgroup', { label: localisedText(bilingual(l.title)), 'data-layer': l.layer });
          for (const c of l.choices) {
            this.options.set(this.optionValue(c), c);
            group.append(h('option', { value: this.optionValue(c) }, c.label));
          }
          this.select.append(group);
        }
        if (this.feature) this.select.value = this.optionValue(this.feature);
        note.textContent = layers.some((l) => l.truncated) ? m.featuresTruncated(LIST_LIMIT) : '';
      },
      () => (note.textContent = ''),
    );
  }

  /** Shows the controls of the chosen kind, the draft on the map, and the crosshair when the centre is offered. */
  private update(): void {
    const placing = this.kind === 'point' || this.kind === 'line';
    this.placeGroup.hidden = !placing;
    this.featureGroup.hidden = this.kind !== 'feature';
    this.crosshair(placing);
    const focused = this.placeGroup.contains(document.activeElement) ? document.activeElement!.getAttribute('data-key') : null;
    // Drawn afresh, without the inline error it may have had: the next submit says again what is missing.
    this.placeGroup.classList.remove('govuk-form-group--error');
    if (this.kind === 'point') this.renderPoint();
    if (this.kind === 'line') this.renderLine();
    // Re-drawn buttons: the keyboard user stays on the one they pressed (or on the first, if that one is now disabled).
    const again = focused ? this.placeGroup.querySelector<HTMLButtonElement>(`[data-key="${focused}"]`) : null;
    if (again) (again.disabled ? this.placeGroup.querySelector<HTMLButtonElement>('button')! : again).focus();
    const draft: GeoJSON.Feature[] = [];
    const feature = (geometry: GeoJSON.Geometry): GeoJSON.Feature => ({ type: 'Feature', properties: {}, geometry });
    if (this.kind === 'point' && this.point) draft.push(feature({ type: 'Point', coordinates: this.point }));
    if (this.kind === 'line') {
      if (this.line.length >= 2) draft.push(feature({ type: 'LineString', coordinates: this.line }));
      draft.push(...this.line.map((p) => feature({ type: 'Point', coordinates: p })));
    }
    if (this.kind === 'feature' && this.feature?.geometry) draft.push(feature(this.feature.geometry));
    this.map.setDraft(draft);
  }

  private renderPoint(): void {
    const m = ct();
    replaceChildren(
      this.placeGroup,
      h('h3', { class: 'govuk-heading-s govuk-!-margin-bottom-1' }, m.placeLegend),
      h('div', { class: 'govuk-hint', id: 'cf-place-hint' }, m.pointHint),
      h('p', { class: 'govuk-body-s', 'data-testid': 'place-status' }, this.point ? m.pointPlaced : m.noPoint),
      h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', id: controlId('geometry'), 'aria-describedby': 'cf-place-hint', 'data-key': 'use-centre', on: { click: () => this.placePoint(this.map.centre()) } }, m.useCentre),
    );
  }

  private renderLine(): void {
    const m = ct();
    const n = this.line.length;
    const button = (label: string, key: string, onClick: () => void, disabled = false, id?: string) =>
      h('button', { class: 'govuk-button govuk-button--secondary', type: 'button', id, 'data-key': key, disabled, 'aria-describedby': id ? 'cf-place-hint' : undefined, on: { click: onClick } }, label);
    replaceChildren(
      this.placeGroup,
      h('h3', { class: 'govuk-heading-s govuk-!-margin-bottom-1' }, m.placeLegend),
      h('div', { class: 'govuk-hint', id: 'cf-place-hint' }, m.lineHint),
      h('p', { class: 'govuk-body-s', 'data-testid': 'place-status' }, this.lineFinished ? m.lineFinished(n) : m.linePoints(n)),
      h(
        'div',
        { class: 'govuk-button-group' },
        button(m.addCentre, 'add-centre', () => this.addVertex(this.map.centre()), false, controlId('geometry')),
        button(m.undoPoint, 'undo', () => (this.line.pop(), (this.lineFinished = false), this.update(), this.announce(m.linePoints(this.line.length))), n === 0),
        button(m.finishLine, 'finish', () => ((this.lineFinished = true), this.update(), this.announce(m.lineFinished(this.line.length))), n < 2 || this.lineFinished),
        button(m.clearLine, 'clear', () => (this.reset(), this.announce(m.linePoints(0))), n === 0),
      ),
    );
  }
}
