import { h } from '../dom';
import type { Bilingual, SessionUser } from './portal-api';
import { portalLang, pt } from './portal-i18n';

/** The consultation pages' strings in the chosen language. */
export const cm = () => pt().consultations;

/** Publisher text in the page's language as plain text (for attributes); Welsh falls back to English. */
export const localString = (b: Bilingual, lang = portalLang()) => (lang === 'cy' && b.cy ? b.cy : b.en);

/** Publisher text for the page: where the Welsh is missing the English shows, marked lang="en" for screen readers. */
export function localText(b: Bilingual): HTMLElement | string {
  if (portalLang() === 'en' || b.cy) return localString(b);
  return h('span', { lang: 'en' }, b.en);
}

const STATE_TAG: Record<string, string> = { scheduled: 'govuk-tag--yellow', open: 'govuk-tag--green', closed: 'govuk-tag--grey' };
export const stateTag = (state: string) => h('strong', { class: `govuk-tag ${STATE_TAG[state] ?? ''}`, 'data-state': state }, cm().states[state] ?? state);

const STATUS_TAG: Record<string, string> = { pending: '', approved: 'govuk-tag--green', rejected: 'govuk-tag--red' };
export const responseStatusTag = (status: string) => h('strong', { class: `govuk-tag ${STATUS_TAG[status] ?? ''}`, 'data-response-status': status }, cm().statusTag[status] ?? status);

/** Who may do what, as the pages show it; the server decides again on every call. */
export const canPublish = (user: SessionUser, organisation: string) => user.organisation === organisation && (user.roles.includes('publisher') || user.roles.includes('admin'));
export const canModerate = (user: SessionUser, organisation: string) => user.organisation === organisation && (user.roles.includes('moderator') || user.roles.includes('admin'));

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local value, in this computer's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as ISO 8601 with this computer's offset (what the officer meant, kept explicit). */
export function fromLocalInput(value: string): string | null {
  const d = new Date(value);
  if (!value || Number.isNaN(d.getTime())) return null;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${toLocalInput(d.toISOString())}:00${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** An id the server accepts (1–40 lower-case letters, digits, hyphens) from an English label, unique among `taken`. */
export function keyFrom(label: string, taken: Set<string>, fallback: string): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 34) || fallback;
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  taken.add(key);
  return key;
}
