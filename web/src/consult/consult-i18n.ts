import { formatDateIn } from '../dates';
import { lang } from '../i18n';
import { CONSULT_MESSAGES, type ConsultMessages } from './messages';

/** The consultation page's strings in the language chosen with ../i18n's setLang (shared with the map's helpers). */
export const ct = (): ConsultMessages => CONSULT_MESSAGES[lang()];

/** A consultation's text as the shared helpers take it: Welsh may be missing or null. */
export const bilingual = (text: { en: string; cy?: string | null }) => ({ en: text.en, cy: text.cy ?? null });

/** True where Welsh is asked for and the text has none: the English shown must be marked lang="en". */
export const inEnglishOnly = (text: { cy?: string | null }) => lang() === 'cy' && !text.cy;

/** A date and time as people in Wales read it ("28 Tachwedd 2026 am 16:58"). */
export const formatWhen = (iso: string): string => formatDateIn(lang(), iso, true);
