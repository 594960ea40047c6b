import { lang } from '../i18n';
import { CONSULT_MESSAGES, type ConsultMessages } from './messages';

/** The consultation page's strings in the language chosen with ../i18n's setLang (shared with the map's helpers). */
export const ct = (): ConsultMessages => CONSULT_MESSAGES[lang()];

/** A consultation's text as the shared helpers take it: Welsh may be missing or null. */
export const bilingual = (text: { en: string; cy?: string | null }) => ({ en: text.en, cy: text.cy ?? null });

/** True where Welsh is asked for and the text has none: the English shown must be marked lang="en". */
export const inEnglishOnly = (text: { cy?: string | null }) => lang() === 'cy' && !text.cy;

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
};

/**
 * A date and time as people in Wales read it ("28 Tachwedd 2026 am 16:58"), whatever the browser's
 * time zone. Months are named here: browsers without Welsh locale data would say them in English.
 */
export function formatWhen(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const l = lang();
  return `${Number(part('day'))} ${MONTHS[l][Number(part('month')) - 1]} ${part('year')} ${l === 'cy' ? 'am' : 'at'} ${part('hour')}:${part('minute')}`;
}
