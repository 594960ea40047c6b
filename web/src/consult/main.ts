import '../styles.scss';
import './consult.scss';
import { h, replaceChildren } from '../dom';
import { localised, localisedText, setLang } from '../i18n';
import { CommentForm, notOpenNotice } from './comment-form';
import { CommentsList, countsText } from './comments-list';
import { type Consultation, consultApi, Problem, type Text } from './consult-api';
import { bilingual, ct, formatWhen } from './consult-i18n';
import { bboxOf, ConsultMap } from './consult-map';
import { fullPageHref, otherLanguageHref, type PageOptions, readPageOptions } from './consult-url';
import { loadFeatureChoices } from './feature-choices';
import { OwnComments } from './own-comments';

const STATE_TAG: Record<string, string> = { scheduled: 'govuk-tag--blue', open: 'govuk-tag--green', closed: 'govuk-tag--grey' };

/** The site header on /consult; nothing of it on /embed, where the council's own page is the frame. */
function renderChrome(o: PageOptions, url: URL): void {
  const m = ct();
  document.documentElement.lang = o.lang;
  document.getElementById('skip-link')!.textContent = m.skip;
  if (o.embed) {
    document.body.classList.add('app-consult--embed');
    return;
  }
  document.getElementById('site-header')!.hidden = false;
  document.getElementById('app-tagline')!.textContent = m.tagline;
  const other = o.lang === 'en' ? 'cy' : 'en';
  const sw = document.getElementById('language-switch') as HTMLAnchorElement;
  sw.textContent = m.otherLanguage;
  sw.lang = other;
  sw.hreflang = other;
  sw.href = otherLanguageHref(url, other);
}

/** In an embed: the language switch and a way out to the full page, above the title. */
function embedBar(o: PageOptions, url: URL): HTMLElement | null {
  if (!o.embed) return null;
  const m = ct();
  const other = o.lang === 'en' ? 'cy' : 'en';
  return h(
    'div',
    { class: 'app-consult__bar govuk-body-s' },
    h('a', { class: 'govuk-link', href: fullPageHref(url, o), target: '_blank', rel: 'noopener', 'data-testid': 'full-page' }, m.openFullPage, h('span', { class: 'govuk-visually-hidden' }, ` ${m.newTab}`)),
    h('a', { class: 'govuk-link', href: otherLanguageHref(url, other), lang: other, hreflang: other, 'data-testid': 'language-switch' }, m.otherLanguage),
  );
}

function intro(c: Consultation, o: PageOptions): HTMLElement {
  const m = ct();
  return h(
    'div',
    {},
    h('h1', { class: o.embed ? 'govuk-heading-m' : 'govuk-heading-l' }, localised(bilingual(c.title))),
    h('p', { class: 'govuk-body-s', 'data-testid': 'run-by' }, `${m.runBy} `, localised(bilingual(c.organisationName), 'span')),
    h('p', { class: 'govuk-body', 'data-testid': 'state', 'data-state': c.state }, h('strong', { class: `govuk-tag ${STATE_TAG[c.state]}` }, m.states[c.state]!), c.state === 'open' ? ` ${m.openUntil(formatWhen(c.closesAt))}` : null),
    localised(bilingual(c.description), 'p', 'govuk-body app-consult__description'),
    h('p', { class: 'govuk-body', 'data-testid': 'counts' }, countsText(c)),
    h('p', { class: 'govuk-body-s' }, m.mapHint),
  );
}

async function start(): Promise<void> {
  const url = new URL(location.href);
  const o = readPageOptions(url, navigator.language);
  setLang(o.lang);
  const m = ct();
  renderChrome(o, url);
  const panel = document.getElementById('consultation')!;
  replaceChildren(panel, embedBar(o, url), h('p', { class: 'govuk-body', role: 'status' }, m.loading));

  let c: Consultation;
  try {
    c = await consultApi.consultation(o.id);
  } catch (err) {
    replaceChildren(panel, embedBar(o, url), h('p', { class: 'govuk-body', 'data-testid': 'load-failed' }, err instanceof Problem && err.status === 404 ? m.notFound : m.loadFailed));
    return;
  }
  const title = localisedText(bilingual(c.title));
  document.title = m.pageTitle(title);
  const rest = h('div', {});
  replaceChildren(panel, embedBar(o, url), intro(c, o), rest);

  const layers = o.layers ? c.layers.filter((l) => o.layers!.includes(l)) : c.layers;
  const titles = new Map<string, Text>(await Promise.all(c.layers.map(async (slug) => [slug, await consultApi.layerTitle(slug).catch(() => ({ en: slug }))] as const)));
  const status = document.getElementById('map-status')!;
  let fade: ReturnType<typeof setTimeout> | undefined;
  const announce = (message: string) => {
    status.textContent = '';
    clearTimeout(fade);
    // A fresh text node after a tick, so a repeated message is announced again; gone after a while, so it hides no more of the map.
    setTimeout(() => (status.textContent = message), 50);
    fade = setTimeout(() => (status.textContent = ''), 10_000);
  };
  const crosshair = document.getElementById('crosshair')!;
  const map = await ConsultMap.create(document.getElementById('map')!, c, { layers, view: o.view, label: m.mapLabel(title) });
  window.haenauConsult = { map: map.map };

  const own = new OwnComments(c.id);
  const comments = new CommentsList(c, map, titles);
  const form =
    c.state === 'open' && o.form
      ? new CommentForm(c, { map, own, choices: () => loadFeatureChoices(layers, titles, bboxOf(c.area)), announce, crosshair: (visible) => (crosshair.hidden = !visible) })
      : null;
  map.onClick((click) => {
    if (form?.click(click)) return;
    if (click.responseId) comments.open(click.responseId, click.at);
  });
  replaceChildren(rest, own.el, form?.el ?? (o.form && c.state !== 'open' ? notOpenNotice(c, formatWhen) : null), comments.el);
  await Promise.all([own.refresh(), consultApi.responses(c.id).then((list) => comments.render(list), () => comments.render([]))]);
  // Everything is drawn: for tests and tools that wait on the page.
  document.body.setAttribute('data-ready', '1');
}

void start();
