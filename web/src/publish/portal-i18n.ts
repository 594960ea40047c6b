import { PORTAL_MESSAGES, type PortalLang, type PortalMessages } from './messages';

let current: PortalLang = 'en';
export const setPortalLang = (lang: PortalLang) => {
  current = lang;
};
export const portalLang = (): PortalLang => current;
/** The portal's strings in the chosen language. */
export const pt = (): PortalMessages => PORTAL_MESSAGES[current];
export const formatWhen = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(current === 'cy' ? 'cy-GB' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }) : pt().never;
export const localTitle = (t: { en: string; cy: string | null }) => (current === 'cy' && t.cy ? t.cy : t.en);
