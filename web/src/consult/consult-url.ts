import type { Lang } from '../messages';

/** What the address of a consultation page asks for: /consult/{id} or /embed/{id}, and the embed builder's options. */
export interface PageOptions {
  id: string;
  /** /embed/{id}: framed by a council's site, so no site header and a compact layout. */
  embed: boolean;
  lang: Lang;
  /** Which of the consultation's layers to draw (layers=a,b); null draws them all. */
  layers: string[] | null;
  /** The first view (view=zoom/lat/lon); null fits the consultation's area. */
  view: { zoom: number; lat: number; lon: number } | null;
  /** form=off: the map and the published comments only. */
  form: boolean;
}

export function readPageOptions(url: URL, browserLanguage: string): PageOptions {
  const [, route = '', id = ''] = url.pathname.split('/');
  const q = url.searchParams;
  const asked = q.get('lang');
  const lang: Lang = asked === 'cy' || asked === 'en' ? asked : browserLanguage.toLowerCase().startsWith('cy') ? 'cy' : 'en';
  const layers = q.get('layers')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const v = q.get('view')?.split('/').map(Number);
  const view = v && v.length === 3 && v.every(Number.isFinite) && Math.abs(v[1]!) <= 85 && Math.abs(v[2]!) <= 180 ? { zoom: v[0]!, lat: v[1]!, lon: v[2]! } : null;
  return { id: decodeURIComponent(id), embed: route === 'embed', lang, layers: layers?.length ? layers : null, view, form: q.get('form') !== 'off' };
}

/** This page in the other language, every other option kept. */
export function otherLanguageHref(url: URL, lang: Lang): string {
  const q = new URLSearchParams(url.search);
  q.set('lang', lang);
  return `${url.pathname}?${q}`;
}

/** The full page for an embed, with the same language, layers and view (the embedder's form=off is not carried over). */
export function fullPageHref(url: URL, o: PageOptions): string {
  const q = new URLSearchParams(url.search);
  q.set('lang', o.lang);
  q.delete('form');
  return `/consult/${encodeURIComponent(o.id)}?${q}`;
}
