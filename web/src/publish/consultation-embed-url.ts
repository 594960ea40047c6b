/** What an embed shows; each option left at its default is left out of the URL. */
export interface EmbedOptions {
  /** The consultation's layers to show; all of them is the default, and none can only mean all (the page reads an empty list so). */
  layers: string[];
  allLayers: string[];
  /** The first view; the default (null) fits the consultation area. */
  view: { zoom: number; lat: number; lon: number } | null;
  /** The comment form; on by default. */
  form: boolean;
  /** The visitor's browser language by default (the page's rule when lang is absent). */
  lang: 'auto' | 'en' | 'cy';
}

/** "?layers=a,b&view=zoom/lat/lon&form=off&lang=cy" with the defaults omitted, or "". Commas and slashes stay readable. */
export function embedQuery(o: EmbedOptions): string {
  const parts: string[] = [];
  const all = o.layers.length === 0 || o.allLayers.every((l) => o.layers.includes(l));
  if (!all) parts.push(`layers=${o.allLayers.filter((l) => o.layers.includes(l)).map(encodeURIComponent).join(',')}`);
  if (o.view) parts.push(`view=${Math.round(o.view.zoom * 100) / 100}/${o.view.lat.toFixed(5)}/${o.view.lon.toFixed(5)}`);
  if (!o.form) parts.push('form=off');
  if (o.lang !== 'auto') parts.push(`lang=${o.lang}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export const embedUrl = (origin: string, id: string, o: EmbedOptions) => `${origin}/embed/${encodeURIComponent(id)}${embedQuery(o)}`;

/** The public page with the same options: what oEmbed is asked about (it keeps the query for the iframe). */
export const consultPageUrl = (origin: string, id: string, o: EmbedOptions) => `${origin}/consult/${encodeURIComponent(id)}${embedQuery(o)}`;

export const oembedUrl = (origin: string, pageUrl: string) => `${origin}/oembed?url=${encodeURIComponent(pageUrl)}`;

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The HTML a council pastes into its page: lazy, borderless, full width, titled for screen readers. */
export const iframeSnippet = (src: string, title: string) => `<iframe src="${attr(src)}" width="100%" height="600" title="${attr(title)}" style="border:0" loading="lazy"></iframe>`;
