import type { Lang } from './messages';

/** One layer on the citizen's map. */
export interface Overlay {
  slug: string;
  opacity: number;
  visible: boolean;
}

/** Everything a shared link restores: layers (top first), their opacity and visibility, the view, the language. */
export interface MapState {
  lang: Lang;
  overlays: Overlay[];
  view: { zoom: number; lat: number; lon: number } | null;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * Reads `?lang=cy&layers=a,b~0.5,!c&map=9.5/52.4/-3.6`: `~` gives opacity, `!` hides a layer.
 * Anything unreadable is dropped rather than failing the page.
 */
export function readState(search: string, fallbackLang: Lang = 'en'): MapState {
  const p = new URLSearchParams(search);
  const lang = p.get('lang') === 'cy' ? 'cy' : p.get('lang') === 'en' ? 'en' : fallbackLang;
  const overlays: Overlay[] = [];
  for (const part of (p.get('layers') ?? '').split(',')) {
    const m = /^(!?)([^~]+)(?:~([\d.]+))?$/.exec(part);
    if (!m || !SLUG.test(m[2]!) || overlays.some((o) => o.slug === m[2])) continue;
    const opacity = m[3] === undefined ? 1 : Math.min(1, Math.max(0, Number(m[3])));
    overlays.push({ slug: m[2]!, visible: m[1] !== '!', opacity: Number.isFinite(opacity) ? opacity : 1 });
  }
  const v = (p.get('map') ?? '').split('/').map(Number);
  const view = v.length === 3 && v.every(Number.isFinite) && Math.abs(v[1]!) <= 90 ? { zoom: v[0]!, lat: v[1]!, lon: v[2]! } : null;
  return { lang, overlays, view };
}

/** The query string for a state; the inverse of readState. */
export function writeState(s: MapState): string {
  const parts = [`lang=${s.lang}`];
  if (s.overlays.length) {
    parts.push(`layers=${s.overlays.map((o) => `${o.visible ? '' : '!'}${o.slug}${o.opacity < 1 ? `~${o.opacity.toFixed(2)}` : ''}`).join(',')}`);
  }
  if (s.view) parts.push(`map=${s.view.zoom.toFixed(2)}/${s.view.lat.toFixed(5)}/${s.view.lon.toFixed(5)}`);
  return `?${parts.join('&')}`;
}
