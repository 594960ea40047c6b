import { formatDateIn } from '../dates';
import { PORTAL_MESSAGES, type PortalLang, type PortalMessages } from './messages';

let current: PortalLang = 'en';
export const setPortalLang = (lang: PortalLang) => {
  current = lang;
};
export const portalLang = (): PortalLang => current;
/** The portal's strings in the chosen language. */
export const pt = (): PortalMessages => PORTAL_MESSAGES[current];
export const formatWhen = (iso: string | null) => (iso ? formatDateIn(current, iso, true) : pt().never);
export const localTitle = (t: { en: string; cy: string | null }) => (current === 'cy' && t.cy ? t.cy : t.en);
