import { formatDateIn } from './dates';
import { MESSAGES, type Lang, type Messages } from './messages';
import { h } from './dom';

let current: Lang = 'en';
export const setLang = (lang: Lang) => {
  current = lang;
};
export const lang = (): Lang => current;
/** The interface strings in the chosen language. */
export const t = (): Messages => MESSAGES[current];

/**
 * A publisher's text in the chosen language. In Welsh, where the publisher gave none, the English
 * is shown, marked as English (lang="en") and labelled so, as the Welsh Language Standards expect.
 */
export function localised(text: { en: string | null; cy: string | null }, tag: 'span' | 'p' | 'h3' = 'span', cls?: string): HTMLElement {
  if (current === 'cy' && text.cy) return h(tag, { class: cls, lang: 'cy' }, text.cy);
  const english = text.en ?? '';
  if (current === 'en') return h(tag, { class: cls }, english);
  return h(tag, { class: cls, lang: 'en' }, english, ' ', h('span', { class: 'app-fallback govuk-body-s', lang: 'cy' }, `(${t().englishOnly})`));
}

/** Plain text in the chosen language (English when Welsh is missing), for labels and attributes. */
export const localisedText = (text: { en: string | null; cy: string | null }) => (current === 'cy' && text.cy ? text.cy : (text.en ?? ''));

export const formatDate = (iso: string): string => formatDateIn(current, iso, false);

export const formatNumber = (n: number) => n.toLocaleString(current === 'cy' ? 'cy-GB' : 'en-GB');
